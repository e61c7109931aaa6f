import { Compliance, objectRule, RuleLevel } from '../../../lib/policy/rule';
import { REMOVAL_POLICY_ANNOTATION } from '../../core/removal-policy';
import { topicNameOf } from './topic-spec';

/** Production topics keep deletion protection. */
export const productionTopicRetain = objectRule({
  id: 'DOP-KAFKA-011',
  level: RuleLevel.ERROR,
  description: 'Production topics keep deletion protection (RemovalPolicy.RETAIN)',
  rationale: 'With DESTROY, deleting the construct lets Argo CD/Flux prune the KafkaTopic, and Strimzi deletes the topic and all its data.',
  remediation: 'Remove removalPolicy: RemovalPolicy.DESTROY from the production Topic (RETAIN is the default), or acknowledge for a scratch topic.',
  kinds: ['KafkaTopic'],
  evaluate: (o, ctx) => {
    if (!ctx.production) return Compliance.NOT_APPLICABLE;
    return o.object.metadata.annotations?.[REMOVAL_POLICY_ANNOTATION] === 'destroy'
      ? [{ field: 'removalPolicy', message: `production topic '${topicNameOf(o.object)}' has RemovalPolicy.DESTROY: pruning deletes it with its data; use RETAIN` }]
      : [];
  },
});
