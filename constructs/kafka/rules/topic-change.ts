import { changeDetector } from '../../../lib/policy/change';
import { RuleLevel } from '../../../lib/policy/rule';
import { specOf } from './topic-spec';

/** Retention in a comparable form: -1 (unlimited) is the largest. */
function limit(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return n < 0 ? Number.POSITIVE_INFINITY : n;
}

/** Topic changes that lose data or cannot be applied (shown by `synth diff`). */
export const destructiveTopicChange = changeDetector({
  id: 'DOP-KAFKA-101',
  level: RuleLevel.WARNING,
  description: 'A topic change loses data or cannot be applied (partition decrease, retention cut, cleanup policy, rename)',
  rationale: 'Retention cuts and cleanup-policy changes delete data on the brokers; partition decreases and renames are refused by Kafka/Strimzi.',
  remediation: 'Check the change with the topic\'s consumers; for partitions and names, create a new topic instead.',
  kinds: ['KafkaTopic'],
  detect: (c) => {
    if (c.type !== 'changed') return [];
    const b = specOf(c.before);
    const a = specOf(c.after);
    const reasons: string[] = [];
    if (a.partitions !== undefined && b.partitions !== undefined && a.partitions < b.partitions) {
      reasons.push(`partitions decrease ${b.partitions} → ${a.partitions}: Kafka cannot remove partitions (Strimzi refuses it; synth fails with DOP-KAFKA-001)`);
    }
    for (const key of ['retention.ms', 'retention.bytes']) {
      const before = limit(b.config?.[key]);
      const after = limit(a.config?.[key]);
      if (after !== undefined && (before === undefined || after < before)) {
        reasons.push(`${key} cut ${b.config?.[key] ?? '(broker default)'} → ${a.config?.[key]}: older data is deleted`);
      }
    }
    const cpBefore = b.config?.['cleanup.policy'] ?? 'delete';
    const cpAfter = a.config?.['cleanup.policy'] ?? 'delete';
    if (cpBefore !== cpAfter) reasons.push(`cleanup.policy changes ${cpBefore} → ${cpAfter}: the broker starts ${String(cpAfter).includes('compact') ? 'compacting away older values per key' : 'deleting old segments'}`);
    if (a.topicName !== b.topicName) reasons.push(`topic name changes ${b.topicName} → ${a.topicName}`);
    return reasons;
  },
});
