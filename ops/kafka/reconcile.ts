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
import { AclBinding, aclKey, DesiredState, OPERATION_CODE, PATTERN_CODE, PERMISSION_CODE, RESOURCE_TYPE_CODE } from './model';
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
export type KafkaApplyStep = 'create-partitions' | 'alter-configs' | 'create-topics' | 'create-acls' | 'delete-acls' | 'delete-topics' | 'verify' | 'record-state';

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
  /**
   * Items per request (ACLs per CreateAcls, configs per AlterConfigs, topics per DeleteTopics...; topics per
   * CreateTopics only when given).
   * @default 500; CreateTopics: as many topics as {@link partitionsPerRequest} and {@link recordsPerRequest} allow.
   * A KRaft broker makes the topics of one CreateTopics request visible at once, but those of the next request only
   * after it has created the logs and applied the configs of the previous one (about 11 ms per topic with a config on
   * the 10,000-topic bench broker): 1,000 topics in one request were served after 0.5 s, in two of 500 after 3–6 s.
   */
  readonly batchSize?: number;
  /**
   * Partitions per CreateTopics / CreatePartitions request. A KRaft controller rejects a request that creates more
   * than 10,000 partitions at once (KAFKA-17870, and KAFKA-19673 for CreatePartitions); a topic with more partitions
   * than this goes alone.
   * @default 5000
   */
  readonly partitionsPerRequest?: number;
  /**
   * Metadata records per CreateTopics request: a topic is one TopicRecord, one PartitionRecord per partition and one
   * ConfigRecord per config entry, and a KRaft controller refuses a request whose records do not fit in one atomic
   * batch of 10,000 (KAFKA-14996), whatever its partition count. A topic above this goes alone.
   * @default 5000
   */
  readonly recordsPerRequest?: number;
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

/**
 * Plans and executes: partition increases and config changes of existing topics, creates, ACL changes, prunes;
 * then verifies and records. Existing topics are changed before new ones are created: a KRaft broker applies
 * metadata in order, and materializing new topics (a log per partition, then their configs) keeps it busy for
 * seconds, so a config change sent after the creates would become visible (and verifiable) only after all that.
 */
export async function applyLive(live: LiveKafka, desired: DesiredState, options: ApplyLiveOptions = {}): Promise<KafkaApplyResult> {
  const started = performance.now();
  const requestsBefore = live.requests.snapshot();
  const planned = options.planned ?? await planLive(live, desired, options);
  const run = new ApplyRun(live, desired, planned, options);
  try {
    await run.prepareStateTopic();
    await run.createPartitions();
    await run.alterConfigs();
    await run.createTopics();
    await run.createAcls();
    await run.deleteAcls();
    await run.deleteTopics();
    const { after, verified } = await run.verify();
    const final = await run.recordState(after);
    return { planned, done: run.done, after: final, verified, stats: { durationMs: performance.now() - started, requests: live.requests.since(requestsBefore) } };
  } catch (e) {
    throw new KafkaApplyError(run.step, run.done, e);
  }
}

/** Timeout of each admin request apply sends. */
const REQUEST_TIMEOUT_MS = 60_000;

/** One execution of a plan: one method per step, in the order {@link applyLive} calls them. */
class ApplyRun {
  public step: KafkaApplyStep = 'create-partitions';
  public readonly done = { topicsCreated: 0, partitionsIncreased: 0, configsAltered: 0, aclsCreated: 0, aclsDeleted: 0, topicsDeleted: 0, stateRecordsWritten: 0 };
  private readonly plan: KafkaPlan;
  private readonly batchSize: number;
  private readonly createBatchSize: number;
  private readonly partitionsPerRequest: number;
  private readonly recordsPerRequest: number;
  /** The state as recorded so far in this run (records are written as soon as what they describe has happened). */
  private readonly topicRecords: Map<string, TopicRecord>;
  /** Bindings this run created ({@link aclKey} form): recorded as created, not adopted. */
  private readonly createdAcls = new Set<string>();
  private stateTopicExists: boolean;

  constructor(private readonly live: LiveKafka, private readonly desired: DesiredState, private readonly planned: LivePlan,
    private readonly options: ApplyLiveOptions) {
    this.plan = planned.plan;
    this.batchSize = Math.max(1, options.batchSize ?? 500);
    this.createBatchSize = options.batchSize !== undefined ? this.batchSize : Number.POSITIVE_INFINITY;
    this.partitionsPerRequest = Math.max(1, options.partitionsPerRequest ?? 5_000);
    this.recordsPerRequest = Math.max(1, options.recordsPerRequest ?? 5_000);
    this.topicRecords = new Map(planned.state.topics);
    this.stateTopicExists = planned.actual.allTopicNames.has(STATE_TOPIC);
  }

