import { Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { KafkaUser, RemovalPolicy, synthesizePlatform, Topic } from 'cdk8s-dataops';
import { diffObjects } from '../../../lib/synthesizer/diff';
import { OBJECT_DELETED } from '../../../lib/synthesizer/rules';
import { KAFKA_SAFETY_PACK } from '../../../constructs/kafka/rules/safety-pack';
import { findObject, findObjects } from 'cdk8s-dataops/testing';
import { kafkaFixture, tempOutdir } from './support';

describe('Topic', () => {
  it('says a missing cluster is required (a newcomer forgets it), and a wrong one is not a KafkaCluster', () => {
    const { env } = kafkaFixture();
    expect(() => new Topic(env, 'orders', { topicName: 'payments.orders.v1' } as never)).toThrow("field 'cluster': is required (a KafkaCluster)");
    expect(() => new Topic(env, 'refunds', { cluster: 'main', topicName: 'payments.refunds.v1' } as never)).toThrow("field 'cluster': expected a KafkaCluster");
  });

  it('emits a KafkaTopic in the cluster namespace with the real name in spec.topicName', () => {
    const { env, cluster } = kafkaFixture();
    new Topic(env, 'orders', { cluster, topicName: 'payments.Orders_v1', partitions: 12, config: { retention: '7d', cleanupPolicy: 'delete', compressionType: 'zstd' } });
    const t = findObject(env, 'KafkaTopic', 'payments.orders-v1');
    expect(t.apiVersion).toBe('kafka.strimzi.io/v1');
    expect(t.metadata.namespace).toBe('kafka');
    expect(t.metadata.labels).toMatchObject({ 'strimzi.io/cluster': 'main' });
    expect(t.spec).toEqual({
      topicName: 'payments.Orders_v1', partitions: 12, replicas: 3,
      config: { 'cleanup.policy': 'delete', 'compression.type': 'zstd', 'min.insync.replicas': 2, 'retention.ms': 604_800_000 },
    });
  });

  it('defaults to 1 replica and no min.insync.replicas outside production', () => {
    const { env, cluster } = kafkaFixture({ env: 'dev' });
    new Topic(env, 'orders', { cluster, topicName: 'orders' });
    expect(findObject(env, 'KafkaTopic', 'orders').spec).toEqual({ topicName: 'orders', partitions: 3, replicas: 1 });
  });

  it('maps every typed config key to its broker name', () => {
    const { env, cluster } = kafkaFixture();
    const t = new Topic(env, 'all', {
      cluster, topicName: 'all', replicas: 3,
      config: {
        retention: Duration.hours(12), retentionBytes: 1_073_741_824, cleanupPolicy: 'compact,delete', compressionType: 'lz4',
        minInsyncReplicas: 3, maxMessageBytes: 2_097_152, segmentBytes: 536_870_912, segment: '1d', messageTimestampType: 'LogAppendTime',
        deleteRetention: '1h', minCompactionLag: '10m', maxCompactionLag: '7d', minCleanableDirtyRatio: 0.2, uncleanLeaderElection: false,
        localRetention: '2h', localRetentionBytes: 'infinite', messageTimestampBeforeMax: '30d', messageTimestampAfterMax: '1h',
      },
    });
    expect(t.config).toEqual({
      'cleanup.policy': 'compact,delete', 'compression.type': 'lz4', 'delete.retention.ms': 3_600_000, 'local.retention.bytes': -2,
      'local.retention.ms': 7_200_000, 'max.compaction.lag.ms': 604_800_000, 'max.message.bytes': 2_097_152,
      'message.timestamp.after.max.ms': 3_600_000, 'message.timestamp.before.max.ms': 2_592_000_000, 'message.timestamp.type': 'LogAppendTime',
      'min.cleanable.dirty.ratio': 0.2, 'min.compaction.lag.ms': 600_000, 'min.insync.replicas': 3, 'retention.bytes': 1_073_741_824,
      'retention.ms': 43_200_000, 'segment.bytes': 536_870_912, 'segment.ms': 86_400_000, 'unclean.leader.election.enable': false,
    });
  });

  it('protects topics from pruning unless the removal policy is DESTROY', () => {
    const { env, cluster } = kafkaFixture();
    new Topic(env, 'kept', { cluster, topicName: 'kept' });
    new Topic(env, 'scratch', { cluster, topicName: 'scratch', removalPolicy: RemovalPolicy.DESTROY });
    expect(findObject(env, 'KafkaTopic', 'kept').metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Prune=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled', 'dataops.cdk8s.io/removal-policy': 'retain',
    });
    expect(findObject(env, 'KafkaTopic', 'scratch').metadata.annotations).toEqual({ 'dataops.cdk8s.io/removal-policy': 'destroy' });
  });

  it('emits v1beta2 for clusters on older Strimzi', () => {
    const { env, cluster } = kafkaFixture({ apiVersion: 'v1beta2' });
    new Topic(env, 'orders', { cluster, topicName: 'orders' });
    expect(findObject(env, 'KafkaTopic', 'orders').apiVersion).toBe('kafka.strimzi.io/v1beta2');
  });

  it('emits nothing for imported topics and prefixes, but grants work', () => {
    const { env, cluster } = kafkaFixture();
    const legacy = Topic.fromName(env, 'legacy', cluster, 'legacy.orders');
    const domain = Topic.prefix(env, 'domain', cluster, 'payments.');
    const app = new KafkaUser(env, 'app', { cluster });
    legacy.grantRead(app);
    domain.grantWrite(app);
    expect(findObjects(env, 'KafkaTopic')).toEqual([]);
    expect(findObject(env, 'KafkaUser', 'app').spec.authorization.acls).toEqual([
      { type: 'allow', resource: { type: 'topic', name: 'legacy.orders', patternType: 'literal' }, host: '*', operations: ['Read', 'Describe'] },
      { type: 'allow', resource: { type: 'topic', name: 'payments.', patternType: 'prefix' }, host: '*', operations: ['Write', 'Describe'] },
    ]);
  });

  describe('bad input names the construct path, the field and what is allowed', () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['a name longer than 249 characters', { topicName: 'a'.repeat(250) }, /prod\/t, field 'topicName': .*1 to 249 characters.*length 250/],
      ['characters Kafka refuses', { topicName: 'orders/v1' }, /field 'topicName': 'orders\/v1' is not a valid Kafka topic name/],
      ["the name '..'", { topicName: '..' }, /not '\.' or '\.\.'/],
      ['negative partitions', { topicName: 'x', partitions: -1 }, /field 'partitions': .*>=1/],
      ['more replicas than brokers', { topicName: 'x', replicas: 4 }, /field 'replicas': 4 replicas but cluster 'main' has 3 broker\(s\)/],
      ['an unknown extraConfig key', { topicName: 'x', extraConfig: { 'retention.days': 7 } }, /field 'extraConfig\["retention.days"\]': 'retention.days' is not a Kafka topic config/],
      ['a key set twice', { topicName: 'x', config: { retention: '1d' }, extraConfig: { 'retention.ms': 1 } }, /already set by the typed config/],
      ['a bad duration', { topicName: 'x', config: { retention: '7 days' } }, /field 'config.retention': '7 days' is not a duration/],
      ['min ISR above replicas', { topicName: 'x', replicas: 2, config: { minInsyncReplicas: 3 } }, /field 'config.minInsyncReplicas': .*above the replication factor 2/],
      ['an unknown prop', { topicName: 'x', partition: 3 }, /field 'partition': unknown property 'partition'; did you mean 'partitions'\?/],
      ['a misspelled config key', { topicName: 'x', config: { retension: '7d' } }, /field 'config.retension': unknown property 'retension'; did you mean 'retention'\?/],
      ['a missing topic name', {}, /field 'topicName': is required \(expected string\)/],
    ];
    it.each(cases)('%s', (_name, props, message) => {
      const { env, cluster } = kafkaFixture({ brokers: 3 });
      expect(() => new Topic(env, 't', { cluster, ...props } as any)).toThrow(message);
    });
  });

  it('accepts min.insync.replicas above replicas only with a reason (as Kafka does; import writes it for clusters set up so)', () => {
    const { env, cluster } = kafkaFixture({ brokers: 3 });
    const t = new Topic(env, 'dev', { cluster, topicName: 'dev', replicas: 1, config: { minInsyncReplicas: 2 }, acknowledgeMinInsyncAboveReplicas: 'single-broker dev cluster, imported as found' });
    expect(t.config['min.insync.replicas']).toBe(2);
    expect(() => new Topic(env, 'short', { cluster, topicName: 'short', replicas: 1, config: { minInsyncReplicas: 2 }, acknowledgeMinInsyncAboveReplicas: 'because' }))
      .toThrow(/field 'acknowledgeMinInsyncAboveReplicas': give the reason/);
    expect(() => new Topic(env, 'none', { cluster, topicName: 'none', replicas: 1, config: { minInsyncReplicas: 2 } })).toThrow(/say why in acknowledgeMinInsyncAboveReplicas/);
  });

  it('refuses to lower partitions below what dist has', () => {
    const outdir = tempOutdir();
    const first = kafkaFixture();
    new Topic(first.env, 'orders', { cluster: first.cluster, topicName: 'orders', partitions: 12 });
    synthesizePlatform(first.platform, { outdir }).write();

    const second = kafkaFixture();
    new Topic(second.env, 'orders', { cluster: second.cluster, topicName: 'orders', partitions: 6 });
    expect(() => synthesizePlatform(second.platform, { outdir })).toThrow(
      /prod\/orders, field 'partitions': topic 'orders' would go from 12 to 6 partitions, but Kafka cannot remove partitions.*\[DOP-KAFKA-001\]/);

    const third = kafkaFixture();
    new Topic(third.env, 'orders', { cluster: third.cluster, topicName: 'orders', partitions: 24 });
    expect(() => synthesizePlatform(third.platform, { outdir }).write()).not.toThrow();
  });

  it('reports partition decrease, retention cut, cleanup policy change and deletion as destructive', () => {
    const topic = (spec: Record<string, unknown>) => ({ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic', metadata: { name: 'orders', namespace: 'kafka' }, spec });
    const before = new Map([
      ['a.yaml', topic({ topicName: 'orders', partitions: 12, config: { 'retention.ms': 604800000 } })],
      ['b.yaml', topic({ topicName: 'audit', partitions: 3, config: { 'cleanup.policy': 'delete' } })],
      ['c.yaml', topic({ topicName: 'gone', partitions: 3 })],
      ['d.yaml', topic({ topicName: 'fine', partitions: 3, config: { 'retention.ms': 1000 } })],
    ]);
    const after = new Map([
      ['a.yaml', topic({ topicName: 'orders', partitions: 6, config: { 'retention.ms': 86400000 } })],
      ['b.yaml', topic({ topicName: 'audit', partitions: 3, config: { 'cleanup.policy': 'compact' } })],
      ['d.yaml', topic({ topicName: 'fine', partitions: 6, config: { 'retention.ms': -1 } })],
    ]);
    const changes = diffObjects(before, after, [OBJECT_DELETED, ...KAFKA_SAFETY_PACK.detectors!]);
    expect(changes.map((c) => [c.file, c.destructive])).toEqual([
      ['a.yaml', ['partitions decrease 12 → 6: Kafka cannot remove partitions (Strimzi refuses it; synth fails with DOP-KAFKA-001)', 'retention.ms cut 604800000 → 86400000: older data is deleted']],
      ['b.yaml', ['cleanup.policy changes delete → compact: the broker starts compacting away older values per key']],
      ['c.yaml', ["KafkaTopic 'orders' is deleted from the cluster when the GitOps tool prunes"]],
      ['d.yaml', []],
    ]);
  });
});
