import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { toKubernetesName } from '../../lib/names';
import { propsSchema, validateProps } from '../../lib/validation';
import { DurationInput, durationSchema } from '../core/duration';
import { AlertDefinition, AlertRoute, AlertRules, AlertSeverity } from '../monitoring';
import { alertRouteRef } from '../monitoring/alert-rules';
import { prometheusDuration } from '../monitoring/prometheus-duration';
import { topicMessageRateExpr } from './metrics';
import type { ITopic } from './topic';

/** Options of `topic.alertOnThroughput()`. */
export interface TopicThroughputAlertOptions {
  /** Fewer messages per second than this (averaged over `window`) is an incident. @default - no lower bound */
  readonly min?: number;
  /** More messages per second than this (averaged over `window`) is an incident. @default - no upper bound */
  readonly max?: number;
  /** How long the rate must stay out of bounds before the alert fires (`'15m'`). */
  readonly for: DurationInput;
  /** The window the rate is averaged over. @default '5m' */
  readonly window?: DurationInput;
  /** The alerts' severity. @default 'warning' */
  readonly severity?: AlertSeverity;
  /** A runbook URL (annotation `runbook_url`). @default - none */
  readonly runbook?: string;
  /** The route meant to receive the alerts (see `alertOnLag`'s `route`). @default - the environment's namespace */
  readonly route?: AlertRoute;
  /**
   * Labels of the PrometheusRule object, for a Prometheus whose `ruleSelector` needs them (kube-prometheus-stack
   * selects `release: <helm release>` unless `ruleSelectorNilUsesHelmValues` is false).
   * @default - none
   */
  readonly objectLabels?: Readonly<Record<string, string>>;
}

const optionsSchema = propsSchema<TopicThroughputAlertOptions>()({
  min: z.number().min(0).optional(),
  max: z.number().positive().optional(),
  for: durationSchema,
  window: durationSchema.optional(),
  severity: z.enum(['critical', 'warning', 'info']).optional(),
  runbook: z.string().optional(),
  route: alertRouteRef.optional(),
  objectLabels: z.record(z.string(), z.string()).optional(),
});

/** Alert names of throughput alerts. */
export const THROUGHPUT_LOW_ALERT_NAME = 'KafkaTopicThroughputLow';
export const THROUGHPUT_HIGH_ALERT_NAME = 'KafkaTopicThroughputHigh';

/**
 * Alerts when a topic receives fewer (`min`) or more (`max`) messages per second than expected, from the growth of
 * its partitions' end offsets as the cluster's exporter reports them. A topic without any offset series counts as 0
 * messages per second for `min` (an absent exporter or a wrong selector is noticed, not silent). Usually created with
 * `topic.alertOnThroughput()`.
 */
export class TopicThroughputAlert extends Construct {
  /** The topic. */
  public readonly topic: ITopic;
  /** The PrometheusRule and its rules. */
  public readonly alertRules: AlertRules;

  constructor(scope: Construct, id: string, topic: ITopic, options: TopicThroughputAlertOptions) {
    super(scope, id);
    const p = validateProps(this, optionsSchema, options);
    if (p.min === undefined && p.max === undefined) throw new ValidationError(this, 'min', "give 'min', 'max' or both (messages per second)");
    if (p.min !== undefined && p.max !== undefined && p.min >= p.max) {
      throw new ValidationError(this, 'max', `max (${p.max}/s) must be above min (${p.min}/s)`);
    }
    if (topic.isPrefix) throw new ValidationError(this, 'topic', `'${topic.topicName}' is a prefix; throughput alerts are per topic`);
    this.topic = topic;
    const window = prometheusDuration(p.window ?? 300_000);
    const rate = topicMessageRateExpr(topic.cluster, topic.topicName, window);
    const severity = p.severity ?? 'warning';
    const labels = { topic: topic.topicName, kafka_cluster: topic.cluster.clusterName };
    const alerts: AlertDefinition[] = [];
    if (p.min !== undefined) {
      alerts.push({
        alertName: THROUGHPUT_LOW_ALERT_NAME, expr: `(${rate} or vector(0)) < ${p.min}`, for: options.for, severity, runbook: p.runbook, labels,
        summary: `Topic ${topic.topicName} receives {{ $value | humanize }} messages/s, below the expected ${p.min}/s`,
        description: `Producers to '${topic.topicName}' (cluster '${topic.cluster.clusterName}') write less than expected, averaged over ${window}.`,
      });
    }
    if (p.max !== undefined) {
      alerts.push({
        alertName: THROUGHPUT_HIGH_ALERT_NAME, expr: `${rate} > ${p.max}`, for: options.for, severity, runbook: p.runbook, labels,
        summary: `Topic ${topic.topicName} receives {{ $value | humanize }} messages/s, above the expected ${p.max}/s`,
        description: `Producers to '${topic.topicName}' (cluster '${topic.cluster.clusterName}') write more than expected, averaged over ${window}.`,
      });
    }
    // '<topic>-throughput' ('-2', '-3' for more alerts on one topic), dots kept as in KafkaTopic names.
    const nth = /(\d+)$/.exec(id)?.[1];
    const name = `${toKubernetesName(topic.topicName, true).slice(0, 230).replace(/[-.]+$/, '')}-throughput${nth ? `-${nth}` : ''}`;
    this.alertRules = new AlertRules(this, 'Rules', { name, route: options.route, objectLabels: p.objectLabels, alerts });
  }
}
