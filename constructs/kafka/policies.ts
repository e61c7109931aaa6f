import { registerDestructiveChangeDetector } from '../../lib/synthesizer/diff';
import { KubeObject } from '../../lib/synthesizer/manifest';
import { registerOutputRule } from '../../lib/synthesizer/rules';

/*
 * Safety rules of the Kafka domain. They apply to every synthesis (not optional: Kafka cannot undo these changes).
 */

type TopicSpec = { topicName?: string; partitions?: number; replicas?: number; config?: Record<string, unknown> };

function specOf(o: KubeObject | undefined): TopicSpec {
  return ((o?.spec as TopicSpec | undefined) ?? {});
}

/** Retention in a comparable form: -1 (unlimited) is the largest. */
function limit(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return n < 0 ? Number.POSITIVE_INFINITY : n;
}

// Kafka can add partitions but never remove them; lowering the count in code would fail in Strimzi and confuse readers.
registerOutputRule({
  id: 'kafka-partitions-only-grow',
  kinds: ['KafkaTopic'],
  checkAgainstPrevious: ({ object }, previous) => {
    const before = specOf(previous).partitions;
    const after = specOf(object).partitions;
    if (before === undefined || after === undefined || after >= before) return [];
    return [`topic '${specOf(object).topicName ?? object.metadata.name}' would go from ${before} to ${after} partitions, ` +
      `but Kafka cannot remove partitions: keep partitions at ${before} or more (dist has ${before})`];
  },
});

registerOutputRule({
  id: 'kafka-topic-name-immutable',
  kinds: ['KafkaTopic'],
  checkAgainstPrevious: ({ object }, previous) => {
    const before = specOf(previous).topicName;
    const after = specOf(object).topicName;
    if (before === undefined || after === undefined || before === after) return [];
    return [`KafkaTopic '${object.metadata.name}' would rename topic '${before}' to '${after}'; Strimzi refuses renames. ` +
      'Create a new Topic construct for the new name instead'];
  },
});

registerDestructiveChangeDetector({
  id: 'kafka-topic',
  kinds: ['KafkaTopic'],
  detect: (c) => {
    if (c.type !== 'changed') {
      return c.type === 'removed' ? [`topic '${specOf(c.before).topicName ?? c.name}' and its data are deleted when the object is pruned`] : [];
    }
    const b = specOf(c.before);
    const a = specOf(c.after);
    const reasons: string[] = [];
    if (a.partitions !== undefined && b.partitions !== undefined && a.partitions < b.partitions) reasons.push(`partitions decrease ${b.partitions} → ${a.partitions}`);
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
