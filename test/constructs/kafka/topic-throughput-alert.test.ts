import { beforeAll, describe, expect, it } from 'vitest';
import { AlertRoute, KafkaCluster, KafkaMetrics, Pipeline, Topic } from 'cdk8s-dataops';
import { findObjects } from 'cdk8s-dataops/testing';
import { promtool, promtoolPath, testRules, writeRuleFile } from '../../support/promtool';
import { validateAll } from '../support/schema';
import { kafkaFixture } from './support';

function ordersTopic() {
  const { env, cluster } = kafkaFixture();
  const orders = new Pipeline(env, 'orders', { owner: 'team-payments' });
  const raw = new Topic(orders, 'raw', { cluster, topicName: 'payments.orders.v1' });
  return { env, cluster, orders, raw };
}

/** The annotations of the throughput alerts of 'payments.orders.v1'. */
function lowAnnotations(value: string, min: number, runbook?: string) {
  return {
    summary: `Topic payments.orders.v1 receives ${value} messages/s, below the expected ${min}/s`,
    description: "Producers to 'payments.orders.v1' (cluster 'main') write less than expected, averaged over 5m.",
    ...(runbook ? { runbook_url: runbook } : {}),
  };
}
function highAnnotations(value: string, max: number) {
  return {
    summary: `Topic payments.orders.v1 receives ${value} messages/s, above the expected ${max}/s`,
    description: "Producers to 'payments.orders.v1' (cluster 'main') write more than expected, averaged over 5m.",
  };
}

const offset = (partition: number, ns = 'kafka') => `kafka_topic_partition_current_offset{namespace="${ns}",topic="payments.orders.v1",partition="${partition}"}`;

