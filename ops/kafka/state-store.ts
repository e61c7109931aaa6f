/**
 * Reads and writes the state records (see ./state.ts) in the compacted state topic.
 *
 * Reading uses a kafkajs consumer with a throw-away group id, from the beginning to the end offsets taken
 * before it starts (kafkajs has no assign()); nothing is committed. When the topic does not exist or is
 * empty, no consumer is started at all.
 */
import { randomBytes } from 'node:crypto';
import { LiveKafka } from './client';
import { retryTransient, waitForLeaders } from './reader';
import { emptyStateRecords, encodeRecord, foldRecords, STATE_TOPIC, StateRecords, StateWrite } from './state';

/** Reads the state of one environment and cluster. `exists`: whether the state topic exists (from metadata). */
export async function readState(live: LiveKafka, env: string, cluster: string, exists: boolean, timeoutMs = 60_000): Promise<StateRecords> {
  if (!exists) return emptyStateRecords();
  return retryTransient(() => readOnce(live, env, cluster, timeoutMs), timeoutMs);
}

async function readOnce(live: LiveKafka, env: string, cluster: string, timeoutMs: number): Promise<StateRecords> {
  // A short-lived admin of its own: the shared admin's metadata may hold a stale leader for the state topic (it is
  // refreshed only for kafkajs' target topics, see LiveKafka), and kafkajs does not refresh it on
  // NOT_LEADER_FOR_PARTITION, so ListOffsets would keep failing (seen right after apply created the state topic).
  const admin = live.kafka.admin({ retry: { retries: 3 } });
  live.count(admin as any, 'state:');
  let offsets: Awaited<ReturnType<typeof admin.fetchTopicOffsets>>;
  await admin.connect();
  try {
    offsets = await admin.fetchTopicOffsets(STATE_TOPIC);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  const ends = new Map<number, bigint>();
  for (const o of offsets) {
    if (BigInt(o.high) > BigInt(o.low)) ends.set(o.partition, BigInt(o.high));
  }
  if (ends.size === 0) return emptyStateRecords();

  const records: { key: string; value: string | null }[] = [];
  const consumer = live.kafka.consumer({
    groupId: `cdk8s-dataops-state-reader-${randomBytes(6).toString('hex')}`,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100,
    sessionTimeout: 30_000,
    rebalanceTimeout: 30_000,
    // Never restart in the background after a crash: readState retries the whole read instead.
    retry: { retries: 3, restartOnFailure: async () => false },
  });
  live.count(consumer as any, 'state:');
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [STATE_TOPIC], fromBeginning: true });
    const pending = new Set(ends.keys());
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`could not read the state topic ${STATE_TOPIC} within ${timeoutMs} ms`)), timeoutMs);
      consumer.on(consumer.events.CRASH, (e: any) => reject(e.payload?.error ?? new Error('state reader crashed')));
      consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            if (!m.key) continue;
            if (BigInt(m.offset) >= (ends.get(batch.partition) ?? 0n)) continue;
            records.push({ key: m.key.toString('utf8'), value: m.value === null ? null : m.value.toString('utf8') });
          }
          const end = ends.get(batch.partition);
          // Compaction leaves offset gaps, but the last record before the end offset is never compacted away.
          if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end) pending.delete(batch.partition);
          if (pending.size === 0) resolve();
        },
      }).catch(reject);
    });
  } finally {
    if (timer) clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
  return foldRecords(env, cluster, records);
}

/** Creates the state topic when missing: compacted, one partition, replicated like the cluster allows. */
export async function ensureStateTopic(live: LiveKafka, exists: boolean, brokerCount: number): Promise<boolean> {
  if (exists) return false;
  await live.admin.createTopics({
    waitForLeaders: false,
    timeout: 30_000,
    topics: [{
      topic: STATE_TOPIC,
      numPartitions: 1,
      replicationFactor: Math.min(3, Math.max(1, brokerCount)),
      configEntries: [
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'min.insync.replicas', value: String(Math.min(2, Math.max(1, brokerCount - 1))) },
        { name: 'retention.ms', value: '-1' },
      ],
    }],
  });
  await waitForLeaders(live, [STATE_TOPIC], 30_000);
  return true;
}

/** Writes records (acks from all in-sync replicas), in one request per batch of `batchSize`. */
export async function writeState(live: LiveKafka, writes: readonly StateWrite[], batchSize = 2_000): Promise<void> {
  if (writes.length === 0) return;
  const producer = live.kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 5 } });
  live.count(producer as any, 'state:');
  await producer.connect();
  try {
    for (let i = 0; i < writes.length; i += batchSize) {
      await producer.send({
        topic: STATE_TOPIC,
        acks: -1,
        messages: writes.slice(i, i + batchSize).map((w) => ({ key: w.key, value: encodeRecord(w.value) })),
      });
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}
