import { IConstruct } from 'constructs';
import { DataOpsError, ValidationError } from '../errors';
import { DataPlatform, Environment } from '../platform';
import { PolicyPack } from './pack';
import { RULE_ID_PATTERN } from './rule';

const POLICIES = Symbol.for('cdk8s-dataops.policies');
const ACKNOWLEDGEMENTS = Symbol.for('cdk8s-dataops.acknowledgements');

/** The shortest reason an acknowledgement accepts. */
export const MIN_REASON_LENGTH = 10;

/** An acknowledgement made on a construct with `Policies.acknowledge`. */
export interface Acknowledgement {
  /** The rule id. */
  readonly ruleId: string;
  /** Why the finding is accepted. */
  readonly reason: string;
}

/**
 * The policy packs of a platform or of one environment, and acknowledgements of findings.
 *
 * ```ts
 * Policies.of(platform).add(PolicyPacks.recommended());       // every environment
 * Policies.of(prod).add(strictPack);                          // only prod
 * Policies.acknowledge(legacyApp, 'DOP-K8S-008', 'vendor image has no digest yet, tracked in PAY-123');
 * ```
 *
 * Rules a domain always needs (Kafka cannot remove partitions) are added by its constructs with
 * {@link Policies.require}: explicitly, never by importing a module.
 */
export class Policies {
  /** The policies of a platform or an environment (created on first use). */
  public static of(scope: DataPlatform | Environment): Policies {
    if (!(scope instanceof DataPlatform) && !(scope instanceof Environment)) {
      throw new DataOpsError(`${(scope as IConstruct)?.node?.path ?? String(scope)}: policies are chosen on a DataPlatform or an Environment; pass one of them to Policies.of`);
    }
    const holder = scope as unknown as { [POLICIES]?: Policies };
    return (holder[POLICIES] ??= new Policies(scope));
  }

  /** @internal the policies of a scope, if any were set */
  public static _peek(scope: IConstruct): Policies | undefined {
    return (scope as unknown as { [POLICIES]?: Policies })[POLICIES];
  }

  /**
   * Adds a pack the construct's domain needs wherever it is used, to the platform `scope` belongs to (once).
   * Called by constructs (a Topic requires the Kafka safety pack), so that the rules come with the construct.
   */
  public static require(scope: IConstruct, pack: PolicyPack): void {
    const root = scope.node.root;
    if (root instanceof DataPlatform) Policies.of(root).addOnce(pack);
    else {
      // Constructs built outside a platform (unusual, e.g. in a plain App) keep the pack for a later evaluation.
      const holder = root as unknown as { [POLICIES]?: Policies };
      (holder[POLICIES] ??= new Policies(root)).addOnce(pack);
    }
  }

  /**
   * Accepts the findings of rule `ruleId` on `scope` and every construct below it. The findings stay in every
   * report with the reason; an acknowledgement that matches no finding is reported as unused.
   * @param reason why the finding is acceptable (at least 10 characters), e.g. a ticket and a date
   */
  public static acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    if (typeof ruleId !== 'string' || !RULE_ID_PATTERN.test(ruleId)) {
      throw new ValidationError(scope, 'ruleId', `'${ruleId}' is not a rule id (like 'DOP-KAFKA-003'); see docs/rules.md`);
    }
    if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
      throw new ValidationError(scope, 'reason', `acknowledging ${ruleId} needs a reason of at least ${MIN_REASON_LENGTH} characters (why it is acceptable, e.g. a ticket)`);
    }
    const holder = scope as unknown as { [ACKNOWLEDGEMENTS]?: Acknowledgement[] };
    const list = (holder[ACKNOWLEDGEMENTS] ??= []);
    if (list.some((a) => a.ruleId === ruleId)) throw new ValidationError(scope, 'ruleId', `${ruleId} is already acknowledged here`);
    list.push({ ruleId, reason: reason.trim() });
  }

  /** The acknowledgements made directly on a construct. */
  public static acknowledgementsOf(scope: IConstruct): readonly Acknowledgement[] {
    return (scope as unknown as { [ACKNOWLEDGEMENTS]?: Acknowledgement[] })[ACKNOWLEDGEMENTS] ?? [];
  }

  private readonly added: PolicyPack[] = [];
  private readonly chosen: PolicyPack[] = [];

  private constructor(private readonly scope: IConstruct) {}

  /** Adds a pack (its rules apply to this scope's environments). Adding the same pack twice is an error. */
  public add(pack: PolicyPack): this {
    if (!pack || typeof pack.name !== 'string' || !Array.isArray(pack.rules)) {
      throw new ValidationError(this.scope, 'pack', 'a policy pack is an object { name, rules }');
    }
    if (this.added.includes(pack)) throw new ValidationError(this.scope, 'pack', `pack '${pack.name}' is already added here`);
    this.added.push(pack);
    this.chosen.push(pack);
    return this;
  }

  /** The packs that apply here, in order: added with {@link add} or required by constructs. */
  public get packs(): readonly PolicyPack[] {
    return this.added;
  }

  /** The packs added with {@link add} (a platform that chooses packs gets the policy reports in its output). */
  public get chosenPacks(): readonly PolicyPack[] {
    return this.chosen;
  }

  private addOnce(pack: PolicyPack): void {
    if (!this.added.includes(pack)) this.added.push(pack);
  }
}
