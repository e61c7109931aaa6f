import { IConstruct } from 'constructs';
import { Environment } from '../platform';
import { KubeObject, SynthesizedObject } from '../synthesizer/manifest';

/** How much a finding matters. Unacknowledged `error` findings fail `synth`, `synth --check` and `synthesize()`. */
export enum RuleLevel {
  /** Fails synthesis unless acknowledged. */
  ERROR = 'error',
  /** Reported, fails nothing. */
  WARNING = 'warning',
  /** Advice, reported only. */
  INFO = 'info',
}

/**
 * The verdict of a rule on one subject (the cdk-nag v2 model). A rule returns `COMPLIANT`, `NOT_APPLICABLE`, or
 * one or more {@link Violation}s (which mean NON_COMPLIANT); an empty list means COMPLIANT.
 */
export enum Compliance {
  COMPLIANT = 'compliant',
  NON_COMPLIANT = 'non-compliant',
  NOT_APPLICABLE = 'not-applicable',
}

/** One thing wrong with a subject, as a rule reports it. */
export interface Violation {
  /** What is wrong and what to do, for people (the rule's remediation is added by the reports). */
  readonly message: string;
  /** The property of the construct or the field of the object, e.g. `config["connection.password"]`. @default - the whole subject */
  readonly field?: string;
  /** The construct the finding is about. @default - the subject (a construct rule) or the object's construct */
  readonly construct?: IConstruct;
  /** The synthesized object the finding is about. @default - the subject (an object rule) or the construct's first object */
  readonly object?: SynthesizedObject;
}

/** What `evaluate` returns: a verdict, a violation (a string is a message), or a list of them (empty: compliant). */
export type RuleOutcome = Compliance.COMPLIANT | Compliance.NOT_APPLICABLE | Violation | string | readonly (Violation | string)[];

/**
 * Checks of other tools that judge the same thing, so that reports and exports can line up with them.
 * All optional; a rule without mappings is simply not mapped.
 */
export interface ScannerMappings {
  /** Checkov check ids, e.g. `CKV_K8S_40`. An acknowledgement also writes their skip annotation. @default - none */
  readonly checkov?: readonly string[];
  /** kube-linter check names, e.g. `run-as-non-root`. @default - none */
  readonly kubeLinter?: readonly string[];
  /**
   * Narrower Checkov mapping for a rule that judges several fields: a finding whose field ends with a key maps to
   * that key's checks only (an acknowledged token finding skips CKV_K8S_38, not the read-only-filesystem check).
   * @default - every check in `checkov`
   */
  readonly checkovByField?: Readonly<Record<string, readonly string[]>>;
  /** The same for kube-linter checks. @default - every check in `kubeLinter` */
  readonly kubeLinterByField?: Readonly<Record<string, readonly string[]>>;
  /**
   * Kyverno rules that check the same at admission, for changes that bypass this tool (see `lib/policy/kyverno.ts`).
   * @default - the rule cannot be checked at admission
   */
  readonly kyverno?: KyvernoMapping;
}

/**
 * The admission form of a rule: `spec.rules[]` items of a kyverno.io/v1 ClusterPolicy
 * (https://kyverno.io/docs/policy-types/cluster-policy/), written by the rule's domain.
 */
export interface KyvernoMapping {
  /** The rules, each with `name`, `match` and `validate` (a Pod rule is extended by Kyverno to pod controllers). */
  readonly rules: readonly Readonly<Record<string, unknown>>[];
  /**
   * Whether the rule judges production only: the ClusterPolicy then applies to the production namespaces (or, emitted
   * into an environment, exists only in production environments). @default false
   */
  readonly productionOnly?: boolean;
}

