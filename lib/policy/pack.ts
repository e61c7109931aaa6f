import { ChangeDetector } from './change';
import { Rule } from './rule';

/**
 * A named set of rules: a plain object a team can build, share and publish as an npm package.
 *
 * ```ts
 * export const acmePack: PolicyPack = { name: 'acme', description: 'ACME data rules', rules: [ownerEmailRule] };
 * Policies.of(platform).add(acmePack);
 * ```
 */
export interface PolicyPack {
  /** Name shown in reports (`recommended`, `@acme/data-policies`). */
  readonly name: string;
  /** What the pack is for. @default - none */
  readonly description?: string;
  /** The rules. Ids are unique within the pack. */
  readonly rules: readonly Rule[];
  /** Destructive-change detectors for `synth diff` (same id scheme as rules). @default - none */
  readonly detectors?: readonly ChangeDetector[];
}
