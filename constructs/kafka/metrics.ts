import { z } from 'zod';

/**
 * The Prometheus exporters that publish consumer-group lag and topic offsets, with their exact metric and label names:
 *
 * - `kafka-exporter`: danielqsj/kafka_exporter, the one Strimzi deploys with `spec.kafkaExporter` of a Kafka resource
 *   (README "Metrics": `kafka_consumergroup_lag{consumergroup,topic,partition}`,
 *   `kafka_topic_partition_current_offset{topic,partition}`).
 * - `kminion`: redpanda-data/kminion (docs/metrics.md: `kminion_kafka_consumer_group_topic_partition_lag{group_id,topic_name,partition_id}`,
 *   `kminion_kafka_topic_partition_high_water_mark{topic_name,partition_id}`).
 * - `burrow-exporter`: jirwin/burrow_exporter over LinkedIn Burrow (exporter/metrics.go:
 *   `kafka_burrow_partition_lag{cluster,group,topic,partition}`, `kafka_burrow_topic_partition_offset{cluster,topic,partition}`).
 * - `kafka-lag-exporter`: seglo/kafka-lag-exporter (README "Metrics": `kafka_consumergroup_group_lag{cluster_name,group,topic,partition,member_host,consumer_id,client_id}`,
 *   `kafka_partition_latest_offset{cluster_name,topic,partition}`).
 */
export type KafkaMetricsExporter = 'kafka-exporter' | 'kminion' | 'burrow-exporter' | 'kafka-lag-exporter';

/** Where the lag and offset series of a cluster come from (see {@link KafkaMetrics}). */
export interface KafkaMetricsSource {
  /** The exporter. */
  readonly exporter: KafkaMetricsExporter;
  /**
   * Label matchers that pick this cluster's series out of everything Prometheus holds (equality).
   * @default - per exporter: kafka-exporter `{ namespace: <cluster namespace> }` (Strimzi runs it next to the
   * brokers and the Prometheus Operator labels scraped series with the pod's namespace); burrow-exporter
   * `{ cluster: <cluster name> }`; kafka-lag-exporter `{ cluster_name: <cluster name> }` (its Strimzi watcher names
   * clusters by their Kafka resource); kminion none (one kminion per cluster)
   */
  readonly selector?: Readonly<Record<string, string>>;
}

/** Options of the {@link KafkaMetrics} factories. */
export interface KafkaMetricsOptions {
  /** Label matchers of the cluster's series. @default - per exporter, see {@link KafkaMetricsSource.selector} */
  readonly selector?: Readonly<Record<string, string>>;
}

/** Choosing the lag and offset exporter of a cluster: `KafkaCluster.fromStrimzi(env, 'kafka', { ..., metrics: KafkaMetrics.kminion() })`. */
export class KafkaMetrics {
  /** kafka_exporter as Strimzi deploys it (the default). */
  public static kafkaExporter(options: KafkaMetricsOptions = {}): KafkaMetricsSource {
    return { exporter: 'kafka-exporter', ...options };
  }
  /** Redpanda's KMinion. */
  public static kminion(options: KafkaMetricsOptions = {}): KafkaMetricsSource {
    return { exporter: 'kminion', ...options };
  }
  /** burrow_exporter in front of LinkedIn's Burrow. */
  public static burrowExporter(options: KafkaMetricsOptions = {}): KafkaMetricsSource {
    return { exporter: 'burrow-exporter', ...options };
  }
  /** Kafka Lag Exporter (seglo, formerly Lightbend). */
  public static kafkaLagExporter(options: KafkaMetricsOptions = {}): KafkaMetricsSource {
    return { exporter: 'kafka-lag-exporter', ...options };
  }
  private constructor() {}
}

/** zod schema of a {@link KafkaMetricsSource}. */
export const kafkaMetricsSourceSchema = z.object({
  exporter: z.enum(['kafka-exporter', 'kminion', 'burrow-exporter', 'kafka-lag-exporter']),
  selector: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'is not a Prometheus label name'), z.string()).optional(),
}).strict();

