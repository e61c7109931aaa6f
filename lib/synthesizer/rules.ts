import { KubeObject, SynthesizedObject } from './manifest';

/**
 * A check every synthesized object must pass before anything is written. Domain modules register their own
 * (for example: partitions of a topic may only grow). A problem fails synthesis with the construct path.
 */
export interface OutputRule {
  /** Short id shown with each problem, e.g. `no-plaintext-secret`. */
  readonly id: string;
  /** Only objects of these kinds are checked. @default - every kind */
  readonly kinds?: readonly string[];
  /** Problems with the object alone. */
  check?(object: SynthesizedObject): readonly string[];
  /**
   * Problems with the change from the object previously written to the same file (in the output folder as it
   * is on disk, normally the committed dist). Only called when a previous version exists.
   */
  checkAgainstPrevious?(object: SynthesizedObject, previous: KubeObject): readonly string[];
}

const rules: OutputRule[] = [];

/** Registers a rule for every synthesis in this process. Registering the same id twice replaces it. */
export function registerOutputRule(rule: OutputRule): void {
  const i = rules.findIndex((r) => r.id === rule.id);
  if (i >= 0) rules[i] = rule;
  else rules.push(rule);
}

/** The registered rules. */
export function outputRules(): readonly OutputRule[] {
  return rules;
}

/** Whether a rule applies to a kind. */
export function ruleApplies(rule: OutputRule, kind: string): boolean {
  return !rule.kinds || rule.kinds.includes(kind);
}

// Secrets never appear in dist (DESIGN.md): values come from ExternalSecret or SealedSecret.
registerOutputRule({
  id: 'no-plaintext-secret',
  kinds: ['Secret'],
  check: ({ object }) => {
    if (object.apiVersion !== 'v1') return [];
    const keys = ['data', 'stringData'].filter((k) => object[k] !== undefined && Object.keys(object[k] as object).length > 0);
    return keys.length === 0 ? [] : [
      `Secret '${object.metadata.name}' carries plaintext values in '${keys.join("' and '")}'; secret values never go to Git. ` +
      'Use Secrets.fromExternal (ExternalSecret) or Secrets.fromSealed (SealedSecret) instead',
    ];
  },
});