describe('topic.alertOnThroughput', () => {
  beforeAll(() => {
    promtoolPath();
  }, 900_000);

  it('emits a PrometheusRule with a low and a high alert that validates against the CRD and promtool check rules', () => {
    const { env, raw } = ordersTopic();
    raw.alertOnThroughput({ min: 10, max: 100, for: '5m' });
    const rules = findObjects(env, 'PrometheusRule');
    expect(rules).toHaveLength(1);
    validateAll(rules);
    expect(rules[0].spec.groups[0].rules.map((r: any) => [r.alert, r.expr])).toEqual([
      ['KafkaTopicThroughputLow', '(sum(rate(kafka_topic_partition_current_offset{namespace="kafka",topic="payments.orders.v1"}[5m])) or vector(0)) < 10'],
      ['KafkaTopicThroughputHigh', 'sum(rate(kafka_topic_partition_current_offset{namespace="kafka",topic="payments.orders.v1"}[5m])) > 100'],
    ]);
    const { dir } = writeRuleFile(rules);
    const check = promtool(['check', 'rules', 'rules.yaml'], dir);
    expect(check.status, check.output).toBe(0);
    expect(check.output).toContain('SUCCESS: 2 rules found');
  });

  const labels = (alertname: string) => ({
    alertname, topic: 'payments.orders.v1', kafka_cluster: 'main', namespace: 'payments', owner: 'team-payments', pipeline: 'orders', severity: 'warning',
  });

  it('fires neither alert inside the bounds (promtool test rules)', () => {
    const { env, raw } = ordersTopic();
    raw.alertOnThroughput({ min: 10, max: 100, for: '5m' });
    const { dir } = writeRuleFile(findObjects(env, 'PrometheusRule'));
    // Two partitions of 1500 messages a minute each: 50 messages/s in total.
    const result = testRules(dir, {
      interval: '1m',
      series: [{ series: offset(0), values: '0+1500x40' }, { series: offset(1), values: '0+1500x40' }],
      expect: [
        { evalTime: '30m', alertname: 'KafkaTopicThroughputLow', alerts: [] },
        { evalTime: '30m', alertname: 'KafkaTopicThroughputHigh', alerts: [] },
      ],
    });
    expect(result.status, result.output).toBe(0);
  });

  it('fires the low alert after `for` below min, with its labels, not before', () => {
    const { env, raw } = ordersTopic();
    raw.alertOnThroughput({ min: 10, max: 100, for: '5m', runbook: 'https://runbooks.acme.com/orders-throughput' });
    const { dir } = writeRuleFile(findObjects(env, 'PrometheusRule'));
    // 50 messages/s for 20 minutes, then 1 message/s (60 a minute). The 5m rate drops below 10/s at ~24m.
    const result = testRules(dir, {
      interval: '1m',
      series: [{ series: offset(0), values: '0+3000x20 60000+60x30' }],
      expect: [
        { evalTime: '20m', alertname: 'KafkaTopicThroughputLow', alerts: [] },
        { evalTime: '27m', alertname: 'KafkaTopicThroughputLow', alerts: [] }, // pending
        {
          evalTime: '35m', alertname: 'KafkaTopicThroughputLow', alerts: [{
            labels: labels('KafkaTopicThroughputLow'),
            annotations: lowAnnotations('1', 10, 'https://runbooks.acme.com/orders-throughput'),
          }],
        },
        { evalTime: '35m', alertname: 'KafkaTopicThroughputHigh', alerts: [] },
      ],
    });
    expect(result.status, result.output).toBe(0);
  });

  it('fires the high alert after `for` above max', () => {
    const { env, raw } = ordersTopic();
    raw.alertOnThroughput({ max: 100, for: '5m' });
    const { dir } = writeRuleFile(findObjects(env, 'PrometheusRule'));
    // 200 messages/s from the start (the other cluster's 1/s is not counted): with for 5m, nothing before 6m.
    const result = testRules(dir, {
      interval: '1m',
      series: [{ series: offset(0), values: '0+12000x30' }, { series: offset(0, 'kafka-dr'), values: '0+60x30' }],
      expect: [
        { evalTime: '5m', alertname: 'KafkaTopicThroughputHigh', alerts: [] },
        { evalTime: '8m', alertname: 'KafkaTopicThroughputHigh', alerts: [{ labels: labels('KafkaTopicThroughputHigh'), annotations: highAnnotations('200', 100) }] },
      ],
    });
    expect(result.status, result.output).toBe(0);
  });

  it('treats a topic without offset series as 0 messages/s for min (a missing exporter is noticed)', () => {
    const { env, raw } = ordersTopic();
    raw.alertOnThroughput({ min: 1, for: '10m' });
    const { dir } = writeRuleFile(findObjects(env, 'PrometheusRule'));
    const result = testRules(dir, {
      interval: '1m',
      series: [{ series: 'kafka_topic_partition_current_offset{namespace="kafka",topic="other",partition="0"}', values: '0+6000x20' }],
      expect: [
        { evalTime: '9m', alertname: 'KafkaTopicThroughputLow', alerts: [] },
        { evalTime: '10m', alertname: 'KafkaTopicThroughputLow', alerts: [{ labels: labels('KafkaTopicThroughputLow'), annotations: lowAnnotations('0', 1) }] },
      ],
    });
    expect(result.status, result.output).toBe(0);
  });

  it('reads the offsets of the cluster exporter (kminion) and goes to the namespace of its route', () => {
    const { env } = kafkaFixture();
    const cluster = KafkaCluster.fromStrimzi(env, 'km', { name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093', metrics: KafkaMetrics.kminion() });
    const orders = new Pipeline(env, 'orders', { owner: 'team-payments' });
    const route = new AlertRoute(env, 'ops', { namespace: 'monitoring', webhook: { url: 'https://hooks.acme.com/alerts' } });
    new Topic(orders, 'raw', { cluster, topicName: 'payments.orders.v1' }).alertOnThroughput({ max: 100, for: '5m', severity: 'critical', route });
    const rules = findObjects(env, 'PrometheusRule');
    expect(rules[0].metadata.namespace).toBe('monitoring');
    const { dir } = writeRuleFile(rules);
    const result = testRules(dir, {
      interval: '1m',
      series: [{ series: 'kminion_kafka_topic_partition_high_water_mark{topic_name="payments.orders.v1",partition_id="0"}', values: '0+12000x30' }],
      expect: [{ evalTime: '10m', alertname: 'KafkaTopicThroughputHigh', alerts: [{ labels: { ...labels('KafkaTopicThroughputHigh'), namespace: 'monitoring', severity: 'critical' }, annotations: highAnnotations('200', 100) }] }],
    });
    expect(result.status, result.output).toBe(0);
    expect(route.matches({ ...labels('KafkaTopicThroughputHigh'), namespace: 'monitoring' })).toBe(true);
  });

  it('refuses alerts without bounds, inverted bounds and prefixes, naming the field', () => {
    const { env, cluster, raw } = ordersTopic();
    expect(() => raw.alertOnThroughput({ for: '5m' })).toThrow(/prod\/orders\/raw\/ThroughputAlert, field 'min': give 'min', 'max' or both/);
    expect(() => raw.alertOnThroughput({ min: 10, max: 5, for: '5m' })).toThrow(/field 'max': max \(5\/s\) must be above min \(10\/s\)/);
    expect(() => Topic.prefix(env, 'all', cluster, 'payments.').alertOnThroughput({ min: 1, for: '5m' })).toThrow(/is a prefix/);
    expect(() => raw.alertOnThroughput({ minimum: 1, for: '5m' } as any)).toThrow(/field 'minimum': unknown property 'minimum'/);
  });
});
