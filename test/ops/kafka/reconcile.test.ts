/**
 * plan / apply / drift / import against a REAL Kafka broker (KRaft, SASL/SCRAM, StandardAuthorizer), for
 * both supported Kafka lines. One broker per version, shared by the tests of this file; each test uses its
 * own environment name (state records) and topic/user names, so tests don't see each other's objects as
 * anything but unmanaged. If the broker cannot start, beforeAll throws and every test fails.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyLive, batches, DesiredState, desiredStateFromObjects, importCluster, KafkaApplyError, KafkaApplyEvent, LiveKafka, loadDesiredState, planDrift,
  planHasChanges, planLive, planVerdict, readState,
} from '../../../ops/kafka';
import { TOPIC_CONFIG_NAMES } from '../../../constructs/kafka/topic-config';
import { main } from '../../../synth/cli';
import { KAFKA_VERSIONS, startBroker, type BrokerHandle } from '../../support/kafka/broker';
import { eventually, kafkaTopic, kafkaUser, synthesizeCode } from './helpers';

const BROKER_TIMEOUT = 300_000;
const TEST_TIMEOUT = 180_000;

function desired(env: string, objects: object[]): DesiredState {
  return desiredStateFromObjects(objects.map((object, i) => ({ file: `${env}-${i}.yaml`, object })), { env, cluster: 'main' });
}

/** A value for every topic config our constructs can emit (valid on a single broker without tiered storage). */
const CONFIG_SAMPLES: Record<string, string> = {
  'retention.ms': '604800000',
  'retention.bytes': '1073741824',
  'cleanup.policy': 'compact,delete',
  'compression.type': 'zstd',
  'min.insync.replicas': '1',
  'max.message.bytes': '2097152',
  'segment.bytes': '16777216',
  'segment.ms': '3600000',
  'message.timestamp.type': 'LogAppendTime',
  'delete.retention.ms': '86400000',
  'min.compaction.lag.ms': '60000',
  'max.compaction.lag.ms': '604800000',
  'min.cleanable.dirty.ratio': '0.3',
  'unclean.leader.election.enable': 'false',
  'local.retention.ms': '86400000',
  'local.retention.bytes': '536870912',
  'message.timestamp.before.max.ms': '86400000',
  'message.timestamp.after.max.ms': '3600000',
};

