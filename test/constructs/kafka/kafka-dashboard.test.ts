import { beforeAll, describe, expect, it } from 'vitest';
import { KafkaCluster, KafkaDashboard, Pipeline, StreamingApp, Topic } from 'cdk8s-dataops';
import { findObjects } from 'cdk8s-dataops/testing';
import { promtoolPath, testExpressions } from '../../support/promtool';
import { kafkaFixture } from './support';

function orders() {
  const { env } = kafkaFixture();
  const cluster = KafkaCluster.fromStrimzi(env, 'k', { name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093', credentialsStore: { name: 'strimzi-users' } });
  const pipeline = new Pipeline(env, 'orders', { owner: 'team-payments' });
  const raw = new Topic(pipeline, 'raw', { cluster, topicName: 'payments.orders.v1' });
  new StreamingApp(pipeline, 'validator', { image: 'ghcr.io/acme/validator:1.0.0', cluster, reads: [raw] });
  return { env, pipeline };
}

describe('KafkaDashboard', () => {
  beforeAll(() => {
    promtoolPath();
  }, 900_000);

  it('charts the lag of each consumer group and the messages/s of each topic of the pipeline, with queries Prometheus evaluates as expected', () => {
    const { env, pipeline } = orders();
    new KafkaDashboard(pipeline, 'dashboard');
    const [cm] = findObjects(env, 'ConfigMap', (o) => o.metadata.labels?.grafana_dashboard === '1');
    expect(cm.metadata.name).toBe('orders-kafka-dashboard');
    const dashboard = JSON.parse(cm.data['orders-kafka-dashboard.json']);
    expect(dashboard.title).toBe('Pipeline orders');
    const [lag, rate] = dashboard.panels.map((p: any) => p.targets[0]);
    expect(dashboard.panels.map((p: any) => p.title)).toEqual(['Lag of consumer group validator', 'Messages/s into payments.orders.v1']);
    // The same queries in Prometheus's own engine (promtool): lag summed per topic without the -1 of an uncommitted partition,
    // and messages per second from the end offsets, this cluster only.
    const result = testExpressions({
      interval: '1m',
      series: [
        { series: 'kafka_consumergroup_lag{namespace="kafka",consumergroup="validator",topic="payments.orders.v1",partition="0"}', values: '30x10' },
        { series: 'kafka_consumergroup_lag{namespace="kafka",consumergroup="validator",topic="payments.orders.v1",partition="1"}', values: '-1x10' },
        { series: 'kafka_consumergroup_lag{namespace="kafka-dr",consumergroup="validator",topic="payments.orders.v1",partition="0"}', values: '999x10' },
        { series: 'kafka_topic_partition_current_offset{namespace="kafka",topic="payments.orders.v1",partition="0"}', values: '0+600x10' },
        { series: 'kafka_topic_partition_current_offset{namespace="kafka",topic="payments.orders.v1",partition="1"}', values: '0+600x10' },
      ],
      expect: [
        { expr: lag.expr, evalTime: '10m', samples: [{ labels: '{consumergroup="validator",topic="payments.orders.v1"}', value: 30 }] },
        { expr: rate.expr, evalTime: '10m', samples: [{ labels: '{}', value: 20 }] },
      ],
    });
    expect(result.status, result.output).toBe(0);
    expect(lag.legendFormat).toBe('{{topic}}');
  });

  it('says when there is nothing to chart', () => {
    const { env } = kafkaFixture();
    const empty = new Pipeline(env, 'empty', { owner: 'x' });
    expect(() => new KafkaDashboard(empty, 'dashboard')).toThrow(/prod\/empty\/dashboard: nothing under prod\/empty to chart/);
  });
});
