import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { DataFlowGraph } from '../../lib/graph/graph';
import { objectName } from '../../lib/names';
import { Environment } from '../../lib/platform';
import { constructRef, propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { DurationInput, durationSchema } from '../core/duration';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../imports/prometheus-monitoring.coreos.com';
import type { AlertRoute } from './alert-route';
import { addNotificationsReport } from './notifications-report';
import { prometheusDuration } from './prometheus-duration';

/** How urgent an alert is; the value of its `severity` label (and of PagerDuty's event severity). */
export type AlertSeverity = 'critical' | 'warning' | 'info';

/**
 * Alert labels this library sets itself. `namespace` is the namespace of the {@link AlertRoute} meant to receive the
 * alert: the Prometheus Operator only lets an AlertmanagerConfig see alerts whose `namespace` label is its own.
 */
export const RESERVED_ALERT_LABELS = ['alertname', 'severity', 'namespace', 'pipeline', 'owner'] as const;

/** One alerting rule of an {@link AlertRules} group. */
export interface AlertDefinition {
  /** The alert's name (its `alertname` label), e.g. `KafkaConsumerLagHigh`. */
  readonly alertName: string;
  /** The PromQL expression; every series it returns is a pending (then firing) alert. */
  readonly expr: string;
  /** How long the expression must hold before the alert fires. */
  readonly for: DurationInput;
  /** The alert's `severity` label. */
  readonly severity: AlertSeverity;
  /** One line for people (annotation `summary`); may use `{{ $labels.x }}` and `{{ $value }}`. */
  readonly summary: string;
  /** More detail (annotation `description`). @default - none */
  readonly description?: string;
  /** Link to what to do (annotation `runbook_url`). @default - none */
  readonly runbook?: string;
  /** More labels (not the reserved ones: alertname, severity, namespace, pipeline, owner). @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Props of {@link AlertRules}. */
export interface AlertRulesProps {
  /** The alerting rules (at least one). */
  readonly alerts: readonly AlertDefinition[];
  /**
   * The route meant to receive the alerts: the PrometheusRule goes to its namespace and every alert's `namespace`
   * label is set to it (the operator only routes an alert to AlertmanagerConfigs of its `namespace` label). Each
   * alert must match the route's matchers, or the construct fails naming the label that differs.
   * @default - no route checked; see `namespace`
   */
  readonly route?: AlertRoute;
  /**
   * Namespace of the PrometheusRule and value of every alert's `namespace` label, when no `route` is given.
   * @default - the route's namespace, else the environment's (where an AlertRoute goes by default)
   */
  readonly namespace?: string;
  /** Name of the PrometheusRule object. @default - derived from the construct id */
  readonly name?: string;
  /**
   * Labels of the PrometheusRule object, for a Prometheus whose `ruleSelector` needs them (kube-prometheus-stack
   * selects `release: <helm release>` unless `ruleSelectorNilUsesHelmValues` is false).
   * @default - none
   */
  readonly objectLabels?: Readonly<Record<string, string>>;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const alertSchema = strictPropsSchema<AlertDefinition>()({
  alertName: z.string().regex(LABEL_NAME, 'use letters, digits and _ (a Prometheus alert name), e.g. KafkaConsumerLagHigh'),
  expr: z.string().trim().min(1, 'is required'),
  for: durationSchema,
  severity: z.enum(['critical', 'warning', 'info']),
  summary: z.string().trim().min(1, 'is required'),
  description: z.string().optional(),
  runbook: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  labels: z.record(z.string().regex(LABEL_NAME, 'is not a Prometheus label name'), z.string()).optional(),
});

/**
 * zod check of a prop that holds an {@link AlertRoute}: `is required (an AlertRoute)` / `expected an AlertRoute`.
 * Structural: this file cannot load alert-route.ts (which loads it, through the notifications report) when the schema is built.
 */
export const alertRouteRef = constructRef<AlertRoute>((v) => typeof (v as AlertRoute)?.mismatch === 'function', 'an AlertRoute');

const propsSchema = strictPropsSchema<AlertRulesProps>()({
  alerts: z.array(alertSchema).min(1, 'give at least one alert'),
  route: alertRouteRef.optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  objectLabels: z.record(z.string(), z.string()).optional(),
});

/** An alerting rule as Prometheus reads it (one `rules[]` item of a rule group). */
export interface PrometheusAlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * A group of Prometheus alerting rules: one `monitoring.coreos.com/v1` PrometheusRule. Every alert carries the labels
 * routing needs: `severity`, `namespace` (the namespace of the AlertRoute meant to receive it), and `pipeline` and
 * `owner` when it is declared inside a pipeline; annotations carry `summary`, `description` and `runbook_url`.
 *
 * Domain constructs build on it (`pipeline.alertOnLag()`, `topic.alertOnThroughput()`); use it directly for
 * any other PromQL alert:
 *
 * ```ts
 * new AlertRules(pipeline, 'errors', { alerts: [{ alertName: 'EnricherErrors', expr: 'rate(errors_total[5m]) > 1',
 *   for: '10m', severity: 'warning', summary: 'enricher fails records' }] });
 * ```
 */
export class AlertRules extends Construct {
  /** The alerting rules as Prometheus reads them (also in the PrometheusRule's `spec.groups[0].rules`). */
  public readonly rules: readonly PrometheusAlertingRule[];
  /** Namespace of the PrometheusRule and of the alerts' `namespace` label. */
  public readonly namespace: string;
  /** The PrometheusRule object. */
  public readonly prometheusRule: PrometheusRule;

  constructor(scope: Construct, id: string, props: AlertRulesProps) {
    super(scope, id);
    const p = validateProps(this, propsSchema, props);
    const env = Environment.of(this);
    const route = props.route;
    if (route && p.namespace !== undefined && p.namespace !== route.namespace) {
      throw new ValidationError(this, 'namespace', `the route ${route.node.path} only sees alerts of namespace '${route.namespace}'; leave 'namespace' out`);
    }
    this.namespace = route?.namespace ?? p.namespace ?? env.namespace;
    const group = DataFlowGraph.groupOf(this);
    this.rules = p.alerts.map((a, i) => {
      for (const key of Object.keys(a.labels ?? {})) {
        if ((RESERVED_ALERT_LABELS as readonly string[]).includes(key)) {
          throw new ValidationError(this, `alerts[${i}].labels.${key}`, `'${key}' is set by the library (${RESERVED_ALERT_LABELS.join(', ')}); use another label name`);
        }
      }
      const labels: Record<string, string> = {
        ...a.labels,
        severity: a.severity,
        namespace: this.namespace,
        ...(group ? { pipeline: group.name } : {}),
        ...(group?.owner ? { owner: group.owner } : {}),
      };
      const annotations: Record<string, string> = {
        summary: a.summary,
        ...(a.description ? { description: a.description } : {}),
        ...(a.runbook ? { runbook_url: a.runbook } : {}),
      };
      return { alert: a.alertName, expr: a.expr, for: prometheusDuration(a.for), labels: sortKeys(labels), annotations: sortKeys(annotations) };
    });
    for (const [i, r] of this.rules.entries()) {
      const why = route?.mismatch({ ...r.labels, alertname: r.alert });
      if (why) throw new ValidationError(this, `alerts[${i}]`, `alert ${r.alert} would never reach its route: ${why}`);
    }
    const name = objectName(this, p.name);
    this.prometheusRule = new PrometheusRule(this, 'Resource', {
      metadata: { name, namespace: this.namespace, labels: p.objectLabels ? { ...p.objectLabels } : undefined },
      spec: {
        groups: [{
          // Rule group names are unique per PrometheusRule; the pipeline in front tells them apart in Prometheus's UI.
          name: group && !name.startsWith(`${group.name}-`) ? `${group.name}.${name}` : name,
          rules: this.rules.map((r) => ({ alert: r.alert, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr), for: r.for, labels: { ...r.labels }, annotations: { ...r.annotations } })),
        }],
      },
    });
    addNotificationsReport(this);
  }
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