/** The metadata every rule carries; `docs/rules.md` and the reports are generated from it. */
export interface RuleInfo {
  /**
   * Stable id, `<PREFIX>-<AREA>-<NNN>`: upper-case words and digits separated by `-`, e.g. `DOP-KAFKA-003`.
   * `DOP-` is reserved for this project; a team's own pack uses its own prefix (`ACME-TOPIC-001`).
   * Never reuse or renumber an id: acknowledgements and CI annotations refer to it.
   */
  readonly id: string;
  /** Default level. */
  readonly level: RuleLevel;
  /** One line: what the rule requires. */
  readonly description: string;
  /** Why it matters. */
  readonly rationale: string;
  /** How to comply (or when acknowledging is reasonable). */
  readonly remediation: string;
  /** A link with more detail. @default - the rule's entry in docs/rules.md */
  readonly docs?: string;
  /**
   * Whether `Policies.acknowledge` may suppress it. Rules guarding what cannot be undone or what the target
   * refuses anyway (a partition decrease) say false. @default true
   */
  readonly acknowledgeable?: boolean;
  /** The same check in other tools. @default - none */
  readonly scanners?: ScannerMappings;
}

/** What a rule can look at besides its subject. */
export interface RuleContext {
  /** The environment of the subject (undefined for constructs outside any environment). */
  readonly environment: Environment | undefined;
  /** Whether the subject's environment is a production environment. */
  readonly production: boolean;
  /** The objects synthesized by a construct and the constructs below it, in output order. */
  objectsOf(construct: IConstruct): readonly SynthesizedObject[];
  /** Every object of a kind in the subject's environment, in output order. */
  objects(kind: string): readonly SynthesizedObject[];
  /**
   * The object as the output folder holds it now (normally the committed dist), for rules about history that
   * lives only in Git (partitions only grow). Undefined in in-memory synthesis and for new objects.
   */
  previous(object: SynthesizedObject): KubeObject | undefined;
  /**
   * A value computed once per environment and evaluation, then shared by every rule and subject: for facts about the
   * whole environment (an index, a graph) that a rule would otherwise recompute for each subject, making the
   * evaluation quadratic in the tree's size. `key` identifies the fact: use a constant the rule's module owns
   * (a `Symbol`), so that two packs never share a value by accident. The value must not depend on the subject.
   */
  memo<T>(key: symbol, compute: () => T): T;
}

/**
 * A rule about constructs. `appliesTo` is a type guard the rule's domain provides (`(c) => c instanceof Topic`);
 * the engine offers every construct of the tree to it, in one pass.
 */
export interface ConstructRule<T extends IConstruct = IConstruct> extends RuleInfo {
  /** Selects the constructs the rule judges. */
  readonly appliesTo: (construct: IConstruct) => construct is T;
  /** Judges one construct. Throwing is reported as a finding (DOP-POLICY-001), never a crash. */
  evaluate(construct: T, context: RuleContext): RuleOutcome;
}

/** A rule about synthesized Kubernetes objects, selected by kind. */
export interface ObjectRule extends RuleInfo {
  /** The kinds the rule judges (`['Deployment', 'StatefulSet']`), or `'*'` for every object. */
  readonly kinds: readonly string[] | '*';
  /** Judges one object. Throwing is reported as a finding (DOP-POLICY-001), never a crash. */
  evaluate(object: SynthesizedObject, context: RuleContext): RuleOutcome;
}

/** A policy rule: about constructs or about synthesized objects. */
export type Rule = ConstructRule<any> | ObjectRule;

/** Whether a rule judges constructs (otherwise it judges objects). */
export function isConstructRule(rule: Rule): rule is ConstructRule<any> {
  return typeof (rule as ConstructRule).appliesTo === 'function';
}

/** The id pattern of {@link RuleInfo.id}. */
export const RULE_ID_PATTERN = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;

/** Declares a construct rule (identity function that gives `evaluate` the guard's type). */
export function constructRule<T extends IConstruct>(rule: ConstructRule<T>): ConstructRule<T> {
  return rule;
}

/** Declares an object rule. */
export function objectRule(rule: ObjectRule): ObjectRule {
  return rule;
}
