/**
 * Reads a cluster with a fixed number of admin requests, whatever the number of topics:
 * one metadata read (topics, partitions, replicas, brokers), one DescribeAcls with an ANY filter, and
 * DescribeConfigs for the topics of interest in at most 8 requests, 4 in flight at once (see
 * {@link ReadClusterOptions.describeConfigsBatch}). kafkajs refreshes metadata before each admin call, which
 * adds one Metadata request per call, not per topic.
 */
import { DataOpsError } from '../../lib/errors';
import { LiveKafka } from './client';
import { STATE_TOPIC } from './state';
import {
  ActualConfigEntry, ActualState, ActualTopic, AclBinding, OPERATION_BY_CODE, PATTERN_BY_CODE, PERMISSION_BY_CODE,
  RESOURCE_TYPE_BY_CODE, compareCodeUnits,
} from './model';

/** kafkajs / Kafka protocol codes used here. */
const CONFIG_RESOURCE_TOPIC = 2;
const CONFIG_RESOURCE_BROKER = 4;
const CONFIG_SOURCE_TOPIC = 1;
const ANY = 1;
/** DescribeConfigs requests per read, whatever the number of topics (unless a batch size is given). */
const MAX_DESCRIBE_REQUESTS = 8;

/** Options of {@link readCluster}. */
export interface ReadClusterOptions {
  /** Topics whose configs to read: 'all', or names (those missing on the cluster are skipped). @default 'all' */
  readonly configsFor?: 'all' | Iterable<string>;
  /** Also read the broker defaults `num.partitions` and `default.replication.factor`. @default false */
  readonly brokerDefaults?: boolean;
  /**
   * Topics per DescribeConfigs request.
   * @default - the topics split into at most 8 requests (at least 500 topics each): the number of requests does
   * not grow with the number of topics, and 4 in flight at once keep both the broker and the client busy
   * (10,000 topics: one request 7.2 s, 4 requests 4.7 s, 10 requests 3.9 s; see scripts/bench-kafka.ts)
   */
  readonly describeConfigsBatch?: number;
  /** DescribeConfigs requests in flight at once. @default 4 */
  readonly concurrency?: number;
}

/** The cluster as read, plus the raw topic list (including internal topics). */
export interface ClusterSnapshot extends ActualState {
  /** All topic names on the cluster, internal ones included. */
  readonly allTopicNames: ReadonlySet<string>;
}

/** Reads topics, configs and ACLs. */
export async function readCluster(live: LiveKafka, options: ReadClusterOptions = {}): Promise<ClusterSnapshot> {
  const admin = live.admin;
  const [cluster, metadata] = await Promise.all([admin.describeCluster(), admin.fetchTopicMetadata()]);
  const topics = new Map<string, { name: string; partitions: number; replicationFactor: number; config?: Map<string, ActualConfigEntry> }>();
  for (const t of metadata.topics) {
    const rf = t.partitions.reduce((max, p) => Math.max(max, p.replicas.length), 0);
    topics.set(t.name, { name: t.name, partitions: t.partitions.length, replicationFactor: rf });
  }
  // From here on, kafkajs' metadata refreshes before each admin call cover one topic instead of all of them.
  await live.narrowMetadataRefresh([...(topics.has(STATE_TOPIC) ? [STATE_TOPIC] : []), ...[...topics.keys()].sort(compareCodeUnits).slice(0, 3)]);
  const aclsRead = admin.describeAcls({
    resourceType: ANY, resourceName: undefined, resourcePatternType: ANY, principal: undefined, host: undefined,
    operation: ANY, permissionType: ANY,
  } as any);
  aclsRead.catch(() => undefined); // awaited below; don't let a rejection count as unhandled meanwhile

  const wanted = options.configsFor === undefined || options.configsFor === 'all'
    ? [...topics.keys()]
    : [...new Set(options.configsFor)].filter((n) => topics.has(n));
  wanted.sort();
  const batch = Math.max(1, options.describeConfigsBatch ?? Math.max(500, Math.ceil(wanted.length / MAX_DESCRIBE_REQUESTS)));
  const batches: string[][] = [];
  for (let i = 0; i < wanted.length; i += batch) batches.push(wanted.slice(i, i + batch));
  const describeBatch = async (names: string[]) => {
    const res = await admin.describeConfigs({
      includeSynonyms: false,
      resources: names.map((name) => ({ type: CONFIG_RESOURCE_TOPIC, name })),
    });
    for (const r of res.resources) {
      const t = topics.get(r.resourceName);
      if (!t) continue;
      const config = new Map<string, ActualConfigEntry>();
      for (const e of r.configEntries) {
        config.set(e.configName, {
          value: e.configValue ?? null,
          override: e.configSource === CONFIG_SOURCE_TOPIC || (e.configSource === undefined && e.isDefault === false),
          sensitive: e.isSensitive,
        });
      }
      t.config = config;
    }
  };
  let brokerDefaults: ActualState['brokerDefaults'];
  const readBrokerDefaults = async () => {
    const node = cluster.brokers[0]?.nodeId;
    if (node === undefined) throw new DataOpsError('the cluster reported no brokers: check that --bootstrap points at a running Kafka cluster');
    const res = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: CONFIG_RESOURCE_BROKER, name: String(node), configNames: ['num.partitions', 'default.replication.factor'] }],
    });
    const get = (k: string) => Number(res.resources[0]?.configEntries.find((e) => e.configName === k)?.configValue ?? NaN);
    brokerDefaults = { numPartitions: get('num.partitions') || 1, defaultReplicationFactor: get('default.replication.factor') || 1 };
  };
  await runLimited([
    ...batches.map((b) => () => describeBatch(b)),
    ...(options.brokerDefaults ? [readBrokerDefaults] : []),
  ], Math.max(1, options.concurrency ?? 4));

  const { bindings, foreign } = parseDescribedAcls((await aclsRead).resources);
  return {
    topics: topics as Map<string, ActualTopic>,
    acls: bindings,
    foreignAcls: foreign,
    brokerCount: cluster.brokers.length,
    brokerDefaults,
    allTopicNames: new Set(topics.keys()),
  };
}