/** Metric and label names of one exporter. */
export interface ExporterMetricNames {
  /** Per-partition consumer-group lag in messages. */
  readonly lag: { readonly metric: string; readonly group: string; readonly topic: string };
  /** Per-partition log-end offset (high water mark) of topics. */
  readonly offset: { readonly metric: string; readonly topic: string };
  /** The label naming the cluster, for the default selector. */
  readonly clusterLabel?: 'namespace' | 'cluster' | 'cluster_name';
}

/** The metric names of each exporter (sources in {@link KafkaMetricsExporter}). */
export const EXPORTER_METRICS: Readonly<Record<KafkaMetricsExporter, ExporterMetricNames>> = {
  'kafka-exporter': {
    lag: { metric: 'kafka_consumergroup_lag', group: 'consumergroup', topic: 'topic' },
    offset: { metric: 'kafka_topic_partition_current_offset', topic: 'topic' },
    clusterLabel: 'namespace',
  },
  'kminion': {
    lag: { metric: 'kminion_kafka_consumer_group_topic_partition_lag', group: 'group_id', topic: 'topic_name' },
    offset: { metric: 'kminion_kafka_topic_partition_high_water_mark', topic: 'topic_name' },
  },
  'burrow-exporter': {
    lag: { metric: 'kafka_burrow_partition_lag', group: 'group', topic: 'topic' },
    offset: { metric: 'kafka_burrow_topic_partition_offset', topic: 'topic' },
    clusterLabel: 'cluster',
  },
  'kafka-lag-exporter': {
    lag: { metric: 'kafka_consumergroup_group_lag', group: 'group', topic: 'topic' },
    offset: { metric: 'kafka_partition_latest_offset', topic: 'topic' },
    clusterLabel: 'cluster_name',
  },
};

/** What a cluster needs to know to build its selector. */
interface ClusterIdentity {
  readonly clusterName: string;
  readonly namespace: string;
  readonly metrics?: KafkaMetricsSource;
}

/** The exporter and series selector of a cluster (kafka-exporter when the cluster names none). */
export function metricsOf(cluster: ClusterIdentity): { readonly names: ExporterMetricNames; readonly selector: Readonly<Record<string, string>> } {
  const source = cluster.metrics ?? KafkaMetrics.kafkaExporter();
  const names = EXPORTER_METRICS[source.exporter];
  let selector = source.selector;
  if (selector === undefined) {
    if (names.clusterLabel === 'namespace') selector = { namespace: cluster.namespace };
    else if (names.clusterLabel) selector = { [names.clusterLabel]: cluster.clusterName };
    else selector = {};
  }
  return { names, selector };
}

/** A PromQL selector `metric{a="x",b="y"}` (labels sorted, values escaped as PromQL strings). */
export function promSelector(metric: string, matchers: Readonly<Record<string, string>>): string {
  const parts = Object.keys(matchers).sort().map((k) => `${k}=${JSON.stringify(matchers[k])}`);
  return parts.length ? `${metric}{${parts.join(',')}}` : metric;
}

/**
 * Total lag of a consumer group per topic: `sum by (<group>, <topic>) (<lag>{…} >= 0)`. Negative values (kafka_exporter
 * reports -1 for partitions the group never committed) are left out of the sum.
 */
export function consumerGroupLagExpr(cluster: ClusterIdentity, consumerGroup: string): string {
  const { names, selector } = metricsOf(cluster);
  const series = promSelector(names.lag.metric, { ...selector, [names.lag.group]: consumerGroup });
  return `sum by (${names.lag.group}, ${names.lag.topic}) (${series} >= 0)`;
}

/** Messages per second written to a topic: `sum(rate(<offset>{…,topic="t"}[window]))` (offsets only grow). */
export function topicMessageRateExpr(cluster: ClusterIdentity, topic: string, window: string): string {
  const { names, selector } = metricsOf(cluster);
  return `sum(rate(${promSelector(names.offset.metric, { ...selector, [names.offset.topic]: topic })}[${window}]))`;
}
