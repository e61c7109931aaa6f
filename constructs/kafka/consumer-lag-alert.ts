import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { DataFlowGraph } from '../../lib/graph/graph';
import { toKubernetesName } from '../../lib/names';
import { propsSchema, validateProps } from '../../lib/validation';
import { DurationInput, durationSchema } from '../core/duration';
import { AlertRoute, AlertRules, AlertSeverity } from '../monitoring';
import { alertRouteRef } from '../monitoring/alert-rules';
import { prometheusDuration } from '../monitoring/prometheus-duration';
import { IKafkaCluster, kafkaClusterRef } from './cluster';
import { consumerGroupsUnder } from './consumer-groups';
import { consumerGroupLagExpr, metricsOf } from './metrics';

/** Options of `pipeline.alertOnLag()` and {@link ConsumerLagAlert}. */
export interface ConsumerLagAlertOptions {
  /** The consumer group. @default - every consumer group read with under the scope (the pipeline's apps and connectors) */
  readonly consumerGroup?: string;
  /** Lag, in messages summed over a topic's partitions, above which the alert is pending. */
  readonly threshold: number;
  /** How long the lag must stay above the threshold before the alert fires (`'10m'`). */
  readonly for: DurationInput;
  /** The alert's severity. */
  readonly severity: AlertSeverity;
  /** A runbook URL (annotation `runbook_url`). @default - none */
  readonly runbook?: string;
  /**
   * The route meant to receive the alert: the PrometheusRule goes to its namespace and the alert's `namespace`
   * label is set to it (the operator only routes an alert to AlertmanagerConfigs of its `namespace` label). Synth
   * fails when the alert would not match the route.
   * @default - the environment's namespace (where an AlertRoute goes by default)
   */
  readonly route?: AlertRoute;
  /**
   * Labels of the PrometheusRule object, for a Prometheus whose `ruleSelector` needs them (kube-prometheus-stack
   * selects `release: <helm release>` unless `ruleSelectorNilUsesHelmValues` is false).
   * @default - none
   */
  readonly objectLabels?: Readonly<Record<string, string>>;
  /** The cluster, when `consumerGroup` is not read with under the scope. @default - the cluster the group reads from */
  readonly cluster?: IKafkaCluster;
}

const optionsSchema = propsSchema<ConsumerLagAlertOptions>()({
  consumerGroup: z.string().min(1).max(249).optional(),
  threshold: z.number().int('use a whole number of messages').min(0),
  for: durationSchema,
  severity: z.enum(['critical', 'warning', 'info']),
  runbook: z.string().optional(),
  route: alertRouteRef.optional(),
  cluster: kafkaClusterRef.optional(),
  objectLabels: z.record(z.string(), z.string()).optional(),
});

/** The alert name of consumer-lag alerts. */
export const CONSUMER_LAG_ALERT_NAME = 'KafkaConsumerLagHigh';

/**
 * Alerts when consumer groups fall behind: for each group, total lag per topic above `threshold` for `for`. Emits one
 * PrometheusRule (see {@link AlertRules}) with one rule per group, on the lag series of the cluster's exporter
 * (`KafkaCluster` prop `metrics`, kafka_exporter by default). Usually created with `pipeline.alertOnLag()`.
 *
 * Alert labels: `severity`, `namespace` (the route's), `pipeline`, `owner`, `consumer_group`, `kafka_cluster`, and the
 * exporter's group and topic labels.
 */
export class ConsumerLagAlert extends Construct {
  /** The consumer groups alerted on, with their cluster. */
  public readonly consumerGroups: readonly { readonly group: string; readonly cluster: IKafkaCluster }[];
  /** The PrometheusRule and its rules. */
  public readonly alertRules: AlertRules;
  /** The route the alerts are meant for, if named. */
  public readonly route?: AlertRoute;

  constructor(scope: Construct, id: string, options: ConsumerLagAlertOptions) {
    super(scope, id);
    const p = validateProps(this, optionsSchema, options);
    const declared = consumerGroupsUnder(scope);
    let groups: { group: string; cluster: IKafkaCluster }[];
    if (p.consumerGroup !== undefined) {
      const found = declared.find((d) => d.group === p.consumerGroup && (!options.cluster || d.cluster === options.cluster));
      const cluster = options.cluster ?? found?.cluster;
      if (!cluster) {
        throw new ValidationError(this, 'consumerGroup', `no app or connector under ${scope.node.path} reads as consumer group '${p.consumerGroup}'` +
          (declared.length ? ` (groups: ${declared.map((d) => d.group).join(', ')})` : '') + "; give 'cluster' to alert on a group declared elsewhere");
      }
      groups = [{ group: p.consumerGroup, cluster }];
    } else {
      groups = declared.filter((d) => !options.cluster || d.cluster === options.cluster).map((d) => ({ group: d.group, cluster: d.cluster }));
      if (groups.length === 0) {
        throw new ValidationError(this, 'consumerGroup', `nothing under ${scope.node.path} reads with a consumer group yet: ` +
          "call alertOnLag after declaring the pipeline's apps and connectors, or give 'consumerGroup'");
      }
    }
    this.consumerGroups = groups;
    this.route = options.route;
    // '<pipeline>-consumer-lag' ('-2', '-3' for more alerts of one pipeline): stable, and unique beside other alerts.
    const owner = DataFlowGraph.groupOf(this)?.name ?? toKubernetesName(scope.node.id);
    const nth = /(\d+)$/.exec(id)?.[1];
    this.alertRules = new AlertRules(this, 'Rules', {
      name: `${owner}-consumer-lag${nth ? `-${nth}` : ''}`,
      route: options.route,
      objectLabels: p.objectLabels,
      alerts: groups.map(({ group, cluster }) => {
        const { names } = metricsOf(cluster);
        return {
          alertName: CONSUMER_LAG_ALERT_NAME,
          expr: `${consumerGroupLagExpr(cluster, group)} > ${p.threshold}`,
          for: options.for,
          severity: p.severity,
          summary: `Consumer group ${group} is {{ $value | humanize }} messages behind on topic {{ $labels.${names.lag.topic} }} (threshold ${p.threshold})`,
          description: `Lag of consumer group '${group}' on Kafka cluster '${cluster.clusterName}' has been above ${p.threshold} messages ` +
            `for ${prometheusDuration(p.for)}: its consumers are down, stuck or too slow for the input.`,
          runbook: p.runbook,
          labels: { consumer_group: group, kafka_cluster: cluster.clusterName },
        };
      }),
    });
  }
}
