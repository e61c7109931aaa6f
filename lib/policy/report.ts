import { AggregateDataOpsError, DataOpsError } from '../errors';
import { Finding, isBlocking } from './finding';
import { RuleLevel, ScannerMappings } from './rule';

/** What one rule did in an evaluation, with its metadata (the reports list every rule that ran). */
export interface RuleSummary {
  readonly id: string;
  readonly level: RuleLevel;
  readonly pack: string;
  readonly description: string;
  readonly rationale: string;
  readonly remediation: string;
  readonly docs?: string;
  readonly scanners?: ScannerMappings;
  /** Subjects judged. */
  readonly evaluated: number;
  readonly compliant: number;
  readonly nonCompliant: number;
  readonly notApplicable: number;
  /** Findings covered by an acknowledgement. */
  readonly acknowledged: number;
}

const LEVEL_ORDER: Record<RuleLevel, number> = { error: 0, warning: 1, info: 2 };

/** The result of evaluating policies: findings in a stable order (level, rule, construct path, field, message). */
export class PolicyReport {
  public readonly findings: readonly Finding[];
  /** The rules that ran, by id. */
  public readonly rules: readonly RuleSummary[];

  constructor(findings: readonly Finding[], rules: readonly RuleSummary[]) {
    this.findings = [...findings].sort(compareFindings);
    this.rules = [...rules].sort((a, b) => compare(a.id, b.id));
  }

  /** Unacknowledged error findings: they fail synthesis. */
  public get blocking(): readonly Finding[] {
    return this.findings.filter(isBlocking);
  }

  /** Throws a DataOpsError naming each blocking finding's construct path, rule id and fix; does nothing when there is none. */
  public assertNoBlocking(): void {
    const blocking = this.blocking;
    if (blocking.length === 0) return;
    const errors = blocking.map((f) => new DataOpsError(`${f.message} [${f.ruleId}]`, { constructPath: f.constructPath, field: f.field }));
    if (errors.length === 1) throw errors[0];
    throw new AggregateDataOpsError(errors, `${errors.length} policy errors (acknowledge one with Policies.acknowledge(scope, ruleId, reason) only when it is intended)`);
  }
}

function compareFindings(a: Finding, b: Finding): number {
  return LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || compare(a.ruleId, b.ruleId) || compare(a.environment ?? '', b.environment ?? '') ||
    compare(a.constructPath, b.constructPath) || compare(a.object?.file ?? '', b.object?.file ?? '') || compare(a.field ?? '', b.field ?? '') ||
    compare(a.message, b.message);
}

/** Code-unit order: the same on every machine and locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
