import { Compliance, constructRule, RuleLevel, Violation } from '../../../lib/policy/rule';
import { Topic } from '../../kafka/topic';
import { piiTopicOf } from '../private/analysis';

/** DOP-GOV-002 (recommended): a topic carrying PII has every PII field under a MaskingPolicy and a bounded retention. */
export const piiMaskedBoundedRetention = constructRule({
  id: 'DOP-GOV-002',
  level: RuleLevel.ERROR,
  description: 'PII fields are masked and their topics have bounded retention',
  rationale: 'Personal data may be kept only as long as needed (GDPR art. 5(1)(e)) and shown only to who needs it; a topic that keeps it forever, or hands it to every reader, breaks both.',
  remediation: "Cover each PII field with a MaskingPolicy, and give the topic an explicit time-bound retention (`config: { retention: '7d', cleanupPolicy: 'delete' }`); compacted topics keep the last value forever.",
  appliesTo: (c): c is Topic => c instanceof Topic,
  evaluate(topic, context) {
    const found = piiTopicOf(topic, context);
    if (!found) return Compliance.NOT_APPLICABLE;
    const { analysis: a, info } = found;
    const out: Violation[] = [];
    const unmasked = info.fields.filter((f) => !a.policies.some((p) => p.topics.includes(topic) && p.fields.includes(f.name)));
    if (unmasked.length) {
      out.push({ field: 'fields', message: `PII field(s) ${unmasked.map((f) => `'${f.name}'`).join(', ')} of topic '${topic.topicName}' have no MaskingPolicy` });
    }
    const retention = topic.config['retention.ms'];
    const cleanup = String(topic.config['cleanup.policy'] ?? 'delete');
    if (retention === undefined) out.push({ field: 'config.retention', message: `topic '${topic.topicName}' carries PII but sets no retention (the broker default applies, and may be unbounded): set config.retention` });
    else if (Number(retention) < 0) out.push({ field: 'config.retention', message: `topic '${topic.topicName}' carries PII and keeps it forever (retention.ms ${retention})` });
    if (!cleanup.split(',').map((s) => s.trim()).includes('delete')) out.push({ field: 'config.cleanupPolicy', message: `topic '${topic.topicName}' carries PII with cleanup.policy '${cleanup}': compaction keeps the last value of every key forever; use 'delete' or 'compact,delete'` });
    return out;
  },
});
