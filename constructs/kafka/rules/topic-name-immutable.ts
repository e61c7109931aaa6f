import { objectRule, RuleLevel } from '../../../lib/policy/rule';
import { specOf } from './topic-spec';

/** Strimzi does not rename topics. */
export const topicNameImmutable = objectRule({
  id: 'DOP-KAFKA-002',
  level: RuleLevel.ERROR,
  description: 'A KafkaTopic keeps its topic name',
  rationale: 'Strimzi refuses to change spec.topicName of an existing KafkaTopic; the object stays NotReady and producers keep writing to the old topic.',
  remediation: 'Create a new Topic construct for the new name (and migrate consumers), instead of renaming.',
  acknowledgeable: false,
  kinds: ['KafkaTopic'],
  evaluate: (o, ctx) => {
    const previous = ctx.previous(o);
    const before = previous && specOf(previous).topicName;
    const after = specOf(o.object).topicName;
    if (before === undefined || after === undefined || before === after) return [];
    return [{
      field: 'topicName',
      message: `KafkaTopic '${o.object.metadata.name}' would rename topic '${before}' to '${after}'; Strimzi refuses renames. Create a new Topic construct for the new name instead`,
    }];
  },
});