  /**
   * Creates the state topic now when the creates will need it: created after them, it waits until the broker has
   * published them (a log and a config update per topic: 11 s for 1,000 topics on the 10,000-topic bench broker).
   */
  public async prepareStateTopic(): Promise<void> {
    if (this.stateTopicExists || this.plan.creates.length === 0) return;
    this.step = 'create-topics';
    await ensureStateTopic(this.live, false, this.planned.actual.brokerCount);
    this.stateTopicExists = true;
    this.step = 'create-partitions';
  }

  public async createTopics(): Promise<void> {
    const limits: BatchLimit<KafkaPlan['creates'][number]>[] = [
      { weight: (c) => c.partitions, max: this.partitionsPerRequest },
      { weight: (c) => 1 + c.partitions + Object.keys(c.config).length, max: this.recordsPerRequest },
    ];
    await this.run('create-topics', this.plan.creates, limits, this.createBatchSize, async (batch) => {
      // kafkajs' own waitForLeaders gives up on UNKNOWN_TOPIC_OR_PARTITION, which KRaft brokers answer until the
      // new topic reaches their metadata cache: wait here instead.
      await this.live.admin.createTopics({
        waitForLeaders: false,
        timeout: REQUEST_TIMEOUT_MS,
        topics: batch.map((c) => ({
          topic: c.topic,
          numPartitions: c.partitions,
          replicationFactor: c.replicas,
          configEntries: Object.entries(c.config).map(([name, value]) => ({ name, value })),
        })),
      });
      await waitForLeaders(this.live, batch.map((c) => c.topic), REQUEST_TIMEOUT_MS);
      this.done.topicsCreated += batch.length;
      // A new topic is complete once created (partitions and configs included): remember it now.
      await this.record(batch.map((c) => {
        const rec: TopicRecord = { kind: 'topic', name: c.topic, removalPolicy: c.removalPolicy, configKeys: Object.keys(c.config).sort(), origin: 'created' };
        this.topicRecords.set(c.topic, rec);
        return { key: stateKey(this.desired.env, this.desired.cluster, rec), value: rec };
      }));
    });
  }

  public async createPartitions(): Promise<void> {
    const increases = this.plan.updates.filter((u) => u.partitions);
    await this.run('create-partitions', increases, [{ weight: (u) => u.partitions!.to - u.partitions!.from, max: this.partitionsPerRequest }], this.batchSize, async (batch) => {
      await this.live.admin.createPartitions({ timeout: REQUEST_TIMEOUT_MS, topicPartitions: batch.map((u) => ({ topic: u.topic, count: u.partitions!.to })) });
      this.done.partitionsIncreased += batch.length;
    });
  }

  public async alterConfigs(): Promise<void> {
    await this.run('alter-configs', this.plan.updates.filter((u) => u.alterConfig), [], this.batchSize, async (batch) => {
      await this.live.admin.alterConfigs({
        validateOnly: false,
        resources: batch.map((u) => ({
          type: 2,
          name: u.topic,
          configEntries: Object.entries(u.alterConfig!).map(([name, value]) => ({ name, value })),
        })),
      } as any);
      this.done.configsAltered += batch.length;
    });
  }

  public async createAcls(): Promise<void> {
    await this.run('create-acls', this.plan.aclCreates, [], this.batchSize, async (batch) => {
      await this.live.admin.createAcls({ acl: batch.map(toKafkaAcl) as any });
      for (const a of batch) this.createdAcls.add(aclKey(a));
      this.done.aclsCreated += batch.length;
    });
  }

  public async deleteAcls(): Promise<void> {
    const deletes = this.plan.removals.filter((r) => r.action === 'delete' && r.kind === 'acl').map((r) => r.acl!);
    await this.run('delete-acls', deletes, [], this.batchSize, async (batch) => {
      await this.live.admin.deleteAcls({ filters: batch.map(toKafkaAcl) as any });
      this.done.aclsDeleted += batch.length;
    });
  }

  public async deleteTopics(): Promise<void> {
    const deletes = this.plan.removals.filter((r) => r.action === 'delete' && r.kind === 'topic').map((r) => r.name);
    await this.run('delete-topics', deletes, [], this.batchSize, async (batch) => {
      await this.live.admin.deleteTopics({ topics: batch, timeout: REQUEST_TIMEOUT_MS });
      this.done.topicsDeleted += batch.length;
    });
  }

