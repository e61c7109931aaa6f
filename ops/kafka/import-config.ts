/**
 * Import: a topic's overrides as the typed `config` of the Topic construct (`retention: '7d'`), falling back to
 * `extraConfig` (real broker names) for keys the typed config does not cover or values it cannot express exactly.
 * Every typed value is checked by parsing it with the construct's own schema and comparing the broker value it
 * produces with the cluster's (so the imported code plans empty by construction, not by hope).
 */
import { TOPIC_CONFIG_NAMES, TopicConfig, topicConfigSchema, toBrokerConfig } from '../../constructs/kafka/topic-config';
import { configValueString, sameConfigValue } from './config-values';

/** A JS literal of the generated code. */
export type CodeValue = string | number | boolean;

/** How a topic's overrides are declared. */
export interface ImportedTopicConfig {
  /** Typed keys (`retention`) and values, sorted by key. */
  readonly config: readonly (readonly [keyof TopicConfig, CodeValue])[];
  /** Broker names and values (strings as the broker reports them), sorted by key. */
  readonly extraConfig: readonly (readonly [string, string])[];
}

const TYPED_BY_BROKER_NAME: ReadonlyMap<string, keyof TopicConfig> = new Map(
  Object.entries(TOPIC_CONFIG_NAMES).map(([typed, broker]) => [broker, typed as keyof TopicConfig]));

const DURATION_UNITS: readonly (readonly [string, number])[] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]];

/** Milliseconds as the shortest duration string the constructs accept: 604800000 → '7d', 5400000 → '1h30m'. */
export function durationText(ms: number): string {
  if (ms === 0) return '0ms';
  let rest = ms;
  let out = '';
  for (const [unit, size] of DURATION_UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** The typed value a person would write for a broker value (checked afterwards by {@link typedConfigMatches}). */
function candidate(typed: keyof TopicConfig, value: string): CodeValue | undefined {
  const trimmed = value.trim();
  const int = /^-?\d+$/.test(trimmed) ? Number(trimmed) : undefined;
  switch (typed) {
    case 'retention':
    case 'localRetention':
      if (int !== undefined && int < 0) return 'infinite';
      return int !== undefined ? durationText(int) : undefined;
    case 'segment': case 'deleteRetention': case 'minCompactionLag': case 'maxCompactionLag':
    case 'messageTimestampBeforeMax': case 'messageTimestampAfterMax':
      return int !== undefined && int >= 0 ? durationText(int) : undefined;
    case 'retentionBytes':
    case 'localRetentionBytes':
      if (int !== undefined && int < 0) return 'infinite';
      return int;
    case 'maxMessageBytes': case 'segmentBytes': case 'minInsyncReplicas':
      return int;
    case 'minCleanableDirtyRatio':
      return Number.isFinite(Number(trimmed)) ? Number(trimmed) : undefined;
    case 'uncleanLeaderElection':
      return /^(true|false)$/i.test(trimmed) ? trimmed.toLowerCase() === 'true' : undefined;
    case 'cleanupPolicy': {
      const set = new Set(trimmed.toLowerCase().split(',').map((s) => s.trim()).filter(Boolean));
      return set.size === 2 && set.has('compact') && set.has('delete') ? 'compact,delete' : trimmed.toLowerCase();
    }
    default:
      return trimmed;
  }
}

/** Whether the construct, given `typed: codeValue`, writes a value the broker considers the same as `brokerValue`. */
export function typedConfigMatches(typed: keyof TopicConfig, codeValue: CodeValue, brokerValue: string): boolean {
  const parsed = topicConfigSchema.safeParse({ [typed]: codeValue });
  if (!parsed.success) return false;
  const written = configValueString(toBrokerConfig(parsed.data as Record<string, unknown>)[TOPIC_CONFIG_NAMES[typed]]);
  return written !== undefined && sameConfigValue(TOPIC_CONFIG_NAMES[typed], written, brokerValue);
}

/** Splits overrides (broker name → value) into typed config and extraConfig. */
export function importTopicConfig(overrides: ReadonlyMap<string, string>): ImportedTopicConfig {
  const config: [keyof TopicConfig, CodeValue][] = [];
  const extraConfig: [string, string][] = [];
  for (const [key, value] of [...overrides].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const typed = TYPED_BY_BROKER_NAME.get(key);
    const v = typed ? candidate(typed, value) : undefined;
    if (typed && v !== undefined && typedConfigMatches(typed, v, value)) config.push([typed, v]);
    else extraConfig.push([key, value]);
  }
  config.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { config, extraConfig };
}
