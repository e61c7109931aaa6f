/**
 * plan / apply / drift against a live cluster: read (./reader.ts, ./state-store.ts), compute (./plan.ts),
 * execute in batches, verify, record (./state.ts).
 *
 * Apply is safe to re-run after a failure part-way: every run starts from what the cluster *is* (not from
 * what the last run meant to do), each step is idempotent on the broker side, and the state records are
 * written only for what has actually happened.
 */
import { DataOpsError } from '../../lib/errors';
import { LiveKafka } from './client';
import { AclBinding, DesiredState, OPERATION_CODE, PATTERN_CODE, PERMISSION_CODE, RESOURCE_TYPE_CODE } from './model';
import { computePlan, KafkaPlan, KafkaPlanOptions, planDrift, planHasChanges } from './plan';
import { ClusterSnapshot, readCluster, retryTransient, waitForLeaders } from './reader';
import { nextState, STATE_TOPIC, stateKey, StateRecords, stateWrites, StateWrite, TopicRecord, UserRecord } from './state';
import { ensureStateTopic, readState, writeState } from './state-store';

/** Requests and time a phase took. */
export interface LivePhaseStats {
  readonly durationMs: number;
  /** Milliseconds per phase (reading the cluster, reading the state records, planning). */
  readonly phases?: Readonly<Record<string, number>>;
  readonly requests: { readonly total: number; readonly byApi: Readonly<Record<string, number>> };
}

/** Options of {@link planLive}. */
export interface PlanLiveOptions extends KafkaPlanOptions {
  /** Topics per DescribeConfigs request. @default - at most 8 requests (see {@link ReadClusterOptions}) */
  readonly describeConfigsBatch?: number;
}

/** A plan with what it was computed from. */
export interface LivePlan {
  readonly plan: KafkaPlan;
  readonly desired: DesiredState;
  readonly actual: ClusterSnapshot;
  readonly state: StateRecords;
  /** State records apply would write besides the cluster changes (new objects, removal policy changes, adoption). */
  readonly pendingStateWrites: readonly StateWrite[];
  readonly stats: LivePhaseStats;
}

/** Reads the cluster and the state records, and computes the plan. */
export async function planLive(live: LiveKafka, desired: DesiredState, options: PlanLiveOptions = {}): Promise<LivePlan> {
  return planWith(live, desired, options);
}

/** What {@link planWith} may reuse from an earlier read: the configs of topics apply did not touch. */
interface Reuse {
  readonly actual: ClusterSnapshot;
  readonly touched: ReadonlySet<string>;
}

/**
 * Plans; with `knownState`, against those records instead of reading the state topic; with `reuse`, reading
 * configs only for the touched topics (the others cannot have been changed by apply).
 */
async function planWith(live: LiveKafka, desired: DesiredState, options: PlanLiveOptions, knownState?: StateRecords, reuse?: Reuse): Promise<LivePlan> {
  const started = performance.now();
  const before = live.requests.snapshot();
  const declared = desired.topics.map((t) => t.name);
  const fresh = await retryTransient(() => readCluster(live, {
    configsFor: reuse ? declared.filter((n) => reuse.touched.has(n)) : declared,
    brokerDefaults: desired.topics.some((t) => t.partitions === undefined || t.replicas === undefined),
    describeConfigsBatch: options.describeConfigsBatch,
  }));
  const clusterRead = performance.now();
  let actual = fresh;
  if (reuse) {
    const topics = new Map(fresh.topics);
    for (const [name, t] of topics) {
      const old = reuse.actual.topics.get(name);
      if (!t.config && !reuse.touched.has(name) && old?.config) topics.set(name, { ...t, config: old.config });
    }
    actual = { ...fresh, topics };
  }
  const state = knownState ?? await readState(live, desired.env, desired.cluster, actual.allTopicNames.has(STATE_TOPIC));
  const stateRead = performance.now();
  const plan = computePlan(desired, actual, state, options);
  const pendingStateWrites = stateWrites(desired.env, desired.cluster, state, nextState(desired, actual, state));
  const end = performance.now();
  const phases = { readCluster: Math.round(clusterRead - started), readState: Math.round(stateRead - clusterRead), plan: Math.round(end - stateRead) };
  return {
    plan, desired, actual, state, pendingStateWrites,
    stats: { durationMs: end - started, phases, requests: live.requests.since(before) },
  };
}

/** The steps of apply, in order. */
export type KafkaApplyStep = 'create-topics' | 'create-partitions' | 'alter-configs' | 'create-acls' | 'delete-acls' | 'delete-topics' | 'verify' | 'record-state';

