import { objectRule, RuleLevel, Violation } from '../../../lib/policy/rule';

/** CronJobs never overlap and give up on a missed start. */
export const cronJobConcurrency = objectRule({
  id: 'DOP-K8S-007',
  level: RuleLevel.ERROR,
  description: 'CronJobs forbid concurrent runs and have a deadline',
  rationale: 'Overlapping runs of a batch job double-write or corrupt data; without a deadline a run that could not start on time starts hours later.',
  remediation: 'Set concurrencyPolicy: Forbid and startingDeadlineSeconds (and activeDeadlineSeconds for the run) on the CronJob.',
  kinds: ['CronJob'],
  evaluate: ({ object }) => {
    const spec = (object.spec ?? {}) as Record<string, any>;
    const out: Violation[] = [];
    if (spec.concurrencyPolicy !== 'Forbid') out.push({ field: 'spec.concurrencyPolicy', message: `CronJob '${object.metadata.name}' allows concurrent runs (${spec.concurrencyPolicy ?? 'Allow'}): set Forbid` });
    if (spec.startingDeadlineSeconds === undefined && spec.jobTemplate?.spec?.activeDeadlineSeconds === undefined) {
      out.push({ field: 'spec.startingDeadlineSeconds', message: `CronJob '${object.metadata.name}' has no deadline: set startingDeadlineSeconds or activeDeadlineSeconds` });
    }
    return out;
  },
});
