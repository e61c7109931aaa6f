import { Size } from 'cdk8s';
import { z } from 'zod';
import { durationSchema, durationSchemaWith, DurationInput } from '../core/duration';

/** How a topic's old segments are cleaned up. */
export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';
/** Compression a topic stores messages with. */
export type CompressionType = 'producer' | 'uncompressed' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/**
 * Typed topic configuration for the common keys. Each maps to one broker config (shown in brackets).
 * Anything else goes through `extraConfig` with its real broker config name.
 */
export interface TopicConfig {
  /** How long messages are kept [retention.ms]; `'infinite'` keeps them forever. @default - broker default (7 days) */
  readonly retention?: DurationInput | 'infinite';
  /** Maximum size of a partition before old segments are deleted [retention.bytes]. @default - broker default (unlimited) */
  readonly retentionBytes?: Size | number | 'infinite';
  /** [cleanup.policy] @default - broker default ('delete') */
  readonly cleanupPolicy?: CleanupPolicy;
  /** [compression.type] @default - broker default ('producer') */
  readonly compressionType?: CompressionType;
  /** Replicas that must acknowledge a write with acks=all [min.insync.replicas]. @default - 2 in production environments when replicas ≥ 3, else broker default */
  readonly minInsyncReplicas?: number;
  /** Largest record batch size [max.message.bytes]. @default - broker default (1 MiB) */
  readonly maxMessageBytes?: Size | number;
  /** Segment file size [segment.bytes]. @default - broker default (1 GiB) */
  readonly segmentBytes?: Size | number;
  /** Time after which a segment is rolled [segment.ms]. @default - broker default (7 days) */
  readonly segment?: DurationInput;
  /** Which timestamp records carry [message.timestamp.type]. @default - broker default ('CreateTime') */
  readonly messageTimestampType?: 'CreateTime' | 'LogAppendTime';
  /** How long delete tombstones are kept on compacted topics [delete.retention.ms]. @default - broker default (1 day) */
  readonly deleteRetention?: DurationInput;
  /** Minimum time a message stays uncompacted [min.compaction.lag.ms]. @default - broker default (0) */
  readonly minCompactionLag?: DurationInput;
  /** Maximum time a message stays uncompacted [max.compaction.lag.ms]. @default - broker default (unlimited) */
  readonly maxCompactionLag?: DurationInput;
  /** Dirty ratio that triggers compaction [min.cleanable.dirty.ratio], 0..1. @default - broker default (0.5) */
  readonly minCleanableDirtyRatio?: number;
  /** Allow out-of-sync replicas to become leader, losing data [unclean.leader.election.enable]. @default - broker default (false) */
  readonly uncleanLeaderElection?: boolean;
  /** Local retention with tiered storage [local.retention.ms]. @default - broker default */
  readonly localRetention?: DurationInput | 'infinite';
  /** Local retention size with tiered storage [local.retention.bytes]. @default - broker default */
  readonly localRetentionBytes?: Size | number | 'infinite';
  /** Largest allowed age of a record's timestamp [message.timestamp.before.max.ms]. @default - broker default */
  readonly messageTimestampBeforeMax?: DurationInput;
  /** Largest allowed future skew of a record's timestamp [message.timestamp.after.max.ms]. @default - broker default */
  readonly messageTimestampAfterMax?: DurationInput;
}

const bytes = z.union([z.custom<Size>((v) => v instanceof Size), z.number().int().min(0)]).transform((v): number => (v instanceof Size ? v.toKibibytes() * 1024 : v));
const bytesOrInfinite = z.union([z.literal('infinite'), bytes]).transform((v) => (v === 'infinite' ? -1 : v));


