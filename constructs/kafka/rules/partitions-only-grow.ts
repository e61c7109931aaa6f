import { objectRule, RuleLevel } from '../../../lib/policy/rule';
import { specOf, topicNameOf } from './topic-spec';

/** Kafka can add partitions but never remove them. */
export const partitionsOnlyGrow = objectRule({
  id: 'DOP-KAFKA-001',
  level: RuleLevel.ERROR,
  description: 'A topic\'s partition count only grows',
  rationale: 'Kafka cannot remove partitions: Strimzi refuses the change and the KafkaTopic stays NotReady, while the code says something the cluster never does.',
  remediation: 'Keep partitions at the count dist has (or more). To shrink, create a new topic and migrate.',
  acknowledgeable: false,
  kinds: ['KafkaTopic'],
  evaluate: (o, ctx) => {
    const previous = ctx.previous(o);
    const before = previous && specOf(previous).partitions;
    const after = specOf(o.object).partitions;
    if (before === undefined || after === undefined) return [];
    if (after >= before) return [];
    return [{
      field: 'partitions',
      message: `topic '${topicNameOf(o.object)}' would go from ${before} to ${after} partitions, but Kafka cannot remove partitions: keep partitions at ${before} or more (dist has ${before})`,
    }];
  },
});