  /** Re-reads until the executed changes are visible (KRaft propagates metadata asynchronously). */
  public async verify(): Promise<{ after: LivePlan; verified: boolean }> {
    this.step = 'verify';
    await this.emit({ type: 'step-start', step: this.step, done: 0, total: 1 });
    const deadline = Date.now() + (this.options.verifyTimeoutMs ?? 30_000);
    const reuse: Reuse = {
      actual: this.planned.actual,
      touched: new Set([...this.plan.creates.map((c) => c.topic), ...this.plan.updates.map((u) => u.topic)]),
    };
    let after = await planWith(this.live, this.desired, this.options, this.recorded(), reuse);
    // Each round is a whole re-read (itself ~0.5 s on a 10,000-topic cluster): waiting up to 2 s between rounds, as
    // before, overshot the moment the changes became visible by that much.
    let delay = 100;
    while (planHasChanges(after.plan) && Date.now() < deadline) {
      await this.emit({ type: 'step-progress', step: this.step, done: 0, total: 1, pending: planDrift(after.plan).length });
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 400);
      after = await planWith(this.live, this.desired, this.options, this.recorded(), reuse);
    }
    await this.emit({ type: 'step-done', step: this.step, done: 1, total: 1 });
    return { after, verified: !planHasChanges(after.plan) };
  }

  /** Records what the cluster now holds; returns the plan as seen from those records (what the next plan will say). */
  public async recordState(after: LivePlan): Promise<LivePlan> {
    this.step = 'record-state';
    const recorded = this.recorded();
    const writes = stateWrites(this.desired.env, this.desired.cluster, recorded, nextState(this.desired, after.actual, recorded, this.createdAcls));
    await this.emit({ type: 'step-start', step: this.step, done: 0, total: writes.length });
    this.stateTopicExists ||= after.actual.allTopicNames.has(STATE_TOPIC);
    await this.record(writes);
    await this.emit({ type: 'step-done', step: this.step, done: writes.length, total: writes.length });
    return { ...after, state: applyWrites(recorded, writes), pendingStateWrites: [] };
  }

  private recorded(): StateRecords {
    return { topics: this.topicRecords, users: this.planned.state.users };
  }

  private async record(writes: readonly StateWrite[]): Promise<void> {
    if (writes.length === 0) return;
    if (!this.stateTopicExists) {
      await ensureStateTopic(this.live, false, this.planned.actual.brokerCount);
      this.stateTopicExists = true;
    }
    await writeState(this.live, writes);
    this.done.stateRecordsWritten += writes.length;
  }

  private async emit(e: KafkaApplyEvent): Promise<void> {
    if (this.options.onEvent) await this.options.onEvent(e);
  }

  /** Runs one step in batches of at most `maxItems` items and within each of `limits`. */
  private async run<T>(step: KafkaApplyStep, items: readonly T[], limits: readonly BatchLimit<T>[], maxItems: number, exec: (batch: T[]) => Promise<void>): Promise<void> {
    this.step = step;
    if (items.length === 0) return;
    await this.emit({ type: 'step-start', step, done: 0, total: items.length });
    let done = 0;
    for (const batch of batches(items, maxItems, limits)) {
      await exec(batch);
      done += batch.length;
      await this.emit({ type: 'step-progress', step, done, total: items.length });
    }
    await this.emit({ type: 'step-done', step, done: items.length, total: items.length });
  }
}

/** A bound on the total weight of a batch (partitions, metadata records...). */
export interface BatchLimit<T> {
  readonly weight: (item: T) => number;
  readonly max: number;
}

/**
 * Splits items into batches of at most `maxItems`, each within every limit (the total weight of its items at most
 * the limit's `max`; an item heavier than a limit goes alone). A single `weight` and `maxWeight` is one limit.
 */
export function batches<T>(items: readonly T[], maxItems: number, weight?: ((item: T) => number) | readonly BatchLimit<T>[], maxWeight = Number.POSITIVE_INFINITY): T[][] {
  const limits: readonly BatchLimit<T>[] = typeof weight === 'function' ? [{ weight, max: maxWeight }] : weight ?? [];
  const out: T[][] = [];
  let current: T[] = [];
  let loads = limits.map(() => 0);
  for (const item of items) {
    const w = limits.map((l) => l.weight(item));
    if (current.length > 0 && (current.length >= maxItems || limits.some((l, i) => loads[i] + w[i] > l.max))) {
      out.push(current);
      current = [];
      loads = limits.map(() => 0);
    }
    current.push(item);
    loads = loads.map((x, i) => x + w[i]);
  }
  if (current.length > 0) out.push(current);
  return out;
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
