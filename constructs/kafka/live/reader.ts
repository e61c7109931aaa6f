/**
 * Reads a cluster with a fixed number of admin requests, whatever the number of topics:
 * one metadata read (topics, partitions, replicas, brokers), one DescribeAcls with an ANY filter, and
 * DescribeConfigs for the topics of interest in fixed-size batches sent concurrently (one request per
 * batch; see the benchmark for the batch size). kafkajs refreshes metadata before each admin call, which
 * adds one Metadata request per call, not per topic.
 */
import { LiveKafka } from './client';
import {
  ActualConfigEntry, ActualState, ActualTopic, AclBinding, OPERATION_BY_CODE, PATTERN_BY_CODE, PERMISSION_BY_CODE,
  RESOURCE_TYPE_BY_CODE,
} from './model';

/** kafkajs / Kafka protocol codes used here. */
const CONFIG_RESOURCE_TOPIC = 2;
const CONFIG_RESOURCE_BROKER = 4;
const CONFIG_SOURCE_TOPIC = 1;
const ANY = 1;

/** Options of {@link readCluster}. */
export interface ReadClusterOptions {
  /** Topics whose configs to read: 'all', or names (those missing on the cluster are skipped). @default 'all' */
  readonly configsFor?: 'all' | Iterable<string>;
  /** Also read the broker defaults `num.partitions` and `default.replication.factor`. @default false */
  readonly brokerDefaults?: boolean;
  /** Topics per DescribeConfigs request. @default 1000 */
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
  const [cluster, metadata, acls] = await Promise.all([
    admin.describeCluster(),
    admin.fetchTopicMetadata(),
    admin.describeAcls({
      resourceType: ANY, resourceName: undefined, resourcePatternType: ANY, principal: undefined, host: undefined,
      operation: ANY, permissionType: ANY,
    } as any),
  ]);
  const topics = new Map<string, { name: string; partitions: number; replicationFactor: number; config?: Map<string, ActualConfigEntry> }>();
  for (const t of metadata.topics) {
    const rf = t.partitions.reduce((max, p) => Math.max(max, p.replicas.length), 0);
    topics.set(t.name, { name: t.name, partitions: t.partitions.length, replicationFactor: rf });
  }

  const wanted = options.configsFor === undefined || options.configsFor === 'all'
    ? [...topics.keys()]
    : [...new Set(options.configsFor)].filter((n) => topics.has(n));
  wanted.sort();
  const batch = Math.max(1, options.describeConfigsBatch ?? 1000);
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
    if (node === undefined) throw new Error('the cluster reported no brokers');
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

  const { bindings, foreign } = parseAcls(acls.resources);
  return {
    topics: topics as Map<string, ActualTopic>,
    acls: bindings,
    foreignAcls: foreign,
    brokerCount: cluster.brokers.length,
    brokerDefaults,
    allTopicNames: new Set(topics.keys()),
  };
}

/** kafkajs DescribeAcls resources → bindings (and the ones outside Strimzi's vocabulary, as text). */
export function parseAcls(resources: readonly any[]): { bindings: AclBinding[]; foreign: string[] } {
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
export async function runLimited(tasks: readonly (() => Promise<unknown>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
