import { RuleLevel } from './rule';

/** Where in the user's code a construct was created (paths relative to the repository root, '/' separators). */
export interface SourceLocation {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column?: number;
}

/** The synthesized object a finding is about. */
export interface FindingObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** The object's file, relative to the output folder (`manifests/prod/payments/kafkatopic.orders.yaml`). */
  readonly file: string;
}

/** Why a finding does not fail anything. */
export interface AcknowledgementInfo {
  /** The reason given to `Policies.acknowledge`. */
  readonly reason: string;
  /** The construct path the acknowledgement was made on (the finding is at or below it). */
  readonly scope: string;
}

/** One result of one rule on one subject (NON_COMPLIANT), acknowledged or not. */
export interface Finding {
  /** The rule, e.g. `DOP-KAFKA-003`. */
  readonly ruleId: string;
  /** The rule's level. */
  readonly level: RuleLevel;
  /** The pack the rule came from. */
  readonly pack: string;
  /** What is wrong and what to do. */
  readonly message: string;
  /** The construct path (`prod/orders/raw`); empty for an object the code no longer produces (a `synth diff` finding). */
  readonly constructPath: string;
  /** The environment, when the subject is in one. */
  readonly environment?: string;
  /** The construct property or object field. */
  readonly field?: string;
  /** The synthesized object, with its dist file. */
  readonly object?: FindingObject;
  /** Where the construct (or its nearest ancestor with a known place) was created in the user's code. */
  readonly source?: SourceLocation;
  /** Set when an acknowledgement covers the finding. */
  readonly acknowledged?: AcknowledgementInfo;
}

/** Whether a finding fails synthesis: an unacknowledged error. */
export function isBlocking(finding: Finding): boolean {
  return finding.level === RuleLevel.ERROR && !finding.acknowledged;
}
