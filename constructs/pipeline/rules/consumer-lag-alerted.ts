import { Environment } from '../../../lib/platform';
import { PolicyPack } from '../../../lib/policy/pack';
import { Compliance, constructRule, RuleLevel, Violation } from '../../../lib/policy/rule';
import { ConsumerGroupReads } from '../../kafka/consumer-groups';
import { ConsumerLagAlert } from '../../kafka/consumer-lag-alert';
import { Pipeline } from '../pipeline';

const GROUP_READS = Symbol('consumer group reads');
const ALERTED = Symbol('consumer groups with a lag alert');

function groupKey(cluster: string, group: string): string {
  return `${cluster}\0${group}`;
}

/** The consumer groups (cluster and group) some ConsumerLagAlert of the environment names: once per evaluation. */
function alertedGroups(env: Environment): ReadonlySet<string> {
  const out = new Set<string>();
  for (const c of env.node.findAll()) {
    if (c instanceof ConsumerLagAlert) for (const a of c.consumerGroups) out.add(groupKey(a.cluster.clusterName, a.group));
  }
  return out;
}

/**
 * DOP-MON-001 (recommended): in production, every consumer group a pipeline reads with has a lag alert
 * (`pipeline.alertOnLag()`, or a ConsumerLagAlert anywhere in the environment naming the group on its cluster).
 */
export const consumerLagAlerted = constructRule({
  id: 'DOP-MON-001',
  level: RuleLevel.ERROR,
  description: 'Every consumer group of a production pipeline has a lag alert',
  rationale: 'A consumer that stops or falls behind loses no data at first, so nothing else fails: without a lag alert the first to notice is a downstream user, hours or retention-days later.',
  remediation: "Call pipeline.alertOnLag({ threshold, for, severity, route }) after declaring the pipeline's apps and connectors (it covers every group), or acknowledge with the reason the group needs none.",
  appliesTo: (c): c is Pipeline => c instanceof Pipeline,
  evaluate(pipeline, context) {
    if (!context.production) return Compliance.NOT_APPLICABLE;
    const groups = context.memo(GROUP_READS, () => ConsumerGroupReads.of(Environment.of(pipeline))).under(pipeline);
    if (groups.length === 0) return Compliance.NOT_APPLICABLE;
    const alerted = context.memo(ALERTED, () => alertedGroups(Environment.of(pipeline)));
    const out: Violation[] = [];
    for (const g of groups) {
      if (alerted.has(groupKey(g.cluster.clusterName, g.group))) continue;
      out.push({
        field: 'alertOnLag',
        message: `consumer group '${g.group}' (read by ${g.readers.map((r) => r.node.path).join(', ')}, topics ${g.topics.join(', ')}) of production pipeline ` +
          `'${pipeline.pipelineName}' has no lag alert: call alertOnLag({ threshold, for, severity }) on the pipeline`,
      });
    }
    return out;
  },
});

/**
 * The alerting rules, as a pack to add until the recommended pack includes them:
 * `Policies.of(platform).add(alertingPack)`.
 */
export const alertingPack: PolicyPack = {
  name: 'alerting',
  description: 'Production consumer groups have lag alerts',
  rules: [consumerLagAlerted],
};
