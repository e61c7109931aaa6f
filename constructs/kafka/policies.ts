import { registerDestructiveChangeDetector } from '../../lib/synthesizer/diff';
import { KubeObject } from '../../lib/synthesizer/manifest';
import { registerOutputRule } from '../../lib/synthesizer/rules';
import { SCHEMA_EXTENSIONS, SCHEMA_SUBJECT_LABEL, versionsOf } from './schema';
import { checkCompatibility, Compatibility, SchemaFormat } from './schema-compatibility';

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

// Schema history: a new version must satisfy the subject's compatibility level against the versions already in dist.
function schemaHistory(o: KubeObject | undefined): { format: SchemaFormat; level: Compatibility; versions: string[] } | undefined {
  const data = o?.data as Record<string, string> | undefined;
  if (!o?.metadata.labels?.[SCHEMA_SUBJECT_LABEL] || !data?.schemaType) return undefined;
  const format = data.schemaType as SchemaFormat;
  return { format, level: (data.compatibility ?? 'BACKWARD') as Compatibility, versions: versionsOf(data, SCHEMA_EXTENSIONS[format]) };
}

registerOutputRule({
  id: 'kafka-schema-compatibility',
  kinds: ['ConfigMap'],
  checkAgainstPrevious: ({ object }, previous) => {
    const next = schemaHistory(object);
    const prev = schemaHistory(previous);
    if (!next || !prev) return [];
    const subject = (object.data as Record<string, string>).subject;
    if (next.format !== prev.format) return [`subject '${subject}' changes format ${prev.format} → ${next.format}; a registry refuses that: use a new topic or subject`];
    const problems: string[] = [];
    for (let i = prev.versions.length; i < next.versions.length; i++) {
      for (const p of checkCompatibility(next.format, next.level, next.versions.slice(0, i), next.versions[i])) {
        problems.push(`schema '${subject}' version ${i + 1} is incompatible: ${p}`);
      }
    }
    return problems;
  },
});

registerDestructiveChangeDetector({
  id: 'kafka-schema',
  kinds: ['ConfigMap'],
  detect: (c) => {
    const before = schemaHistory(c.before);
    const after = schemaHistory(c.after);
    if (!before) return [];
    if (!after) return c.type === 'removed' ? [] : ['schema version history removed'];
    const reasons: string[] = [];
    if (after.versions.length < before.versions.length) reasons.push(`schema versions removed (${before.versions.length} → ${after.versions.length})`);
    for (let i = before.versions.length; i < after.versions.length; i++) {
      // Under NONE (or any level) a new version that old consumers cannot handle breaks them.
      if (checkCompatibility(after.format, Compatibility.BACKWARD, after.versions.slice(0, i), after.versions[i]).length > 0 ||
          checkCompatibility(after.format, Compatibility.FORWARD, after.versions.slice(0, i), after.versions[i]).length > 0) {
        reasons.push(`schema break: version ${i + 1} is not fully compatible with version ${i} (compatibility ${after.level})`);
      }
    }
    return reasons;
  },
});
