import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  Compatibility, DataPlatform, Environment, KafkaCluster, KafkaConnect, KafkaConnector, KafkaUser, Pipeline, Policies, PolicyPacks,
  RemovalPolicy, Schema, SchemaRegistry, StreamingApp, synthesizePlatform, Topic,
} from 'cdk8s-dataops';

function fixture(production = true) {
  const platform = new DataPlatform({ lineageReports: false });
  Policies.of(platform).add(PolicyPacks.recommended());
  const env = new Environment(platform, production ? 'prod' : 'dev', { namespace: 'payments' });
  const cluster = KafkaCluster.fromStrimzi(env, 'kafka', { name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093', brokers: 3, credentialsStore: { name: 'strimzi-users', kind: 'ClusterSecretStore' } });
  const pipeline = new Pipeline(env, 'orders', { owner: 'team-payments' });
  return { platform, env, cluster, pipeline };
}

/** Findings of one rule: [construct path, field] pairs. */
function findings(platform: DataPlatform, ruleId: string): Array<[string, string | undefined]> {
  const report = synthesizePlatform(platform, { policy: 'report', outdir: '/nonexistent-recommended-test' }).policy;
  return report.findings.filter((f) => f.ruleId === ruleId).map((f) => [f.constructPath, f.field]);
}

describe('PolicyPacks.recommended()', () => {
  it('DOP-KAFKA-010: production topics have 3 replicas and min.insync.replicas 2', () => {
    const ok = fixture();
    new Topic(ok.pipeline, 't', { cluster: ok.cluster, topicName: 'payments.orders.v1' });
    expect(findings(ok.platform, 'DOP-KAFKA-010')).toEqual([]);
    const bad = fixture();
    new Topic(bad.pipeline, 't', { cluster: bad.cluster, topicName: 'payments.orders.v1', replicas: 1 });
    expect(findings(bad.platform, 'DOP-KAFKA-010')).toEqual([['prod/orders/t', 'config.minInsyncReplicas'], ['prod/orders/t', 'replicas']]);
    const dev = fixture(false);
    new Topic(dev.pipeline, 't', { cluster: dev.cluster, topicName: 'payments.orders.v1', replicas: 1 });
    expect(findings(dev.platform, 'DOP-KAFKA-010')).toEqual([]);
  });

  it('DOP-KAFKA-011: production topics keep RETAIN', () => {
    const f = fixture();
    new Topic(f.pipeline, 'kept', { cluster: f.cluster, topicName: 'payments.kept.v1' });
    new Topic(f.pipeline, 'gone', { cluster: f.cluster, topicName: 'payments.gone.v1', removalPolicy: RemovalPolicy.DESTROY });
    expect(findings(f.platform, 'DOP-KAFKA-011')).toEqual([['prod/orders/gone', 'removalPolicy']]);
  });

  it('DOP-KAFKA-012: topic names follow <domain>.<dataset>.v<N>, or the configured convention', () => {
    const f = fixture();
    new Topic(f.pipeline, 'good', { cluster: f.cluster, topicName: 'payments.orders-enriched.v2' });
    new Topic(f.pipeline, 'bad', { cluster: f.cluster, topicName: 'OrdersTopic' });
    expect(findings(f.platform, 'DOP-KAFKA-012')).toEqual([['prod/orders/bad', 'topicName']]);
    const custom = new DataPlatform({ lineageReports: false });
    Policies.of(custom).add(PolicyPacks.recommended({ topicNamePattern: /^acme_[a-z]+$/, topicNameExample: 'acme_orders' }));
    const env = new Environment(custom, 'dev');
    const cluster = KafkaCluster.fromStrimzi(env, 'kafka', { name: 'main', namespace: 'kafka', bootstrapServers: 'b:9093' });
    new Topic(env, 'a', { cluster, topicName: 'acme_orders' });
    new Topic(env, 'b', { cluster, topicName: 'payments.orders.v1' });
    expect(findings(custom, 'DOP-KAFKA-012')).toEqual([['dev/b', 'topicName']]);
  });

  it('DOP-KAFKA-013: no wildcard or cluster ACL without an acknowledgement', () => {
    const f = fixture();
    const admin = new KafkaUser(f.pipeline, 'admin', { cluster: f.cluster });
    admin.addAcl({ resourceType: 'topic', name: '*', operations: ['Describe'], allowWildcard: true });
    const app = new KafkaUser(f.pipeline, 'app', { cluster: f.cluster });
    app.addAcl({ resourceType: 'topic', name: 'payments.orders.v1', operations: ['Read'] });
    expect(findings(f.platform, 'DOP-KAFKA-013')).toEqual([['prod/orders/admin', 'spec.authorization.acls[0]']]);
    Policies.acknowledge(admin, 'DOP-KAFKA-013', 'platform admin tooling lists all topics');
    const report = synthesizePlatform(f.platform, { policy: 'report', outdir: '/nonexistent-recommended-test' }).policy;
    expect(report.findings.find((x) => x.ruleId === 'DOP-KAFKA-013')!.acknowledged!.reason).toBe('platform admin tooling lists all topics');
  });

  it('DOP-KAFKA-014: production schemas are not NONE', () => {
    const f = fixture();
    const registry = SchemaRegistry.fromUrl(f.env, 'registry', { url: 'http://registry:8081' });
    const t = new Topic(f.pipeline, 't', { cluster: f.cluster, topicName: 'payments.orders.v1' });
    const u = new Topic(f.pipeline, 'u', { cluster: f.cluster, topicName: 'payments.refunds.v1' });
    const definition = { type: 'record', name: 'O', fields: [{ name: 'id', type: 'string' }] };
    new Schema(f.pipeline, 'ok', { registry, topic: t, compatibility: Compatibility.BACKWARD, definition });
    new Schema(f.pipeline, 'none', { registry, topic: u, compatibility: Compatibility.NONE, definition });
    expect(findings(f.platform, 'DOP-KAFKA-014')).toEqual([['prod/orders/none/Versions', 'compatibility']]);
  });

  it('DOP-KAFKA-015 and DOP-KAFKA-006: connectors have an error policy and no literal credentials', () => {
    const f = fixture();
    const connect = new KafkaConnect(f.pipeline, 'connect', { cluster: f.cluster, image: 'ghcr.io/acme/connect:1.0.0' });
    new KafkaConnector(f.pipeline, 'good', {
      connect, class: 'io.confluent.connect.jdbc.JdbcSinkConnector',
      config: { 'connection.password': '${secrets:payments/db:password}', 'errors.tolerance': 'none', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter' },
    });
    new KafkaConnector(f.pipeline, 'bad', { connect, class: 'io.confluent.connect.jdbc.JdbcSinkConnector', config: { 'connection.password': 'hunter2' } });
    expect(findings(f.platform, 'DOP-KAFKA-015')).toEqual([['prod/orders/bad', 'spec.config']]);
    expect(findings(f.platform, 'DOP-KAFKA-006')).toEqual([['prod/orders/bad', 'spec.config["connection.password"]']]);
    // Not acknowledged: synth fails naming the construct, the field and the rule, and the value is in no message.
    expect(() => synthesizePlatform(f.platform, { outdir: '/nonexistent-recommended-test' })).toThrow(
      /prod\/orders\/bad, field 'spec\.config\["connection\.password"\]': config 'connection\.password' holds a literal value.*\[DOP-KAFKA-006\]/);
  });

  it("DOP-K8S-001: a literal credential in a StreamingApp's env fails synth naming path and field", () => {
    const f = fixture();
    const t = new Topic(f.pipeline, 't', { cluster: f.cluster, topicName: 'payments.orders.v1' });
    new StreamingApp(f.pipeline, 'app', { image: 'ghcr.io/acme/app:1.0.0', cluster: f.cluster, reads: [t], env: { DB_PASSWORD: 'hunter2', MODE: 'fast' } });
    let message = '';
    try {
      synthesizePlatform(f.platform, { outdir: '/nonexistent-recommended-test' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/prod\/orders\/app\/Deployment, field 'spec\.template\.spec\.containers\[name=app\]\.env\[name=DB_PASSWORD\]': .*\[DOP-K8S-001\]/);
    expect(message).not.toContain('hunter2');
  });

  it('DOP-K8S-002..006: the hardened workloads comply except the production digest; raw objects do not', () => {
    const f = fixture();
    const t = new Topic(f.pipeline, 't', { cluster: f.cluster, topicName: 'payments.orders.v1' });
    new StreamingApp(f.pipeline, 'app', { image: 'ghcr.io/acme/app:1.0.0', cluster: f.cluster, reads: [t] });
    new ApiObject(f.pipeline, 'raw', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'raw' },
      spec: { selector: { matchLabels: { app: 'raw' } }, template: { metadata: { labels: { app: 'raw' } }, spec: { containers: [{ name: 'c', image: 'nginx:latest' }] } } },
    });
    for (const id of ['DOP-K8S-002', 'DOP-K8S-003', 'DOP-K8S-004', 'DOP-K8S-005']) {
      expect(findings(f.platform, id).map(([p]) => p), id).toEqual(expect.arrayContaining(['prod/orders/raw']));
      expect(findings(f.platform, id).map(([p]) => p).filter((p) => p.startsWith('prod/orders/app')), id).toEqual([]);
    }
    expect(findings(f.platform, 'DOP-K8S-006').map(([p]) => p)).toEqual(['prod/orders/app/Deployment', 'prod/orders/raw']);
    const dev = fixture(false);
    new ApiObject(dev.pipeline, 'raw', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } });
    expect(findings(dev.platform, 'DOP-K8S-006')).toEqual([]);
    expect(findings(dev.platform, 'DOP-K8S-005')).toEqual([]);
  });

  it('DOP-K8S-007: CronJobs forbid concurrency and have a deadline', () => {
    const f = fixture();
    const cron = (id: string, spec: Record<string, unknown>) => new ApiObject(f.pipeline, id, { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: id }, spec: { schedule: '0 2 * * *', ...spec, jobTemplate: { spec: { template: { spec: { containers: [] } } } } } });
    cron('safe', { concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300 });
    cron('loose', {});
    expect(findings(f.platform, 'DOP-K8S-007')).toEqual([['prod/orders/loose', 'spec.concurrencyPolicy'], ['prod/orders/loose', 'spec.startingDeadlineSeconds']]);
  });

  it('DOP-PIPELINE-002: topics and workloads have an owner', () => {
    const f = fixture();
    new Topic(f.pipeline, 'owned', { cluster: f.cluster, topicName: 'payments.orders.v1' });
    new Topic(f.env, 'stray', { cluster: f.cluster, topicName: 'payments.stray.v1' });
    expect(findings(f.platform, 'DOP-PIPELINE-002')).toEqual([['prod/stray', undefined]]);
  });
});