/** zod schema of {@link TopicConfig}; parses to broker config names and values. */
export const topicConfigSchema = z.object({
  retention: durationSchemaWith(-1).optional(),
  retentionBytes: bytesOrInfinite.optional(),
  cleanupPolicy: z.enum(['delete', 'compact', 'compact,delete']).optional(),
  compressionType: z.enum(['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd']).optional(),
  minInsyncReplicas: z.number().int().min(1).optional(),
  maxMessageBytes: bytes.refine((v) => v > 0, 'must be positive').optional(),
  segmentBytes: bytes.refine((v) => v >= 1_048_576, 'must be at least 1 MiB (Kafka minimum: 1048576)').optional(),
  segment: durationSchema.refine((v) => v >= 1, 'must be at least 1 ms').optional(),
  messageTimestampType: z.enum(['CreateTime', 'LogAppendTime']).optional(),
  deleteRetention: durationSchema.optional(),
  minCompactionLag: durationSchema.optional(),
  maxCompactionLag: durationSchema.refine((v) => v >= 1, 'must be at least 1 ms').optional(),
  minCleanableDirtyRatio: z.number().min(0).max(1).optional(),
  uncleanLeaderElection: z.boolean().optional(),
  localRetention: durationSchemaWith(-2).optional(),
  localRetentionBytes: z.union([z.literal('infinite'), bytes]).transform((v) => (v === 'infinite' ? -2 : v)).optional(),
  messageTimestampBeforeMax: durationSchema.optional(),
  messageTimestampAfterMax: durationSchema.optional(),
}).strict();

/** Typed key → broker config name. */
export const TOPIC_CONFIG_NAMES: Readonly<Record<keyof TopicConfig, string>> = {
  retention: 'retention.ms',
  retentionBytes: 'retention.bytes',
  cleanupPolicy: 'cleanup.policy',
  compressionType: 'compression.type',
  minInsyncReplicas: 'min.insync.replicas',
  maxMessageBytes: 'max.message.bytes',
  segmentBytes: 'segment.bytes',
  segment: 'segment.ms',
  messageTimestampType: 'message.timestamp.type',
  deleteRetention: 'delete.retention.ms',
  minCompactionLag: 'min.compaction.lag.ms',
  maxCompactionLag: 'max.compaction.lag.ms',
  minCleanableDirtyRatio: 'min.cleanable.dirty.ratio',
  uncleanLeaderElection: 'unclean.leader.election.enable',
  localRetention: 'local.retention.ms',
  localRetentionBytes: 'local.retention.bytes',
  messageTimestampBeforeMax: 'message.timestamp.before.max.ms',
  messageTimestampAfterMax: 'message.timestamp.after.max.ms',
};

/**
 * Every topic-level config the Kafka broker knows (Kafka 3.9 and 4.x `TopicConfig`), for `extraConfig` checks.
 * Keys removed in 4.0 (message.format.version, message.downconversion.enable, message.timestamp.difference.max.ms)
 * are still listed: 3.9 brokers accept them.
 */
export const KNOWN_TOPIC_CONFIGS: ReadonlySet<string> = new Set([
  'cleanup.policy', 'compression.type', 'compression.gzip.level', 'compression.lz4.level', 'compression.zstd.level',
  'delete.retention.ms', 'file.delete.delay.ms', 'flush.messages', 'flush.ms', 'follower.replication.throttled.replicas',
  'index.interval.bytes', 'leader.replication.throttled.replicas', 'local.retention.bytes', 'local.retention.ms',
  'max.compaction.lag.ms', 'max.message.bytes', 'message.downconversion.enable', 'message.format.version',
  'message.timestamp.after.max.ms', 'message.timestamp.before.max.ms', 'message.timestamp.difference.max.ms',
  'message.timestamp.type', 'min.cleanable.dirty.ratio', 'min.compaction.lag.ms', 'min.insync.replicas', 'preallocate',
  'remote.storage.enable', 'remote.log.copy.disable', 'remote.log.delete.on.disable', 'retention.bytes', 'retention.ms',
  'segment.bytes', 'segment.index.bytes', 'segment.jitter.ms', 'segment.ms', 'unclean.leader.election.enable',
]);

/** Broker config values as Strimzi's KafkaTopic `spec.config` holds them. */
export type BrokerConfig = Record<string, string | number | boolean>;

/** Converts parsed typed config to broker config names (keys in sorted order). */
export function toBrokerConfig(parsed: Record<string, unknown>): BrokerConfig {
  const out: BrokerConfig = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (value === undefined) continue;
    out[TOPIC_CONFIG_NAMES[key as keyof TopicConfig]] = value as string | number | boolean;
  }
  return out;
}
