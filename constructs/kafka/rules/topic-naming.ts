import { ObjectRule, objectRule, RuleLevel } from '../../../lib/policy/rule';
import { topicNameOf } from './topic-spec';

/** The default convention: `<domain>.<dataset>.v<N>` (lower-case words with `-`). */
export const DEFAULT_TOPIC_NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*\.v[0-9]+$/;

/**
 * Topic names follow a convention, by default `<domain>.<dataset>.v<N>` (`payments.orders.v1`).
 * @param pattern the convention as a regular expression
 * @param example a name that follows it, shown in the message
 */
export function topicNaming(pattern: RegExp = DEFAULT_TOPIC_NAME_PATTERN, example = 'payments.orders.v1'): ObjectRule {
  return objectRule({
    id: 'DOP-KAFKA-012',
    level: RuleLevel.ERROR,
    description: 'Topic names follow the naming convention (default `<domain>.<dataset>.v<N>`)',
    rationale: 'A convention tells who owns a topic and which version of a dataset it holds, and lets prefix ACLs and quotas work per domain.',
    remediation: `Rename the topic to match ${pattern} (e.g. '${example}'); for an existing topic, create the new one and migrate.`,
    kinds: ['KafkaTopic'],
    evaluate: ({ object }) => {
      const name = topicNameOf(object);
      return pattern.test(name) ? [] : [{ field: 'topicName', message: `topic name '${name}' does not follow the convention ${pattern} (e.g. '${example}')` }];
    },
  });
}
