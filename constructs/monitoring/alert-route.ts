import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { objectName } from '../../lib/names';
import { Environment } from '../../lib/platform';
import { propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { DurationInput, durationSchema } from '../core/duration';
import {
  AlertmanagerConfig, AlertmanagerConfigSpecReceivers, AlertmanagerConfigSpecRouteMatchersMatchType,
} from '../imports/prometheus-monitoring.coreos.com';
import { SecretValue, secretValueSchema } from '../secrets/reference';
import { addNotificationsReport } from './notifications-report';
import { prometheusDuration } from './prometheus-duration';

/** Slack: a channel and the incoming-webhook URL, kept in a Secret. */
export interface SlackDestination {
  /** The channel, e.g. `#payments-alerts`. */
  readonly channel: string;
  /** The Slack webhook URL (a key of a Secret in the route's namespace). */
  readonly webhook: SecretValue;
}

/** PagerDuty Events API v2. */
export interface PagerDutyDestination {
  /** The integration's routing key (a key of a Secret in the route's namespace). */
  readonly routingKey: SecretValue;
  /**
   * PagerDuty event severity (`critical`, `error`, `warning`, `info`).
   * @default - the alert's `severity` label
   */
  readonly severity?: 'critical' | 'error' | 'warning' | 'info';
}

/** A generic webhook (Alertmanager's webhook payload, version 4). */
export interface WebhookDestination {
  /** The URL, as a Secret key when it carries a token. A plain string must be an http(s) URL without credentials. */
  readonly url: SecretValue | string;
}

/** Microsoft Teams (Alertmanager's msteams integration, an incoming-webhook URL kept in a Secret). */
export interface MsTeamsDestination {
  /** The Teams webhook URL (a key of a Secret in the route's namespace). */
  readonly webhook: SecretValue;
}

/** Props of {@link AlertRoute}. */
export interface AlertRouteProps {
  /**
   * Alert labels that select the alerts (equality), e.g. `{ pipeline: 'orders', severity: 'critical' }`. The
   * operator adds `namespace="<namespace of this route>"` itself (see the class documentation).
   * @default - every alert of the route's namespace
   */
  readonly match?: Readonly<Record<string, string>>;
  /** Send to Slack. @default - not to Slack */
  readonly slack?: SlackDestination;
  /** Page through PagerDuty. @default - not to PagerDuty */
  readonly pagerduty?: PagerDutyDestination;
  /** POST to a webhook. @default - no webhook */
  readonly webhook?: WebhookDestination;
  /** Post to Microsoft Teams. @default - not to Teams */
  readonly msteams?: MsTeamsDestination;
  /** Namespace of the AlertmanagerConfig (and of the Secrets it reads). @default - the environment's namespace */
  readonly namespace?: string;
  /** Name of the AlertmanagerConfig. @default - derived from the construct id */
  readonly name?: string;
  /** Labels grouping alerts into one notification. @default ['alertname', 'pipeline'] */
  readonly groupBy?: readonly string[];
  /** How long to wait before sending a notification again for a firing group. @default '4h' (Alertmanager's default) */
  readonly repeatInterval?: DurationInput;
  /** Also notify when the alert resolves. @default true */
  readonly sendResolved?: boolean;
  /**
   * Labels of the AlertmanagerConfig object, for an Alertmanager whose `alertmanagerConfigSelector` needs them.
   * @default - none
   */
  readonly objectLabels?: Readonly<Record<string, string>>;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const secretSchema = secretValueSchema('expected a SecretValue (secret.envValue(key)); never a plain value');

const propsSchema = strictPropsSchema<AlertRouteProps>()({
  match: z.record(z.string().regex(LABEL_NAME, 'is not a Prometheus label name'), z.string()).optional(),
  slack: z.object({ channel: z.string().regex(/^[#@]?[^\s]+$/, 'expected a channel such as #payments-alerts'), webhook: secretSchema }).strict().optional(),
  pagerduty: z.object({ routingKey: secretSchema, severity: z.enum(['critical', 'error', 'warning', 'info']).optional() }).strict().optional(),
  webhook: z.object({
    url: z.union([secretSchema, z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
      .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), 'put URLs with credentials in a Secret (a SecretValue)')]),
  }).strict().optional(),
  msteams: z.object({ webhook: secretSchema }).strict().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  groupBy: z.array(z.string().regex(/^([a-zA-Z_][a-zA-Z0-9_]*|\.\.\.)$/, 'is not a label name')).optional(),
  repeatInterval: durationSchema.optional(),
  sendResolved: z.boolean().optional(),
  objectLabels: z.record(z.string(), z.string()).optional(),
});

/** The destinations of a route, for reports ("who is told of what"). */
export interface AlertDestination {
  readonly type: 'slack' | 'pagerduty' | 'webhook' | 'msteams';
  /** A human description: the Slack channel, `secret 'x' key 'y'` for secret URLs, the webhook URL. */
  readonly target: string;
}

/**
 * Where alerts go: one `monitoring.coreos.com/v1alpha1` AlertmanagerConfig with one receiver holding every
 * destination (Slack, PagerDuty, webhook, Teams), each credential a reference to a Secret key (never a value).
 *
 * **Namespaces.** The Prometheus Operator merges every AlertmanagerConfig into one Alertmanager configuration and, by
 * default (`alertmanagerConfigMatcherStrategy: OnNamespace` on the Alertmanager resource), adds the matcher
 * `namespace="<namespace of the AlertmanagerConfig>"` to its route: a route only ever sees alerts whose `namespace`
 * label is its own namespace. Kafka lag series carry the namespace of the exporter (the Kafka namespace), so the
 * alerts of this library set their `namespace` label explicitly: to the namespace of the route they name
 * (`alertOnLag({ route })`), else to the environment's namespace, which is also this route's default. Secrets
 * must live in the route's namespace too (the operator reads them from there).
 *
 * ```ts
 * const hook = Secrets.fromExternal(env, 'alerting', { store, keys: { slack: 'prod/slack#url', pd: 'prod/pd#key' } });
 * new AlertRoute(orders, 'oncall', { match: { pipeline: 'orders' },
 *   slack: { channel: '#orders', webhook: hook.envValue('slack') }, pagerduty: { routingKey: hook.envValue('pd') } });
 * ```
 */
export class AlertRoute extends Construct {
  /** Namespace of the AlertmanagerConfig; the operator only routes alerts whose `namespace` label equals it. */
  public readonly namespace: string;
  /** The route's own matchers (equality); the operator's namespace matcher comes on top. */
  public readonly match: Readonly<Record<string, string>>;
  /** Where alerts go. */
  public readonly destinations: readonly AlertDestination[];
  /** The AlertmanagerConfig object. */
  public readonly alertmanagerConfig: AlertmanagerConfig;

  constructor(scope: Construct, id: string, props: AlertRouteProps) {
    super(scope, id);
    const p = validateProps(this, propsSchema, props);
    if (!props.slack && !props.pagerduty && !props.webhook && !props.msteams) {
      throw new ValidationError(this, undefined, 'give at least one destination: slack, pagerduty, webhook or msteams');
    }
    const env = Environment.of(this);
    this.namespace = p.namespace ?? env.namespace;
    this.match = Object.fromEntries(Object.entries(p.match ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (this.match.namespace !== undefined && this.match.namespace !== this.namespace) {
      throw new ValidationError(this, 'match.namespace', `the route is in namespace '${this.namespace}' and the operator only lets it see alerts ` +
        `of that namespace, so it can never match namespace '${this.match.namespace}'; set 'namespace' instead`);
    }
    const name = objectName(this, p.name);
    const sendResolved = p.sendResolved ?? true;
    const receiver: AlertmanagerConfigSpecReceivers = {
      name,
      slackConfigs: props.slack ? [{ channel: props.slack.channel, apiUrl: this.secretKey('slack.webhook', props.slack.webhook), sendResolved }] : undefined,
      pagerdutyConfigs: props.pagerduty ? [{
        routingKey: this.secretKey('pagerduty.routingKey', props.pagerduty.routingKey),
        severity: props.pagerduty.severity ?? '{{ .CommonLabels.severity }}',
        sendResolved,
      }] : undefined,
      webhookConfigs: props.webhook ? [typeof props.webhook.url === 'string'
        ? { url: props.webhook.url, sendResolved }
        : { urlSecret: this.secretKey('webhook.url', props.webhook.url), sendResolved }] : undefined,
      msteamsConfigs: props.msteams ? [{ webhookUrl: this.secretKey('msteams.webhook', props.msteams.webhook), sendResolved }] : undefined,
    };
    this.destinations = [
      ...(props.slack ? [{ type: 'slack' as const, target: props.slack.channel }] : []),
      ...(props.pagerduty ? [{ type: 'pagerduty' as const, target: `routing key in ${props.pagerduty.routingKey}` }] : []),
      ...(props.webhook ? [{ type: 'webhook' as const, target: typeof props.webhook.url === 'string' ? props.webhook.url : `URL in ${props.webhook.url}` }] : []),
      ...(props.msteams ? [{ type: 'msteams' as const, target: `webhook in ${props.msteams.webhook}` }] : []),
    ];
    this.alertmanagerConfig = new AlertmanagerConfig(this, 'Resource', {
      metadata: { name, namespace: this.namespace, labels: p.objectLabels ? { ...p.objectLabels } : undefined },
      spec: {
        route: {
          receiver: name,
          groupBy: [...(p.groupBy ?? ['alertname', 'pipeline'])],
          matchers: Object.entries(this.match).map(([label, value]) => ({ name: label, value, matchType: AlertmanagerConfigSpecRouteMatchersMatchType.VALUE_EQUALS })),
          repeatInterval: p.repeatInterval !== undefined ? prometheusDuration(p.repeatInterval) : undefined,
        },
        receivers: [receiver],
      },
    });
    addNotificationsReport(this);
  }

  /**
   * Whether an alert with these labels reaches this route once the operator has merged it: the route's matchers
   * and the operator's `namespace="<route namespace>"` matcher (strategy `OnNamespace`, the default) all hold.
   */
  public matches(labels: Readonly<Record<string, string>>): boolean {
    if (labels.namespace !== this.namespace) return false;
    return Object.entries(this.match).every(([k, v]) => (labels[k] ?? '') === v);
  }

  /** Why an alert with these labels does not reach this route (undefined when it does). */
  public mismatch(labels: Readonly<Record<string, string>>): string | undefined {
    if (labels.namespace !== this.namespace) {
      return `its namespace label is '${labels.namespace ?? ''}' but route ${this.node.path} only sees namespace '${this.namespace}'`;
    }
    const bad = Object.entries(this.match).filter(([k, v]) => (labels[k] ?? '') !== v);
    return bad.length ? `route ${this.node.path} needs ${bad.map(([k, v]) => `${k}="${v}"`).join(', ')}, the alert has ${bad.map(([k]) => `${k}="${labels[k] ?? ''}"`).join(', ')}` : undefined;
  }

  /** `{ name, key }` of a Secret key, checking that the Secret is created in the route's namespace. */
  private secretKey(field: string, value: SecretValue): { name: string; key: string } {
    const objects = value.reference.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    const ns = objects.map((o) => o.metadata.namespace ?? Environment.of(o).namespace).find((n) => n !== undefined);
    if (ns !== undefined && ns !== this.namespace) {
      throw new ValidationError(this, field, `${value} is created in namespace '${ns}', but the operator reads the Secrets of an ` +
        `AlertmanagerConfig from its own namespace '${this.namespace}': declare the secret in '${this.namespace}'`);
    }
    return { name: value.secretName, key: value.key };
  }
}