/** Progress of apply (for a progress display, logs, or tests that interrupt apply at a precise point). */
export interface KafkaApplyEvent {
  readonly type: 'step-start' | 'step-progress' | 'step-done';
  readonly step: KafkaApplyStep;
  /** Items done in this step so far. */
  readonly done: number;
  /** Items in this step. */
  readonly total: number;
  /** During 'verify': how many differences are not visible on the cluster yet. */
  readonly pending?: number;
}

/** Options of {@link applyLive}. */
export interface ApplyLiveOptions extends PlanLiveOptions {
  /** Items per request (topics per CreateTopics, ACLs per CreateAcls...). @default 500 */
  readonly batchSize?: number;
  /** Called (and awaited) on every step boundary and batch. */
  readonly onEvent?: (event: KafkaApplyEvent) => void | Promise<void>;
  /** How long to wait for the changes to become visible on the cluster. @default 30000 */
  readonly verifyTimeoutMs?: number;
  /** An already computed plan (from {@link planLive} with the same desired state and prune flag). @default - planned now */
  readonly planned?: LivePlan;
}

/** What apply did. */
export interface KafkaApplyResult {
  /** The plan that was executed. */
  readonly planned: LivePlan;
  readonly done: {
    readonly topicsCreated: number;
    readonly partitionsIncreased: number;
    readonly configsAltered: number;
    readonly aclsCreated: number;
    readonly aclsDeleted: number;
    readonly topicsDeleted: number;
    readonly stateRecordsWritten: number;
  };
  /** The plan computed after apply (empty of changes when the cluster converged). */
  readonly after: LivePlan;
  /** Whether the changes are visible on the cluster (after === no changes). */
  readonly verified: boolean;
  readonly stats: LivePhaseStats;
}

/** Apply failed part-way: what was done before the failure. Re-running apply converges. */
export class KafkaApplyError extends DataOpsError {
  constructor(public readonly step: KafkaApplyStep, public readonly completed: KafkaApplyResult['done'], cause: unknown) {
    const done = Object.entries(completed).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing';
    super(`apply stopped during '${step}': ${(cause as Error)?.message ?? String(cause)}. Done before the failure: ${done}. ` +
      'Nothing is half-recorded: fix the cause and run apply again; it re-reads the cluster and converges.', { cause });
    this.name = 'KafkaApplyError';
  }
}

