import { objectRule, RuleLevel } from '../../../lib/policy/rule';

/** Connectors say what happens to a record they cannot process. */
export const connectorErrorPolicy = objectRule({
  id: 'DOP-KAFKA-015',
  level: RuleLevel.ERROR,
  description: 'Connectors have an error policy: a dead-letter topic or an explicit errors.tolerance',
  rationale: 'By default one bad record stops the task (errors.tolerance=none) and the pipeline stalls silently until someone restarts it.',
  remediation: "Set 'errors.deadletterqueue.topic.name' (sink connectors) or an explicit 'errors.tolerance' ('none' to stop on purpose, 'all' with logging) in the connector config.",
  kinds: ['KafkaConnector'],
  evaluate: ({ object }) => {
    const config = ((object.spec as any)?.config ?? {}) as Record<string, unknown>;
    if (config['errors.tolerance'] !== undefined || config['errors.deadletterqueue.topic.name'] !== undefined) return [];
    return [{ field: 'spec.config', message: `connector '${object.metadata.name}' has no error policy: set 'errors.deadletterqueue.topic.name' or 'errors.tolerance'` }];
  },
});
