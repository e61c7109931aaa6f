import { beforeAll, describe, expect, it } from 'vitest';
import { AlertRoute, KafkaCluster, KafkaMetrics, KafkaMetricsSource, Pipeline, Secrets, StreamingApp, Topic } from 'cdk8s-dataops';
import { findObjects } from 'cdk8s-dataops/testing';
import { alertmanagerReceivers, amtoolPath, operatorAlertmanagerConfig, promtool, promtoolPath, testRules, writeRuleFile } from '../../support/promtool';
import { validateAll } from '../support/schema';
import { kafkaFixture } from './support';

/** The payments team's pipeline: one app reading `payments.orders.v1` as consumer group `validator`. */
function ordersPipeline(metrics?: KafkaMetricsSource) {
  // The app runs in 'payments' (its credentials copied from 'kafka'); the lag series come from 'kafka'.
  const { env, platform } = kafkaFixture();
  const cluster = KafkaCluster.fromStrimzi(env, 'kafka2', { name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093', credentialsStore: { name: 'strimzi-users' }, metrics });
  const orders = new Pipeline(env, 'orders', { owner: 'team-payments' });
  const raw = new Topic(orders, 'raw', { cluster, topicName: 'payments.orders.v1' });
  new StreamingApp(orders, 'validator', { image: 'ghcr.io/acme/validator:1.0.0', cluster, reads: [raw] });
  return { env, platform, cluster, orders, raw };
}

const RUNBOOK = 'https://runbooks.acme.com/kafka/consumer-lag';

/** The annotations the lag alert of group 'validator' must carry (rendered by Prometheus's templating in promtool). */
function lagAnnotations(value: string, topic: string, threshold: number, forDuration: string, runbook?: string) {
  return {
    summary: `Consumer group validator is ${value} messages behind on topic ${topic} (threshold ${threshold})`,
    description: `Lag of consumer group 'validator' on Kafka cluster 'main' has been above ${threshold} messages for ${forDuration}: ` +
      'its consumers are down, stuck or too slow for the input.',
    ...(runbook ? { runbook_url: runbook } : {}),
  };
}

describe('pipeline.alertOnLag', () => {
  beforeAll(() => {
    promtoolPath(); // builds promtool (and amtool) once (minutes) when .cache has none
    amtoolPath();
  }, 1_800_000);

  it('emits one PrometheusRule in the environment namespace that validates against the upstream CRD and promtool check rules', () => {
    const { env, orders } = ordersPipeline();
    orders.alertOnLag({ threshold: 1000, for: '10m', severity: 'critical', runbook: RUNBOOK, objectLabels: { release: 'kube-prometheus-stack' } });
    const rules = findObjects(env, 'PrometheusRule');
    expect(rules).toHaveLength(1);
    expect(rules[0].metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(rules[0].apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rules[0].metadata.namespace).toBe('payments');
    expect(rules[0].metadata.labels).toMatchObject({ 'dataops.cdk8s.io/pipeline': 'orders' });
    validateAll(rules);
    expect(rules[0].spec.groups[0].rules[0]).toMatchObject({
      alert: 'KafkaConsumerLagHigh',
      expr: 'sum by (consumergroup, topic) (kafka_consumergroup_lag{consumergroup="validator",namespace="kafka"} >= 0) > 1000',
      for: '10m',
    });
    const { dir } = writeRuleFile(rules);
    const check = promtool(['check', 'rules', 'rules.yaml'], dir);
    expect(check.status, check.output).toBe(0);
    expect(check.output).toContain('SUCCESS: 1 rules found');
  });

  it('fires after `for` above the threshold with the routing labels, not before, not below, not for other clusters or groups (promtool test rules)', () => {
    const { env, orders } = ordersPipeline();
    orders.alertOnLag({ threshold: 1000, for: '10m', severity: 'critical', runbook: RUNBOOK });
    const { dir } = writeRuleFile(findObjects(env, 'PrometheusRule'));
    const lag = (labels: string) => `kafka_consumergroup_lag{${labels}}`;
    const labels = {
      alertname: 'KafkaConsumerLagHigh', consumergroup: 'validator', topic: 'payments.orders.v1', consumer_group: 'validator', kafka_cluster: 'main',
      namespace: 'payments', owner: 'team-payments', pipeline: 'orders', severity: 'critical',
    };
    const result = testRules(dir, {
      interval: '1m',
      series: [
        // 700 + 500 = 1200 messages behind on orders; partition 2 never committed (-1), left out of the sum.
        { series: lag('namespace="kafka",consumergroup="validator",topic="payments.orders.v1",partition="0"'), values: '700x30' },
        { series: lag('namespace="kafka",consumergroup="validator",topic="payments.orders.v1",partition="1"'), values: '500x30' },
        { series: lag('namespace="kafka",consumergroup="validator",topic="payments.orders.v1",partition="2"'), values: '-1x30' },
        // Below the threshold on another topic: 400 + 500 + (-1 ignored) = 900.
        { series: lag('namespace="kafka",consumergroup="validator",topic="payments.refunds.v1",partition="0"'), values: '400x30' },
        { series: lag('namespace="kafka",consumergroup="validator",topic="payments.refunds.v1",partition="1"'), values: '500x30' },
        { series: lag('namespace="kafka",consumergroup="validator",topic="payments.refunds.v1",partition="2"'), values: '-1x30' },
        // The same group on another cluster (another namespace) and another group here: not this alert's business.
        { series: lag('namespace="kafka-dr",consumergroup="validator",topic="payments.orders.v1",partition="0"'), values: '99999x30' },
        { series: lag('namespace="kafka",consumergroup="enricher",topic="payments.orders.v1",partition="0"'), values: '99999x30' },
      ],
      expect: [
        { evalTime: '9m', alertname: 'KafkaConsumerLagHigh', alerts: [] },
        {
          evalTime: '10m', alertname: 'KafkaConsumerLagHigh', alerts: [{ labels, annotations: lagAnnotations('1.2k', 'payments.orders.v1', 1000, '10m', RUNBOOK) }],
        },
        { evalTime: '30m', alertname: 'KafkaConsumerLagHigh', alerts: [{ labels, annotations: lagAnnotations('1.2k', 'payments.orders.v1', 1000, '10m', RUNBOOK) }] },
      ],
    });
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('is proven by promtool: a wrong expectation fails (the harness can fail)', () => {
    const { env, orders } = ordersPipeline();
    orders.alertOnLag({ threshold: 1000, for: '10m', severity: 'critical' });
    const { dir } = writeRuleFile(findObjects(env, 'PrometheusRule'));
    const result = testRules(dir, {
      interval: '1m',
      series: [{ series: 'kafka_consumergroup_lag{namespace="kafka",consumergroup="validator",topic="t",partition="0"}', values: '999x30' }],
      expect: [{ evalTime: '20m', alertname: 'KafkaConsumerLagHigh', alerts: [{ labels: { consumergroup: 'validator', topic: 't' }, annotations: {} }] }],
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('FAILED');
  });

  it.each([
    ['kminion', KafkaMetrics.kminion(), 'kminion_kafka_consumer_group_topic_partition_lag{group_id="validator",topic_name="payments.orders.v1",partition_id="0"}', { group_id: 'validator', topic_name: 'payments.orders.v1' }],
    ['burrow-exporter', KafkaMetrics.burrowExporter(), 'kafka_burrow_partition_lag{cluster="main",group="validator",topic="payments.orders.v1",partition="0"}', { group: 'validator', topic: 'payments.orders.v1' }],
    ['kafka-lag-exporter', KafkaMetrics.kafkaLagExporter(), 'kafka_consumergroup_group_lag{cluster_name="main",group="validator",topic="payments.orders.v1",partition="0",member_host="/10.0.0.7",consumer_id="c-1",client_id="validator"}', { group: 'validator', topic: 'payments.orders.v1' }],
    ['kafka-exporter with a custom selector', KafkaMetrics.kafkaExporter({ selector: { strimzi_io_cluster: 'main' } }), 'kafka_consumergroup_lag{strimzi_io_cluster="main",consumergroup="validator",topic="payments.orders.v1",partition="0"}', { consumergroup: 'validator', topic: 'payments.orders.v1' }],
  ])('reads the lag series of %s', (_name, metrics, series, exporterLabels) => {
    const { env, orders } = ordersPipeline(metrics);
    orders.alertOnLag({ threshold: 100, for: '5m', severity: 'warning' });
    const rules = findObjects(env, 'PrometheusRule');
    validateAll(rules);
    const { dir } = writeRuleFile(rules);
    expect(promtool(['check', 'rules', 'rules.yaml'], dir).status).toBe(0);
    const labels = {
      alertname: 'KafkaConsumerLagHigh', ...exporterLabels, consumer_group: 'validator', kafka_cluster: 'main',
      namespace: 'payments', owner: 'team-payments', pipeline: 'orders', severity: 'warning',
    };
    const result = testRules(dir, {
      interval: '1m',
      series: [{ series, values: '50+10x30' }], // 50, 60, ... above 100 from minute 6
      expect: [
        { evalTime: '10m', alertname: 'KafkaConsumerLagHigh', alerts: [] }, // above since 6m: pending
        { evalTime: '11m', alertname: 'KafkaConsumerLagHigh', alerts: [{ labels, annotations: lagAnnotations('160', 'payments.orders.v1', 100, '5m') }] },
      ],
    });
    expect(result.status, result.output).toBe(0);
  });

  it('meets its AlertRoute: the labels promtool proved pass the route matchers and the operator namespace matcher', () => {
    const { env, orders } = ordersPipeline();
    const hooks = Secrets.fromExternal(env, 'alerting', { store: { name: 'vault', kind: 'ClusterSecretStore' }, keys: { slack: 'prod/slack#url' } });
    // A route in another namespace than the environment's: the rule follows it there.
    const oncall = new AlertRoute(orders, 'oncall', {
      namespace: 'payments', match: { pipeline: 'orders', severity: 'critical' }, slack: { channel: '#orders', webhook: hooks.envValue('slack') },
    });
    const other = new AlertRoute(env, 'analytics', { match: { pipeline: 'analytics' }, slack: { channel: '#analytics', webhook: hooks.envValue('slack') } });
    orders.alertOnLag({ threshold: 1000, for: '10m', severity: 'critical', route: oncall });
    const objects = findObjects(env, 'PrometheusRule');
    const { dir } = writeRuleFile(objects);
    const labels = {
      alertname: 'KafkaConsumerLagHigh', consumergroup: 'validator', topic: 'payments.orders.v1', consumer_group: 'validator', kafka_cluster: 'main',
      namespace: 'payments', owner: 'team-payments', pipeline: 'orders', severity: 'critical',
    };
    const result = testRules(dir, {
      interval: '1m',
      series: [{ series: 'kafka_consumergroup_lag{namespace="kafka",consumergroup="validator",topic="payments.orders.v1",partition="0"}', values: '5000x20' }],
      expect: [{ evalTime: '15m', alertname: 'KafkaConsumerLagHigh', alerts: [{ labels, annotations: lagAnnotations('5k', 'payments.orders.v1', 1000, '10m') }] }],
    });
    expect(result.status, result.output).toBe(0);
    // The series came with namespace="kafka"; the alert carries the route's namespace, so the route sees it.
    expect(oncall.matches(labels)).toBe(true);
    expect(other.matches(labels)).toBe(false);
    expect(oncall.matches({ ...labels, namespace: 'kafka' })).toBe(false);
    // The same in Alertmanager's own routing code (amtool), on the tree the operator builds from both AlertmanagerConfigs:
    // the alert reaches the oncall receiver only; with the series' namespace="kafka" it would reach none of ours.
    const tree = operatorAlertmanagerConfig(findObjects(env, 'AlertmanagerConfig') as any);
    expect(alertmanagerReceivers(tree, labels)).toEqual(['payments/oncall/oncall']);
    expect(alertmanagerReceivers(tree, { ...labels, namespace: 'kafka' })).toEqual(['null']);
    expect(alertmanagerReceivers(tree, { ...labels, pipeline: 'analytics' })).toEqual(['payments/analytics/analytics']);
  });

  it('moves the rule and the namespace label to the namespace of a route elsewhere', () => {
    const { env, orders } = ordersPipeline();
    const central = new AlertRoute(env, 'central', { namespace: 'monitoring', webhook: { url: 'https://hooks.acme.com/alerts' } });
    const alert = orders.alertOnLag({ threshold: 10, for: '1m', severity: 'info', route: central });
    const rule = findObjects(env, 'PrometheusRule')[0];
    expect(rule.metadata.namespace).toBe('monitoring');
    expect(rule.spec.groups[0].rules[0].labels.namespace).toBe('monitoring');
    expect(central.matches({ ...alert.alertRules.rules[0].labels })).toBe(true);
  });

  it('refuses a route the alert would never reach, naming the construct and the mismatch', () => {
    const { env, orders } = ordersPipeline();
    const hooks = Secrets.fromExternal(env, 'alerting', { store: { name: 'vault', kind: 'ClusterSecretStore' }, keys: { slack: 'prod/slack#url' } });
    const analytics = new AlertRoute(env, 'analytics', { match: { pipeline: 'analytics' }, slack: { channel: '#a', webhook: hooks.envValue('slack') } });
    expect(() => orders.alertOnLag({ threshold: 10, for: '5m', severity: 'critical', route: analytics }))
      .toThrow(/prod\/orders\/LagAlert\/Rules, field 'alerts\[0\]': alert KafkaConsumerLagHigh would never reach its route: route prod\/analytics needs pipeline="analytics", the alert has pipeline="orders"/);
  });

  it('alerts on every consumer group of the pipeline by default, one rule per group', () => {
    const { env, orders, raw, cluster } = ordersPipeline();
    new StreamingApp(orders, 'enricher', { image: 'ghcr.io/acme/enricher:1.0.0', cluster, reads: [raw], consumerGroup: 'orders-enricher' });
    const alert = orders.alertOnLag({ threshold: 10, for: '5m', severity: 'warning' });
    expect(alert.consumerGroups.map((g) => g.group)).toEqual(['validator', 'orders-enricher']);
    expect(findObjects(env, 'PrometheusRule')[0].spec.groups[0].rules.map((r: any) => r.labels.consumer_group)).toEqual(['validator', 'orders-enricher']);
  });

  it('explains what is missing: no consumer group yet, an unknown group, a bad threshold', () => {
    const { env } = kafkaFixture();
    const empty = new Pipeline(env, 'empty', { owner: 'team-x' });
    expect(() => empty.alertOnLag({ threshold: 10, for: '5m', severity: 'warning' }))
      .toThrow(/prod\/empty\/LagAlert, field 'consumerGroup': nothing under prod\/empty reads with a consumer group yet/);
    const { orders } = ordersPipeline();
    expect(() => orders.alertOnLag({ consumerGroup: 'validatr', threshold: 10, for: '5m', severity: 'warning' }))
      .toThrow(/no app or connector under prod\/orders reads as consumer group 'validatr' \(groups: validator\)/);
    expect(() => orders.alertOnLag({ threshold: -1, for: '5m', severity: 'warning' })).toThrow(/field 'threshold'/);
    expect(() => orders.alertOnLag({ threshold: 1, for: '5 minutes', severity: 'warning' })).toThrow(/field 'for': '5 minutes' is not a duration/);
    expect(() => orders.alertOnLag({ threshold: 1, for: '5m', severity: 'warning', treshold: 3 } as any)).toThrow(/did you mean 'threshold'/);
    expect(() => orders.alertOnLag({ threshold: 1, for: '5m', severity: 'warning', route: 'oncall' as any })).toThrow(/field 'route': expected an AlertRoute$/);
  });
});
