import { RuleInfo, RuleLevel } from './rule';

/*
 * Findings the engine itself reports (not rules of a pack). Documented with the others in docs/rules.md.
 */

/** A rule threw while judging a subject. */
export const RULE_FAILED: RuleInfo = {
  id: 'DOP-POLICY-001',
  level: RuleLevel.ERROR,
  description: 'A rule failed (threw) while judging a construct or object',
  rationale: 'A broken rule must not pass silently, nor crash synthesis without saying which rule and which construct.',
  remediation: 'Report the failure to the authors of the rule\'s pack; until it is fixed, acknowledge DOP-POLICY-001 on the construct with the reason.',
};

/** An acknowledgement matched no finding. */
export const UNUSED_ACKNOWLEDGEMENT: RuleInfo = {
  id: 'DOP-POLICY-002',
  level: RuleLevel.WARNING,
  description: 'An acknowledgement matches no finding',
  rationale: 'Stale exceptions hide the next real problem on the same construct and mislead reviewers.',
  remediation: 'Remove the Policies.acknowledge call (or fix its rule id or scope).',
};

/** An acknowledgement of a rule that cannot be acknowledged. */
export const NOT_ACKNOWLEDGEABLE: RuleInfo = {
  id: 'DOP-POLICY-003',
  level: RuleLevel.ERROR,
  description: 'An acknowledgement names a rule that cannot be acknowledged',
  rationale: 'Some rules guard changes the target system refuses or cannot undo; accepting them only moves the failure to the cluster.',
  remediation: 'Fix the finding instead, and remove the Policies.acknowledge call.',
  acknowledgeable: false,
};

/** The engine's own findings. */
export const ENGINE_RULES: readonly RuleInfo[] = [RULE_FAILED, UNUSED_ACKNOWLEDGEMENT, NOT_ACKNOWLEDGEABLE];

/** The pack name shown for the engine's own findings. */
export const ENGINE_PACK = 'policy-engine';