/** Plans and executes: creates, partition increases, config changes, ACL changes, prunes; then verifies and records. */
export async function applyLive(live: LiveKafka, desired: DesiredState, options: ApplyLiveOptions = {}): Promise<KafkaApplyResult> {
  const started = performance.now();
  const requestsBefore = live.requests.snapshot();
  const planned = options.planned ?? await planLive(live, desired, options);
  const { plan, actual } = planned;
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const emit = async (e: KafkaApplyEvent) => {
    if (options.onEvent) await options.onEvent(e);
  };
  const done = { topicsCreated: 0, partitionsIncreased: 0, configsAltered: 0, aclsCreated: 0, aclsDeleted: 0, topicsDeleted: 0, stateRecordsWritten: 0 };
  // The state as recorded so far in this run (records are written as soon as what they describe has happened).
  const topicRecords = new Map(planned.state.topics);
  let stateTopicExists = actual.allTopicNames.has(STATE_TOPIC);
  const record = async (writes: StateWrite[]) => {
    if (writes.length === 0) return;
    if (!stateTopicExists) {
      await ensureStateTopic(live, false, actual.brokerCount);
      stateTopicExists = true;
    }
    await writeState(live, writes);
    done.stateRecordsWritten += writes.length;
  };

  let step: KafkaApplyStep = 'create-topics';
  const run = async <T>(s: KafkaApplyStep, items: readonly T[], exec: (batch: T[]) => Promise<void>) => {
    step = s;
    if (items.length === 0) return;
    await emit({ type: 'step-start', step: s, done: 0, total: items.length });
    for (let i = 0; i < items.length; i += batchSize) {
      const batch = items.slice(i, i + batchSize);
      await exec(batch);
      await emit({ type: 'step-progress', step: s, done: Math.min(items.length, i + batch.length), total: items.length });
    }
    await emit({ type: 'step-done', step: s, done: items.length, total: items.length });
  };

  try {
    const timeout = 60_000;
    await run('create-topics', plan.creates, async (batch) => {
      // kafkajs' own waitForLeaders gives up on UNKNOWN_TOPIC_OR_PARTITION, which KRaft brokers answer until the
      // new topic reaches their metadata cache: wait here instead.
      await live.admin.createTopics({
        waitForLeaders: false,
        timeout,
        topics: batch.map((c) => ({
          topic: c.topic,
          numPartitions: c.partitions,
          replicationFactor: c.replicas,
          configEntries: Object.entries(c.config).map(([name, value]) => ({ name, value })),
        })),
      });
      await waitForLeaders(live, batch.map((c) => c.topic), timeout);
      done.topicsCreated += batch.length;
      // A new topic is complete once created (partitions and configs included): remember it now.
      const writes: StateWrite[] = batch.map((c) => {
        const rec: TopicRecord = { kind: 'topic', name: c.topic, removalPolicy: c.removalPolicy, configKeys: Object.keys(c.config).sort() };
        topicRecords.set(c.topic, rec);
        return { key: stateKey(desired.env, desired.cluster, rec), value: rec };
      });
      await record(writes);
    });
    await run('create-partitions', plan.updates.filter((u) => u.partitions), async (batch) => {
      await live.admin.createPartitions({ timeout, topicPartitions: batch.map((u) => ({ topic: u.topic, count: u.partitions!.to })) });
      done.partitionsIncreased += batch.length;
    });
    await run('alter-configs', plan.updates.filter((u) => u.alterConfig), async (batch) => {
      await live.admin.alterConfigs({
        validateOnly: false,
        resources: batch.map((u) => ({
          type: 2,
          name: u.topic,
          configEntries: Object.entries(u.alterConfig!).map(([name, value]) => ({ name, value })),
        })),
      } as any);
      done.configsAltered += batch.length;
    });
    await run('create-acls', plan.aclCreates, async (batch) => {
      await live.admin.createAcls({ acl: batch.map(toKafkaAcl) as any });
      done.aclsCreated += batch.length;
    });
    const aclDeletes = plan.removals.filter((r) => r.action === 'delete' && r.kind === 'acl').map((r) => r.acl!);
    await run('delete-acls', aclDeletes, async (batch) => {
      await live.admin.deleteAcls({ filters: batch.map(toKafkaAcl) as any });
      done.aclsDeleted += batch.length;
    });
    const topicDeletes = plan.removals.filter((r) => r.action === 'delete' && r.kind === 'topic').map((r) => r.name);
    await run('delete-topics', topicDeletes, async (batch) => {
      await live.admin.deleteTopics({ topics: batch, timeout });
      done.topicsDeleted += batch.length;
    });

    // Verify: re-read until the executed changes are visible (KRaft propagates metadata asynchronously).
    step = 'verify';
    await emit({ type: 'step-start', step, done: 0, total: 1 });
    const deadline = Date.now() + (options.verifyTimeoutMs ?? 30_000);
    const recorded: StateRecords = { topics: topicRecords, users: planned.state.users };
    const reuse: Reuse = { actual, touched: new Set([...plan.creates.map((c) => c.topic), ...plan.updates.map((u) => u.topic)]) };
    let after = await planWith(live, desired, options, recorded, reuse);
    let delay = 100;
    while (planHasChanges(after.plan) && Date.now() < deadline) {
      await emit({ type: 'step-progress', step, done: 0, total: 1, pending: planDrift(after.plan).length });
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2_000);
      after = await planWith(live, desired, options, recorded, reuse);
    }
    const verified = !planHasChanges(after.plan);
    await emit({ type: 'step-done', step, done: 1, total: 1 });

    step = 'record-state';
    const writes = stateWrites(desired.env, desired.cluster, recorded, nextState(desired, after.actual, recorded));
    await emit({ type: 'step-start', step, done: 0, total: writes.length });
    stateTopicExists ||= after.actual.allTopicNames.has(STATE_TOPIC);
    await record(writes);
    await emit({ type: 'step-done', step, done: writes.length, total: writes.length });
    // The plan as seen from the records just written (what the next plan will say).
    const final = { ...after, state: applyWrites(recorded, writes), pendingStateWrites: [] };
    return { planned, done, after: final, verified, stats: { durationMs: performance.now() - started, requests: live.requests.since(requestsBefore) } };
  } catch (e) {
    throw new KafkaApplyError(step, done, e);
  }
}

function applyWrites(state: StateRecords, writes: readonly StateWrite[]): StateRecords {
  const topics = new Map(state.topics);
  const users = new Map(state.users);
  for (const w of writes) {
    const [, , kind, ...rest] = w.key.split('/');
    const name = rest.join('/');
    if (kind === 'topic') {
      if (w.value) topics.set(name, w.value as TopicRecord);
      else topics.delete(name);
    } else if (w.value) users.set(name, w.value as UserRecord);
    else users.delete(name);
  }
  return { topics, users };
}

/** A binding in kafkajs' createAcls / deleteAcls form. */
export function toKafkaAcl(a: AclBinding): Record<string, unknown> {
  return {
    resourceType: RESOURCE_TYPE_CODE[a.resourceType],
    resourceName: a.resourceName,
    resourcePatternType: PATTERN_CODE[a.patternType],
    principal: a.principal,
    host: a.host,
    operation: OPERATION_CODE[a.operation],
    permissionType: PERMISSION_CODE[a.permission],
  };
}