describe.each([
  ['current', KAFKA_VERSIONS.current],
  ['legacy', KAFKA_VERSIONS.legacy],
])('live Kafka (%s: %s)', (_label, version) => {
  let broker: BrokerHandle;
  let kafka: Kafka;
  let admin: Admin;
  const open: LiveKafka[] = [];

  const connect = async (retries = 3): Promise<LiveKafka> => {
    const live = await LiveKafka.connect({ brokers: [broker.bootstrap], sasl: broker.sasl, retries, connectionTimeout: 3_000, requestTimeout: 30_000 });
    open.push(live);
    return live;
  };

  beforeAll(async () => {
    broker = await startBroker({ version });
    kafka = new Kafka({ clientId: 'live-test', brokers: [broker.bootstrap], sasl: broker.sasl, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  }, BROKER_TIMEOUT);

  /** Creates topics by hand (outside the reconciler) and waits until the broker serves them. */
  const createTopics = async (names: string[], configEntries: { name: string; value: string }[] = []) => {
    await admin.createTopics({ waitForLeaders: false, topics: names.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1, configEntries })) });
    await eventually(async () => {
      const md = await admin.fetchTopicMetadata({ topics: names });
      if (!md.topics.every((t) => t.partitions.every((p) => p.leader >= 0))) throw new Error('no leader yet');
    });
  };

  afterAll(async () => {
    for (const l of open) await l.disconnect();
    await admin?.disconnect().catch(() => undefined);
    await broker?.destroy();
  }, BROKER_TIMEOUT);

  it('plan → apply → plan is empty; a second apply changes nothing (idempotent)', async () => {
    const live = await connect();
    const d = desired('roundtrip', [
      kafkaTopic('rt.orders', { partitions: 3, replicas: 1, config: { 'retention.ms': 86400000, 'cleanup.policy': 'delete', 'max.message.bytes': 2097152 } }),
      kafkaTopic('rt.events', { config: { 'cleanup.policy': 'compact' } }, { removalPolicy: 'destroy' }),
      kafkaUser('rt-app', [
        { resource: { type: 'topic', name: 'rt.orders', patternType: 'literal' }, operations: ['Read', 'Describe'] },
        { resource: { type: 'group', name: 'rt-', patternType: 'prefix' }, operations: ['Read'] },
        { resource: { type: 'cluster' }, operations: ['IdempotentWrite'] },
      ]),
      kafkaUser('rt-tls', [{ resource: { type: 'topic', name: 'rt.events' }, operations: ['Write'], type: 'deny', host: '10.1.2.3' }], { authentication: 'tls' }),
    ]);
    const before = await planLive(live, d);
    expect(before.plan.creates.map((c) => [c.topic, c.partitions, c.replicas])).toEqual([['rt.events', 1, 1], ['rt.orders', 3, 1]]);
    expect(before.plan.aclCreates).toHaveLength(5);

    const applied = await applyLive(live, d);
    expect(applied.done).toMatchObject({ topicsCreated: 2, aclsCreated: 5, configsAltered: 0 });
    expect(applied.verified).toBe(true);

    // What the cluster holds now, read independently of the reconciler.
    const md = await admin.fetchTopicMetadata({ topics: ['rt.orders'] });
    expect(md.topics[0].partitions).toHaveLength(3);
    const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'rt.orders' }] });
    const overrides = Object.fromEntries(cfg.resources[0].configEntries.filter((e) => e.configSource === 1).map((e) => [e.configName, e.configValue]));
    expect(overrides).toEqual({ 'cleanup.policy': 'delete', 'max.message.bytes': '2097152', 'retention.ms': '86400000' });
    const acls = await admin.describeAcls({ resourceType: 1, resourcePatternType: 1, operation: 1, permissionType: 1, principal: 'User:CN=rt-tls' } as any);
    expect(acls.resources.flatMap((r: any) => r.acls.map((a: any) => `${r.resourceName} ${a.operation} ${a.permissionType} ${a.host}`))).toEqual(['rt.events 4 2 10.1.2.3']);

    const after = await planLive(live, d);
    expect(planHasChanges(after.plan)).toBe(false);
    expect(planDrift(after.plan)).toEqual([]);
    expect(after.pendingStateWrites).toEqual([]);
    const again = await applyLive(live, d);
    expect(again.done).toEqual({ topicsCreated: 0, partitionsIncreased: 0, configsAltered: 0, aclsCreated: 0, aclsDeleted: 0, topicsDeleted: 0, stateRecordsWritten: 0 });

    // The state topic remembers the removal policies.
    const state = await readState(live, 'roundtrip', 'main', true);
    expect(state.topics.get('rt.events')?.removalPolicy).toBe('destroy');
    expect(state.topics.get('rt.orders')).toEqual({ kind: 'topic', name: 'rt.orders', removalPolicy: 'retain', configKeys: ['cleanup.policy', 'max.message.bytes', 'retention.ms'], origin: 'created' });
    expect(state.users.get('User:rt-app')?.acls).toHaveLength(4);
  }, TEST_TIMEOUT);

  it('plans with the same round trips for 1 and 30 topics', async () => {
    await createTopics(Array.from({ length: 31 }, (_, i) => `trips.${i}`));
    // A fresh connection each (the first read on a connection also narrows kafkajs' metadata refreshes).
    const one = await planLive(await connect(), desired('trips-a', [kafkaTopic('trips.0', { partitions: 1, replicas: 1 })]));
    const many = await planLive(await connect(), desired('trips-b', Array.from({ length: 30 }, (_, i) => kafkaTopic(`trips.${i + 1}`, { partitions: 1, replicas: 1 }))));
    expect(many.stats.requests.byApi.DescribeConfigs).toBe(1);
    expect(many.stats.requests.byApi.DescribeAcls).toBe(1);
    // Every API is sent equally often, except Metadata: kafkajs decides itself when its cached metadata is stale
    // (admin: ±1), and the state reader (a kafkajs consumer, 'state:*') refreshes on its own schedule.
    const without = (byApi: Readonly<Record<string, number>>) => Object.fromEntries(Object.entries(byApi).filter(([k]) => !k.endsWith('Metadata')));
    expect(without(many.stats.requests.byApi)).toEqual(without(one.stats.requests.byApi));
    expect(Math.abs(many.stats.requests.byApi.Metadata - one.stats.requests.byApi.Metadata)).toBeLessThanOrEqual(1);
    expect(Object.keys(many.stats.requests.byApi).filter((k) => !k.startsWith('state:')).sort()).toEqual(['DescribeAcls', 'DescribeConfigs', 'ListOffsets', 'Metadata']);
  }, TEST_TIMEOUT);

  it('accepts every topic config key our constructs can emit', async () => {
    expect(Object.keys(CONFIG_SAMPLES).sort()).toEqual(Object.values(TOPIC_CONFIG_NAMES).sort());
    const results: Record<string, string> = {};
    for (const [key, value] of Object.entries(CONFIG_SAMPLES)) {
      const topic = `cfg.${key}`;
      try {
        await createTopics([topic], [{ name: key, value }]);
        results[key] = 'accepted';
      } catch (e) {
        const err = e as any;
        results[key] = `rejected: ${err.errors?.[0]?.message ?? err.message}`;
      }
    }
    // eslint-disable-next-line no-console
    console.log(`Kafka ${version} topic config keys:`, results);
    expect(Object.entries(results).filter(([, r]) => r !== 'accepted')).toEqual([]);
    // And the values read back compare equal (no perpetual diff on any key).
    const live = await connect();
    const d = desired('cfg', Object.entries(CONFIG_SAMPLES).map(([k, v]) => kafkaTopic(`cfg.${k}`, { partitions: 1, replicas: 1, config: { [k]: v } })));
    expect(planDrift((await planLive(live, d)).plan)).toEqual([]);
  }, TEST_TIMEOUT);

  it('changes partitions and configs without losing a message; keeps overrides it never set, removes the ones it did', async () => {
    const live = await connect();
    const v1 = desired('change', [kafkaTopic('chg.orders', { partitions: 2, replicas: 1, config: { 'retention.ms': 3600000, 'segment.ms': 600000 } })]);
    await applyLive(live, v1);
    // Someone sets an override by hand (kafkajs' alterConfigs replaces all overrides, so resend the others).
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: 'chg.orders', configEntries: [
      { name: 'retention.ms', value: '3600000' }, { name: 'segment.ms', value: '600000' }, { name: 'retention.bytes', value: '1073741824' }] }] } as any);

    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const sent = Array.from({ length: 200 }, (_, i) => ({ key: `k${i}`, value: `message ${i}`, partition: i % 2 }));
    await producer.send({ topic: 'chg.orders', acks: -1, messages: sent });
    await producer.disconnect();

    const v2 = desired('change', [kafkaTopic('chg.orders', { partitions: 4, replicas: 1, config: { 'retention.ms': 604800000, 'max.message.bytes': 2097152 } })]);
    const planned = await eventually(async () => {
      const p = await planLive(live, v2);
      if (p.plan.unmanagedOverrides.length === 0) throw new Error('hand-set override not visible yet');
      return p;
    });
    expect(planned.plan.updates).toEqual([{
      topic: 'chg.orders',
      partitions: { from: 2, to: 4 },
      configChanges: [
        { key: 'max.message.bytes', from: '1048588', fromDefault: true, to: '2097152' },
        { key: 'retention.ms', from: '3600000', fromDefault: false, to: '604800000' },
        { key: 'segment.ms', from: '600000', fromDefault: false, to: undefined },
      ],
      alterConfig: { 'max.message.bytes': '2097152', 'retention.bytes': '1073741824', 'retention.ms': '604800000' },
    }]);
    expect(planDrift(planned.plan)).toContain('topic chg.orders: override retention.bytes=1073741824 is not in dist');

    const applied = await applyLive(live, v2, { planned });
    expect(applied.done).toMatchObject({ partitionsIncreased: 1, configsAltered: 1 });
    expect(applied.verified).toBe(true);
    const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'chg.orders' }] });
    const overrides = Object.fromEntries(cfg.resources[0].configEntries.filter((e) => e.configSource === 1).map((e) => [e.configName, e.configValue]));
    expect(overrides).toEqual({ 'max.message.bytes': '2097152', 'retention.bytes': '1073741824', 'retention.ms': '604800000' });
    expect((await admin.fetchTopicMetadata({ topics: ['chg.orders'] })).topics[0].partitions).toHaveLength(4);

    // Every message produced before the change is still there.
    const consumer = kafka.consumer({ groupId: `chg-${version}`, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    await consumer.connect();
    await consumer.subscribe({ topics: ['chg.orders'], fromBeginning: true });
    const received = new Set<string>();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${received.size} of 200 messages after 60 s`)), 60_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.add(`${message.key}=${message.value}`);
          if (received.size === sent.length) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    expect([...received].sort()).toEqual(sent.map((m) => `${m.key}=${m.value}`).sort());
    // The hand-set override is still reported as drift, and nothing else.
    expect(planDrift((await planLive(live, v2)).plan)).toEqual(['topic chg.orders: override retention.bytes=1073741824 is not in dist']);
  }, TEST_TIMEOUT);

  it('refuses partition decreases and replication factor changes, and reports them as drift', async () => {
    const live = await connect();
    await applyLive(live, desired('refuse', [kafkaTopic('ref.t', { partitions: 4, replicas: 1 })]));
    const d = desired('refuse', [kafkaTopic('ref.t', { partitions: 2, replicas: 1 }), kafkaTopic('ref.rf', { partitions: 1, replicas: 3 })]);
    const p = await planLive(live, d);
    expect(p.plan.refused.map((r) => `${r.object}: ${r.change}`)).toEqual(['topic ref.rf: create', 'topic ref.t: partitions 4 → 2']);
    const r = await applyLive(live, d);
    expect(r.done.partitionsIncreased + r.done.topicsCreated).toBe(0);
    expect((await admin.fetchTopicMetadata({ topics: ['ref.t'] })).topics[0].partitions).toHaveLength(4);
    expect(planDrift(r.after.plan)).toEqual([
      'topic ref.rf: create (needs 3 replicas but the cluster has 1 broker(s))',
      'topic ref.t: partitions 4 → 2 (Kafka cannot decrease partitions; keep 4 in the code, or create a new topic and migrate)',
    ]);
  }, TEST_TIMEOUT);

  it('prunes only what was recorded with DESTROY, and only with --prune', async () => {
    const live = await connect();
    await createTopics(['prune.never-managed']);
    await applyLive(live, desired('prune', [
      kafkaTopic('prune.destroy', { partitions: 1, replicas: 1 }, { removalPolicy: 'destroy' }),
      kafkaTopic('prune.retain', { partitions: 1, replicas: 1 }, { removalPolicy: 'retain' }),
      kafkaUser('prune-gone', [{ resource: { type: 'topic', name: 'prune.destroy' }, operations: ['Read'] }], { removalPolicy: 'destroy' }),
      kafkaUser('prune-kept', [{ resource: { type: 'topic', name: 'prune.retain' }, operations: ['Read'] }], { removalPolicy: 'retain' }),
    ]));
    const empty = desiredStateFromObjects([], { env: 'prune', cluster: 'main' });

    const noPrune = await applyLive(live, empty);
    expect(noPrune.done.topicsDeleted + noPrune.done.aclsDeleted).toBe(0);
    const reasons = (p: typeof noPrune.planned.plan) => Object.fromEntries(p.removals.map((r) => [r.name, `${r.action}: ${r.reason}`]));
    expect(reasons(noPrune.planned.plan)).toEqual({
      'prune.destroy': 'skip: removed from dist; created by cdk8s-dataops; recorded with RemovalPolicy.DESTROY; deleted only with --prune',
      'prune.retain': 'skip: removed from dist; created by cdk8s-dataops; not marked removable (RemovalPolicy.RETAIN)',
      'User:prune-gone ALLOW Read topic:prune.destroy': 'skip: KafkaUser removed from dist (created by cdk8s-dataops); recorded with RemovalPolicy.DESTROY; deleted only with --prune',
      'User:prune-kept ALLOW Read topic:prune.retain': 'skip: KafkaUser removed from dist (created by cdk8s-dataops); not marked removable (RemovalPolicy.RETAIN)',
    });
    expect(noPrune.planned.plan.unmanaged.topics).toContain('prune.never-managed');

    const pruned = await applyLive(live, empty, { prune: true });
    expect(pruned.done).toMatchObject({ topicsDeleted: 1, aclsDeleted: 1 });
    expect(reasons(pruned.planned.plan)['prune.destroy']).toBe('delete: removed from dist; created by cdk8s-dataops; recorded with RemovalPolicy.DESTROY');
    const names = await admin.listTopics();
    expect(names).not.toContain('prune.destroy');
    expect(names).toEqual(expect.arrayContaining(['prune.retain', 'prune.never-managed']));
    // The deleted topic's record is gone; the retained ones are still remembered.
    const state = await readState(live, 'prune', 'main', true);
    expect([...state.topics.keys()]).toEqual(['prune.retain']);
    expect([...state.users.keys()]).toEqual(['User:prune-kept']);
    // A second prune has nothing left to do.
    expect((await applyLive(live, empty, { prune: true })).done.topicsDeleted).toBe(0);
  }, TEST_TIMEOUT);

  it('never prunes what existed before it (adopted), and refuses to prune a DENY without --allow-deny-removal', async () => {
    const live = await connect();
    // Existing estate, made by hand: a topic, an ALLOW and a DENY binding.
    await createTopics(['adopt.orders']);
    const handMade = [
      { resourceType: 2, resourceName: 'adopt.orders', resourcePatternType: 3, principal: 'User:adopt-app', host: '*', operation: 3, permissionType: 3 },
      { resourceType: 2, resourceName: 'adopt.', resourcePatternType: 4, principal: 'User:adopt-app', host: '*', operation: 4, permissionType: 2 },
    ];
    await admin.createAcls({ acl: handMade as any });
    const onBroker = async () => (await admin.describeAcls({ resourceType: 1, resourcePatternType: 1, operation: 1, permissionType: 1, principal: 'User:adopt-app' } as any))
      .resources.flatMap((r: any) => r.acls.map((a: any) => `${r.resourceName} ${a.operation} ${a.permissionType}`)).sort();
    const adoptedAcls = [
      { resource: { type: 'topic', name: 'adopt.orders', patternType: 'literal' }, operations: ['Read'] },
      { resource: { type: 'topic', name: 'adopt.', patternType: 'prefix' }, operations: ['Write'], type: 'deny' },
    ];
    const grant = { resource: { type: 'topic', name: 'adopt.orders', patternType: 'literal' }, operations: ['Describe'] };
    const ourDeny = { resource: { type: 'topic', name: 'adopt.secret', patternType: 'literal' }, operations: ['Read'], type: 'deny' };
    // The code declares the estate (as import writes it) plus one grant and one DENY of its own; apply adopts and creates.
    await eventually(async () => {
      if ((await onBroker()).length < 2) throw new Error('hand-made ACLs not visible yet');
    });
    const first = await applyLive(live, desired('adopt', [kafkaTopic('adopt.orders', { partitions: 1, replicas: 1 }), kafkaUser('adopt-app', [...adoptedAcls, grant, ourDeny])]));
    expect(first.done).toMatchObject({ topicsCreated: 0, aclsCreated: 2 });
    const state = await readState(live, 'adopt', 'main', true);
    expect(state.topics.get('adopt.orders')?.origin).toBe('adopted');
    expect(state.users.get('User:adopt-app')?.adoptedAcls).toHaveLength(2);
    expect(state.users.get('User:adopt-app')?.acls).toHaveLength(2);

    // Every line removed from the code, topic included, then prune: only our own ALLOW grant goes.
    const emptied = desired('adopt', [kafkaUser('adopt-app', [])]);
    const pruned = await applyLive(live, emptied, { prune: true });
    expect(pruned.done).toMatchObject({ topicsDeleted: 0, aclsDeleted: 1 });
    const byName = Object.fromEntries(pruned.planned.plan.removals.map((r) => [r.name, r.action]));
    expect(byName).toEqual({
      'adopt.orders': 'skip',
      'User:adopt-app ALLOW Read topic:adopt.orders': 'skip',
      'User:adopt-app ALLOW Describe topic:adopt.orders': 'delete',
      'User:adopt-app DENY Write topic:adopt. (prefix)': 'skip',
      'User:adopt-app DENY Read topic:adopt.secret': 'skip',
    });
    expect(await onBroker()).toEqual(['adopt. 4 2', 'adopt.orders 3 3', 'adopt.secret 3 2']);
    expect(await admin.listTopics()).toContain('adopt.orders');

    // The DENY cdk8s-dataops created goes only when explicitly allowed; the adopted DENY stays (the user is RETAIN).
    const allowed = await applyLive(live, emptied, { prune: true, allowDenyRemoval: true });
    expect(allowed.done).toMatchObject({ aclsDeleted: 1 });
    expect(await onBroker()).toEqual(['adopt. 4 2', 'adopt.orders 3 3']);
  }, TEST_TIMEOUT);

  it('converges after the broker stops in the middle of apply', async () => {
    let live = await connect(1);
    const base = [kafkaTopic('crash.existing', { partitions: 1, replicas: 1, config: { 'retention.ms': 3600000 } })];
    await applyLive(live, desired('crash', base));
    const target = desired('crash', [
      kafkaTopic('crash.existing', { partitions: 1, replicas: 1, config: { 'retention.ms': 7200000, 'cleanup.policy': 'compact' } }),
      ...['a', 'b', 'c'].map((x) => kafkaTopic(`crash.new.${x}`, { partitions: 2, replicas: 1, config: { 'segment.ms': 600000 } }, { removalPolicy: 'destroy' })),
      kafkaUser('crash-app', [{ resource: { type: 'topic', name: 'crash.', patternType: 'prefix' }, operations: ['Read', 'Write'] }]),
    ]);
    const events: string[] = [];
    const stopAfterCreates = async (e: KafkaApplyEvent) => {
      events.push(`${e.type} ${e.step}`);
      if (e.type === 'step-done' && e.step === 'create-topics') await broker.stop();
    };
    const failed = await applyLive(live, target, { onEvent: stopAfterCreates }).then(() => undefined, (e) => e);
    expect(failed).toBeInstanceOf(KafkaApplyError);
    expect((failed as KafkaApplyError).step).toBe('create-acls');
    expect((failed as KafkaApplyError).completed).toMatchObject({ topicsCreated: 3, configsAltered: 1, aclsCreated: 0 });
    // Existing topics are changed before new ones are created (see applyLive).
    expect(events).toEqual([
      'step-start alter-configs', 'step-progress alter-configs', 'step-done alter-configs',
      'step-start create-topics', 'step-progress create-topics', 'step-done create-topics', 'step-start create-acls',
    ]);

    await broker.start();
    live = await connect();
    const resumed = await planLive(live, target);
    expect(resumed.plan.creates).toEqual([]); // created before the crash: not created twice
    expect(resumed.plan.updates).toEqual([]); // changed before the crash
    expect(resumed.plan.aclCreates).toHaveLength(2);
    const second = await applyLive(live, target, { planned: resumed });
    expect(second.done).toMatchObject({ topicsCreated: 0, configsAltered: 0, aclsCreated: 2 });
    expect(second.verified).toBe(true);
    expect(planHasChanges((await planLive(live, target)).plan)).toBe(false);
    // Nothing lost: the new topics were recorded (with their removal policy) right after creation.
    const state = await readState(live, 'crash', 'main', true);
    expect([...state.topics.values()].filter((t) => t.removalPolicy === 'destroy').map((t) => t.name)).toEqual(['crash.new.a', 'crash.new.b', 'crash.new.c']);
    expect(state.topics.get('crash.existing')?.configKeys).toEqual(['cleanup.policy', 'retention.ms']);
  }, TEST_TIMEOUT);

  it('sends CreateTopics in requests bounded by partitions and by metadata records (KAFKA-17870, KAFKA-14996)', async () => {
    const live = await connect();
    const topics = [
      ...['a', 'b', 'c'].map((x) => kafkaTopic(`bound.parts.${x}`, { partitions: 3, replicas: 1 })),
      ...['a', 'b', 'c'].map((x) => kafkaTopic(`bound.recs.${x}`, { partitions: 1, replicas: 1, config: { 'retention.ms': 3600000, 'segment.ms': 600000, 'cleanup.policy': 'delete' } })),
    ];
    const sizes: number[] = [];
    const result = await applyLive(live, desired('bound', topics), {
      partitionsPerRequest: 5, recordsPerRequest: 10,
      onEvent: (e) => {
        if (e.step === 'create-topics' && e.type === 'step-progress') sizes.push(e.done - sizes.reduce((a, b) => a + b, 0));
      },
    });
    // bound.parts.*: 3 partitions (4 records) each, two would be 6 partitions > 5. bound.recs.*: 1 partition, 5 records each.
    // [parts.a] [parts.b] [parts.c + recs.a: 4 partitions, 9 records] [recs.b + recs.c: 10 records; a third would be 15 > 10]
    expect(sizes).toEqual([1, 1, 2, 2]);
    expect(result.done.topicsCreated).toBe(6);
    expect(result.verified).toBe(true);
    const md = await admin.fetchTopicMetadata({ topics: topics.map((t) => (t as any).metadata.name) });
    expect(md.topics.map((t) => `${t.name} ${t.partitions.length}`).sort()).toEqual([
      'bound.parts.a 3', 'bound.parts.b 3', 'bound.parts.c 3', 'bound.recs.a 1', 'bound.recs.b 1', 'bound.recs.c 1',
    ]);
  }, TEST_TIMEOUT);

  it('imports a cluster into code that synthesizes to an empty plan', async () => {
    await createTopics(['imp.orders'], [{ name: 'retention.ms', value: '86400000' }, { name: 'cleanup.policy', value: 'compact,delete' }]);
    await createTopics(['imp.plain']);
    await admin.createAcls({ acl: [
      { resourceType: 2, resourceName: 'imp.orders', resourcePatternType: 3, principal: 'User:imp-app', host: '*', operation: 3, permissionType: 3 },
      { resourceType: 2, resourceName: 'imp.orders', resourcePatternType: 3, principal: 'User:imp-app', host: '*', operation: 8, permissionType: 3 },
      { resourceType: 3, resourceName: 'imp-', resourcePatternType: 4, principal: 'User:imp-app', host: '*', operation: 3, permissionType: 3 },
    ] as any });
    const live = await connect();
    const result = await eventually(async () => {
      const r = await importCluster(live, { bootstrap: broker.bootstrap, include: /^imp\./, env: 'imported' });
      if (r.acls < 3) throw new Error('ACLs not visible yet');
      return r;
    });
    expect(result).toMatchObject({ topics: 2, users: 1, acls: 3, skipped: [] });
    expect(result.code).toContain("config: { cleanupPolicy: 'compact,delete', retention: '1d' }");
    const dist = synthesizeCode(result.code);
    try {
      const d = loadDesiredState({ distDir: dist });
      expect(d.topics.map((t) => t.name)).toEqual(['imp.orders', 'imp.plain']);
      const p = await planLive(live, d);
      expect(planHasChanges(p.plan)).toBe(false);
      expect(planDrift(p.plan)).toEqual([]);
    } finally {
      fs.rmSync(dist, { recursive: true, force: true });
    }
  }, TEST_TIMEOUT);

  it('adopts a rich estate: import → synth → plan is empty; removing every imported object and pruning deletes nothing', async () => {
    // 40 topics under three prefixes, 1–24 partitions, varied configs (one with min.insync.replicas above its replication factor).
    const configs: { name: string; value: string }[][] = [
      [{ name: 'retention.ms', value: '604800000' }], [{ name: 'cleanup.policy', value: 'compact' }, { name: 'min.compaction.lag.ms', value: '60000' }],
      [{ name: 'cleanup.policy', value: 'compact,delete' }, { name: 'retention.ms', value: '259200000' }], [{ name: 'compression.type', value: 'zstd' }],
      [{ name: 'max.message.bytes', value: '2097152' }, { name: 'segment.bytes', value: '536870912' }], [{ name: 'retention.ms', value: '-1' }],
      [{ name: 'segment.jitter.ms', value: '100' }, { name: 'message.timestamp.type', value: 'LogAppendTime' }], [],
      [{ name: 'retention.bytes', value: '1073741824' }, { name: 'segment.ms', value: '3600000' }],
    ];
    const prefixes = [['payments', 15], ['logistics', 13], ['analytics', 12]] as const;
    const topics: { topic: string; numPartitions: number; replicationFactor: number; configEntries: { name: string; value: string }[] }[] = [];
    let n = 0;
    for (const [prefix, count] of prefixes) {
      for (let i = 0; i < count; i++, n++) topics.push({ topic: `${prefix}.t${i}`, numPartitions: 1 + ((n * 7) % 24), replicationFactor: 1, configEntries: configs[n % configs.length] });
    }
    topics[0].configEntries = [{ name: 'min.insync.replicas', value: '2' }];
    await admin.createTopics({ waitForLeaders: false, topics });
    // ~30 bindings for 5 principals: literal and prefixed, groups, a transactional id, a DENY, cluster-level, host-restricted, a wildcard.
    const A = (principal: string, resourceType: number, resourceName: string, operation: number, o: { prefix?: boolean; deny?: boolean; host?: string } = {}) => ({
      resourceType, resourceName, resourcePatternType: o.prefix ? 4 : 3, principal, host: o.host ?? '*', operation, permissionType: o.deny ? 2 : 3,
    });
    const [TOPIC, GROUP, CLUSTER, TXN] = [2, 3, 4, 5];
    const [ALL, READ, WRITE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, IDEMPOTENT] = [2, 3, 4, 7, 8, 10, 12];
    const acls = [
      A('User:payments-app', TOPIC, 'payments.t1', READ), A('User:payments-app', TOPIC, 'payments.t1', DESCRIBE),
      A('User:payments-app', TOPIC, 'payments.t2', WRITE), A('User:payments-app', TOPIC, 'payments.t2', DESCRIBE),
      A('User:payments-app', GROUP, 'payments-app', READ), A('User:payments-app', TXN, 'payments-tx', WRITE), A('User:payments-app', TXN, 'payments-tx', DESCRIBE),
      A('User:payments-app', CLUSTER, 'kafka-cluster', IDEMPOTENT),
      A('User:analytics', TOPIC, 'analytics.', READ, { prefix: true }), A('User:analytics', TOPIC, 'analytics.', DESCRIBE, { prefix: true }),
      A('User:analytics', TOPIC, 'payments.', READ, { prefix: true }), A('User:analytics', TOPIC, 'payments.', DESCRIBE, { prefix: true }),
      A('User:analytics', GROUP, 'analytics-', READ, { prefix: true }), A('User:analytics', TOPIC, 'payments.t3', READ, { deny: true }),
      A('User:logistics-svc', TOPIC, 'logistics.', WRITE, { prefix: true }), A('User:logistics-svc', TOPIC, 'logistics.', DESCRIBE, { prefix: true }),
      A('User:logistics-svc', TOPIC, 'logistics.t0', READ), A('User:logistics-svc', TOPIC, 'logistics.t0', DESCRIBE),
      A('User:logistics-svc', GROUP, 'logistics-svc', READ),
      A('User:CN=auditor', TOPIC, '*', DESCRIBE), A('User:CN=auditor', TOPIC, 'analytics.', DESCRIBE_CONFIGS, { prefix: true }),
      A('User:CN=auditor', CLUSTER, 'kafka-cluster', DESCRIBE),
      A('User:ops-admin', TOPIC, 'payments.', ALL, { prefix: true, host: '10.0.0.5' }), A('User:ops-admin', CLUSTER, 'kafka-cluster', ALTER),
      A('User:ops-admin', TOPIC, 'logistics.t1', READ), A('User:ops-admin', TOPIC, 'logistics.t1', WRITE), A('User:ops-admin', TOPIC, 'logistics.t1', DESCRIBE),
      A('User:ops-admin', GROUP, 'ops-', READ, { prefix: true }), A('User:ops-admin', GROUP, 'ops-', DESCRIBE, { prefix: true }),
      A('User:ops-admin', TOPIC, 'analytics.t0', DESCRIBE_CONFIGS),
    ];
    expect(acls).toHaveLength(30);
    await admin.createAcls({ acl: acls as any });
    const include = /^(payments|logistics|analytics)\.|^\*$/;
    const live = await connect();
    // The authorizer and the metadata cache learn about new ACLs and topics asynchronously (slowly on a loaded machine).
    const principals = new Set(acls.map((a) => a.principal));
    await eventually(async () => {
      const seen = await admin.describeAcls({ resourceType: 1, resourcePatternType: 1, operation: 1, permissionType: 1 } as any);
      const n = seen.resources.reduce((k: number, r: any) => k + r.acls.filter((a: any) => principals.has(a.principal)).length, 0);
      const md = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) });
      if (n < 30 || md.topics.length < 40) throw new Error(`not visible yet: ${md.topics.length} topics, ${n} bindings`);
    }, 90_000, 500);
    const imported = await importCluster(live, { bootstrap: broker.bootstrap, include, env: 'estate' });
    expect(imported).toMatchObject({ topics: 40, users: 5, acls: 30, skipped: [] });
    expect(imported.findings).toEqual([expect.stringMatching(/^topic payments\.t0: min\.insync\.replicas 2 is above its replication factor 1/)]);
    const code = imported.code;
    // Idiomatic: pipelines, typed config, grants; addAcl only for DENY, host-restricted, cluster-level, wildcard and leftovers.
    for (const p of ['payments', 'logistics', 'analytics']) expect(code).toContain(`const ${p}Pipeline = new Pipeline(env, '${p}', { owner: '${p}' });`);
    expect(code).toContain("config: { retention: '7d' }");
    expect(code).toContain("config: { cleanupPolicy: 'compact', minCompactionLag: '1m' }");
    expect(code).toContain("config: { retention: 'infinite' }");
    expect(code).not.toMatch(/extraConfig: \{[^}]*'(retention\.ms|cleanup\.policy|compression\.type)'/);
    expect(code).toContain("paymentsT1.grantRead(paymentsApp, { consumerGroup: 'payments-app' });");
    expect(code).toContain("paymentsT2.grantWrite(paymentsApp, { transactionalId: 'payments-tx' });");
    expect(code).toContain("analyticsAll.grantRead(analytics, { consumerGroup: 'analytics-', consumerGroupIsPrefix: true });");
    expect(code).toContain('paymentsAll.grantRead(analytics);');
    expect(code).toContain('logisticsAll.grantWrite(logisticsSvc');
    expect(code).toContain("analytics.addAcl({ resourceType: 'topic', name: 'payments.t3', operations: ['Read'], type: 'deny' });");
    expect(code).toContain("opsAdmin.addAcl({ resourceType: 'topic', name: 'payments.', patternType: 'prefix', operations: ['All'], host: '10.0.0.5' });");
    expect(code).toContain("auditor.addAcl({ resourceType: 'topic', name: '*', operations: ['Describe'], allowWildcard: true });");
    expect(code).not.toMatch(/new (Topic|KafkaUser)\([^,]+, '(user|topic) /);
    expect(code.match(/\.addAcl\(/g)).toHaveLength(9);

    // import → synth → plan is empty (one verdict: in sync).
    const dist = synthesizeCode(code);
    try {
      const d = loadDesiredState({ distDir: dist });
      expect(d.topics).toHaveLength(40);
      const planned = await planLive(live, d);
      expect(planDrift(planned.plan)).toEqual([]);
      expect(planVerdict(planned.plan)).toBe('in-sync');
      // Adopting writes state records only.
      const adopted = await applyLive(live, d);
      expect(adopted.done).toMatchObject({ topicsCreated: 0, configsAltered: 0, aclsCreated: 0, aclsDeleted: 0, topicsDeleted: 0 });
      expect(adopted.done.stateRecordsWritten).toBe(45);
      const state = await readState(live, 'estate', 'main', true);
      expect([...state.topics.values()].every((t) => t.origin === 'adopted')).toBe(true);
      expect([...state.users.values()].reduce((k, u) => k + u.acls.length, 0)).toBe(0);

      // Remove one DENY line, then everything: prune deletes nothing (adopted, RETAIN), not even with --allow-deny-removal.
      const withoutDeny = { ...d, users: d.users.map((u) => ({ ...u, acls: u.acls?.filter((a) => a.permission !== 'deny') })) };
      const noDeny = await applyLive(live, withoutDeny, { prune: true, allowDenyRemoval: true });
      expect(noDeny.done).toMatchObject({ aclsDeleted: 0, topicsDeleted: 0 });
      const nothing = await applyLive(live, { ...d, topics: [], users: [] }, { prune: true, allowDenyRemoval: true });
      expect(nothing.done).toMatchObject({ aclsDeleted: 0, topicsDeleted: 0 });
      expect(nothing.planned.plan.removals).toHaveLength(40 + 30);
      expect(nothing.planned.plan.removals.every((r) => r.action === 'skip' && /adopted/.test(r.reason))).toBe(true);
      const names = await admin.listTopics();
      expect(topics.every((t) => names.includes(t.topic))).toBe(true);
      const left = await admin.describeAcls({ resourceType: 1, resourcePatternType: 1, operation: 1, permissionType: 1 } as any);
      const onBroker = new Set(left.resources.flatMap((r: any) => r.acls.map((a: any) => `${a.principal} ${r.resourceName} ${a.operation} ${a.permissionType}`)));
      expect(acls.filter((a) => !onBroker.has(`${a.principal} ${a.resourceName} ${a.operation} ${a.permissionType}`))).toEqual([]);
    } finally {
      fs.rmSync(dist, { recursive: true, force: true });
    }
  }, TEST_TIMEOUT);

  it("applies the repository example's dev environment (examples/data-platform/dist), then plans nothing", async () => {
    const live = await connect();
    const d = loadDesiredState({ distDir: path.join(__dirname, '../../../examples/data-platform/dist'), env: 'dev' });
    expect(d.topics.length).toBeGreaterThan(0);
    const r = await applyLive(live, d);
    expect(r.done.topicsCreated).toBe(d.topics.length);
    expect(r.done.aclsCreated).toBe(d.users.reduce((n, u) => n + (u.acls?.length ?? 0), 0));
    expect(r.verified).toBe(true);
    expect(planDrift((await planLive(live, d)).plan)).toEqual([]);
  }, TEST_TIMEOUT);

  it('runs as `synth kafka plan|apply|drift` on a dist folder, with credentials from the environment', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k7-cli-'));
    const write = (file: string, o: object) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), JSON.stringify(o));
    };
    const writeConfig = (o: object) => {
      const file = path.join(dir, `conn-${Math.random().toString(36).slice(2)}.json`);
      fs.writeFileSync(file, JSON.stringify(o));
      return file;
    };
    write('manifests/clienv/kafka/kafkatopic.cli.orders.yaml', kafkaTopic('cli.orders', { partitions: 2, replicas: 1, config: { 'retention.ms': 86400000 } }));
    write('manifests/clienv/kafka/kafkauser.cli-app.yaml', kafkaUser('cli-app', [{ resource: { type: 'topic', name: 'cli.orders' }, operations: ['Read'] }], { quotas: { producerByteRate: 1024 } }));
    const saved = { ...process.env };
    Object.assign(process.env, { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: broker.sasl.username, KAFKA_SASL_PASSWORD: broker.sasl.password });
    const run = async (...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const w1 = process.stdout.write;
      const w2 = process.stderr.write;
      process.stdout.write = ((c: string) => { stdout += c; return true; }) as any;
      process.stderr.write = ((c: string) => { stderr += c; return true; }) as any;
      try {
        const code = await main(['kafka', ...args, ...(args[0] === 'import' || args.includes('--dist') ? [] : ['--out', dir]), ...(args.includes('--bootstrap') ? [] : ['--bootstrap', broker.bootstrap])]);
        return { code, stdout, stderr };
      } finally {
        process.stdout.write = w1;
        process.stderr.write = w2;
      }
    };
    try {
      const drift = await run('drift');
      expect(drift.code).toBe(1);
      expect(drift.stdout).toContain('topic cli.orders: missing on the cluster');
      const plan = await run('plan', '--output', 'json');
      expect(plan.code).toBe(0);
      const json = JSON.parse(plan.stdout);
      expect(json).toMatchObject({ env: 'clienv', cluster: 'main', changes: true, creates: [{ topic: 'cli.orders', partitions: 2 }] });
      expect(json.notices.join('\n')).toMatch(/quotas of User:cli-app .* not managed by the pull model/);
      const apply = await run('apply');
      expect(apply.code).toBe(0);
      expect(apply.stdout).toMatch(/applied: 1 topic\(s\) created, .* 1 ACL\(s\) added/);
      expect((await run('drift')).code).toBe(0);
      expect((await run('apply')).stdout).toContain('no changes: the cluster already matches dist');
      const imported = await run('import', '--file', path.join(dir, 'platform.ts'), '--include', '^cli\\.', '--env', 'clienv');
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(/wrote .*platform\.ts: 1 topic\(s\), 1 user\(s\), 1 ACL binding\(s\)/);
      expect(fs.readFileSync(path.join(dir, 'platform.ts'), 'utf8')).toContain("const cliOrders = new Topic(env, 'cli.orders', { cluster, topicName: 'cli.orders', partitions: 2, replicas: 1, config: { retention: '1d' }");
      expect((await run('import', '--file', path.join(dir, 'platform.ts'))).code).toBe(2); // exists: needs --force
      // The deprecated spellings still work: --dist for the output folder, import --out for the file.
      const deprecated = await run('drift', '--dist', dir);
      expect(deprecated.code).toBe(0);
      expect(deprecated.stderr).toContain('--dist is deprecated: use --out');
      // Problems a person can fix exit 2 with what to do, not 70 "please report".
      const refused = await run('drift', '--bootstrap', '127.0.0.1:1', '--config', writeConfig({ connectionTimeout: 1000, retries: 0 }));
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/cannot reach Kafka at 127\.0\.0\.1:1 .*check --bootstrap/);
      process.env.KAFKA_SASL_PASSWORD = 'wrong-password';
      const denied = await run('drift', '--config', writeConfig({ retries: 0 }));
      expect(denied.code).toBe(2);
      expect(denied.stderr).toMatch(/authentication to Kafka at .* failed .*check KAFKA_SASL_MECHANISM/);
      expect(denied.stderr).not.toContain('wrong-password');
      for (const out of [drift, plan, apply]) expect(out.stdout + out.stderr).not.toContain(broker.sasl.password);
    } finally {
      process.env = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, TEST_TIMEOUT);
});

describe('batches', () => {
  it('bounds CreateTopics requests by metadata records too (topic + partitions + config entries; KAFKA-14996)', () => {
    const topics = [{ p: 10, c: 0 }, { p: 1, c: 8 }, { p: 1, c: 8 }, { p: 1, c: 0 }, { p: 30, c: 0 }].map((t, i) => ({ topic: `t${i}`, ...t }));
    const limits = [{ weight: (t: { p: number }) => t.p, max: 12 }, { weight: (t: { p: number; c: number }) => 1 + t.p + t.c, max: 20 }];
    // t0: 11 records, + t1 (10) = 21 > 20. t1 + t2: 20 records. + t3: 22 > 20. t3 + t4: 31 partitions > 12.
    expect(batches(topics, 500, limits).map((b) => b.map((t) => t.topic))).toEqual([['t0'], ['t1', 't2'], ['t3'], ['t4']]);
    expect(batches(topics, 500, []).map((b) => b.length)).toEqual([5]);
  });


  it('bounds each request by items and by partitions (a KRaft controller rejects CreateTopics above 10,000 partitions, KAFKA-17870)', () => {
    const topics = [4000, 3000, 2000, 12000, 1, 1, 1].map((partitions, i) => ({ topic: `t${i}`, partitions }));
    expect(batches(topics, 500, (t) => t.partitions, 5000).map((b) => b.map((t) => t.topic))).toEqual([['t0'], ['t1', 't2'], ['t3'], ['t4', 't5', 't6']]);
    expect(batches(topics, 2, (t) => t.partitions, 1e9).map((b) => b.length)).toEqual([2, 2, 2, 1]);
    expect(batches([], 10)).toEqual([]);
  });
});