/** Waits until every topic has a leader for every partition (KRaft brokers learn about new topics asynchronously). */
export async function waitForLeaders(live: LiveKafka, topics: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  for (;;) {
    try {
      const md = await live.admin.fetchTopicMetadata({ topics: [...topics] });
      const missing = topics.filter((t) => !md.topics.some((m) => m.name === t && m.partitions.length > 0 && m.partitions.every((p) => p.leader >= 0)));
      if (missing.length === 0) return;
      if (Date.now() > deadline) throw new Error(`no leader after ${timeoutMs} ms for ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);
    } catch (e) {
      if (!isTransient(e) || Date.now() > deadline) throw e;
    }
    await new Promise((r) => setTimeout(r, delay));
    // A cheap request (the waited-for topics only): poll often rather than oversleep the moment they appear.
    delay = Math.min(delay * 2, 250);
  }
}

/**
 * Whether a kafkajs error is a transient broker answer: a protocol error the protocol marks retriable (leadership
 * moving, coordinator loading, metadata not propagated yet). Connection errors are not: kafkajs already retried them.
 */
export function isTransient(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; e && i < 6; i++) {
    const rec = e as { name?: string; retriable?: boolean; originalError?: unknown; cause?: unknown; errors?: unknown[] };
    if (rec.name === 'KafkaJSProtocolError' && rec.retriable === true) return true;
    if (rec.errors?.some(isTransient)) return true;
    e = rec.originalError ?? rec.cause;
  }
  return false;
}

/**
 * Runs `fn`, retrying while it fails with a transient Kafka error (leadership moving after a broker restart,
 * metadata not yet propagated), with a backoff, until `timeoutMs`.
 */
export async function retryTransient<T>(fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!isTransient(e) || Date.now() > deadline) throw e;
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 2_000);
  }
}

/** kafkajs DescribeAcls resources → bindings (and the ones outside Strimzi's vocabulary, as text). */
export function parseDescribedAcls(resources: readonly any[]): { bindings: AclBinding[]; foreign: string[] } {
  const bindings: AclBinding[] = [];
  const foreign: string[] = [];
  for (const r of resources) {
    for (const a of r.acls ?? []) {
      const resourceType = RESOURCE_TYPE_BY_CODE.get(r.resourceType);
      const patternType = PATTERN_BY_CODE.get(r.resourcePatternType);
      const operation = OPERATION_BY_CODE.get(a.operation);
      const permission = PERMISSION_BY_CODE.get(a.permissionType);
      if (!resourceType || !patternType || !operation || !permission) {
        foreign.push(`${a.principal} permission#${a.permissionType} operation#${a.operation} resource#${r.resourceType}:${r.resourceName} pattern#${r.resourcePatternType} host ${a.host}`);
        continue;
      }
      bindings.push({ principal: a.principal, resourceType, resourceName: r.resourceName, patternType, operation, host: a.host, permission });
    }
  }
  return { bindings, foreign: foreign.sort() };
}

/** Runs tasks with at most `limit` at once; rejects with the first error. */
async function runLimited(tasks: readonly (() => Promise<unknown>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
