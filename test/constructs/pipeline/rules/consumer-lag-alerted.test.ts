import { describe, expect, it } from 'vitest';
import { alertingPack, evaluatePolicies, KafkaCluster, KafkaConnect, KafkaConnector, Pipeline, Policies, StreamingApp, synthesizePlatform, Topic } from 'cdk8s-dataops';
import { kafkaFixture } from '../../kafka/support';

function platform(env = 'prod') {
  const f0 = kafkaFixture({ env });
  // Apps run in 'payments'; External Secrets copies their credentials over from 'kafka'.
  const cluster = KafkaCluster.fromStrimzi(f0.env, 'kafka-payments', { name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093', credentialsStore: { name: 'strimzi-users' } });
  const f = { ...f0, cluster };
  Policies.of(f.platform).add(alertingPack);
  const orders = new Pipeline(f.env, 'orders', { owner: 'team-payments' });
  const raw = new Topic(orders, 'raw', { cluster: f.cluster, topicName: 'payments.orders.v1' });
  new StreamingApp(orders, 'validator', { image: 'ghcr.io/acme/validator:1.0.0', cluster: f.cluster, reads: [raw] });
  const connect = new KafkaConnect(orders, 'connect', { cluster: f.cluster, image: 'ghcr.io/acme/connect:1.0.0' });
  new KafkaConnector(orders, 'to-lake', { connect, class: 'io.acme.LakeSink', reads: [raw] });
  return { ...f, orders };
}

function findings(p: ReturnType<typeof platform>) {
  const s = synthesizePlatform(p.platform, { outdir: '/nonexistent-dataops-out' });
  return evaluatePolicies(p.platform, s.objects).findings.filter((x) => x.ruleId === 'DOP-MON-001');
}

describe('DOP-MON-001 every consumer group of a production pipeline has a lag alert', () => {
  it('is compliant when alertOnLag covers every group (apps and sink connectors)', () => {
    const p = platform();
    p.orders.alertOnLag({ threshold: 1000, for: '10m', severity: 'critical' });
    expect(findings(p)).toEqual([]);
  });

  it('fails synth naming the pipeline, the rule, the group and its readers when a group has no alert', () => {
    const p = platform();
    p.orders.alertOnLag({ consumerGroup: 'validator', threshold: 1000, for: '10m', severity: 'critical' });
    expect(() => synthesizePlatform(p.platform, { outdir: '/nonexistent-dataops-out' })).toThrow(
      "prod/orders, field 'alertOnLag': consumer group 'connect-to-lake' (read by prod/orders/to-lake, topics payments.orders.v1) of production pipeline " +
        "'orders' has no lag alert: call alertOnLag({ threshold, for, severity }) on the pipeline [DOP-MON-001]");
  });

  it('is satisfied by an acknowledgement with a reason, which the report keeps', () => {
    const p = platform();
    p.orders.alertOnLag({ consumerGroup: 'validator', threshold: 1000, for: '10m', severity: 'critical' });
    Policies.acknowledge(p.orders, 'DOP-MON-001', 'the lake sink is replayable; lag is watched by the lake team');
    const f = findings(p);
    expect(f.map((x) => [x.level, x.constructPath, x.acknowledged?.reason])).toEqual([
      ['error', 'prod/orders', 'the lake sink is replayable; lag is watched by the lake team'],
    ]);
  });

  it('does not apply outside production', () => {
    const p = platform('dev');
    expect(findings(p)).toEqual([]);
  });
});
