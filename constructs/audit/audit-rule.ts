import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { objectName } from '../../lib/names';
import { Environment } from '../../lib/platform';
import { instanceOf, propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { GitOps } from '../gitops/gitops';
import { NotificationSubscription, subscribeToDeliveryNotifications } from '../gitops/notifications';
import { Alert, AlertSpecEventSeverity, AlertSpecEventSourcesKind, Provider, ProviderSpecType } from '../imports/flux-notification.toolkit.fluxcd.io';
import { INotificationSource, NotificationEntry, addNotificationsReport } from '../monitoring/notifications-report';
import { SecretValue, secretValueSchema } from '../secrets/reference';

/**
 * Delivery events a team can be told of. Argo CD: the trigger of its notifications catalog with the same meaning
 * (https://argo-cd.readthedocs.io/en/stable/operator-manual/notifications/catalog/), except `drift`, which needs the
 * custom trigger `on-out-of-sync` (see `ARGOCD_TRIGGERS`). Flux: the events of the environment's Kustomization,
 * `error` severity for failures only, `info` (everything) as soon as a success or drift event is asked for.
 */
export type AuditEvent = 'created' | 'deleted' | 'deployed' | 'sync-running' | 'sync-succeeded' | 'sync-failed' | 'sync-status-unknown' | 'degraded' | 'drift';

/** The Argo CD trigger of each event, and whether it is in the Argo CD notifications catalog. */
export const ARGOCD_TRIGGERS: Readonly<Record<AuditEvent, { readonly trigger: string; readonly catalog: boolean }>> = {
  'created': { trigger: 'on-created', catalog: true },
  'deleted': { trigger: 'on-deleted', catalog: true },
  'deployed': { trigger: 'on-deployed', catalog: true },
  'sync-running': { trigger: 'on-sync-running', catalog: true },
  'sync-succeeded': { trigger: 'on-sync-succeeded', catalog: true },
  'sync-failed': { trigger: 'on-sync-failed', catalog: true },
  'sync-status-unknown': { trigger: 'on-sync-status-unknown', catalog: true },
  'degraded': { trigger: 'on-health-degraded', catalog: true },
  // Not in the catalog: define it in argocd-notifications-cm, e.g.
  //   trigger.on-out-of-sync: |
  //     - when: app.status.sync.status == 'OutOfSync'
  //       oncePer: app.status.sync.revision
  //       send: [app-sync-status-unknown]
  'drift': { trigger: 'on-out-of-sync', catalog: false },
};

const FAILURE_EVENTS: readonly AuditEvent[] = ['sync-failed', 'degraded', 'sync-status-unknown'];

/** Slack: Argo CD posts with its configured `slack` service; Flux needs the incoming-webhook URL. */
export interface AuditSlackTarget {
  /** The channel, e.g. `#payments-audit`. */
  readonly channel: string;
  /**
   * The incoming-webhook URL for Flux, a Secret key named `address` (Flux reads that key of the Provider's secretRef).
   * @default - none: only Argo CD can deliver (its `slack` service holds the token)
   */
  readonly webhook?: SecretValue;
}

/** A generic webhook. */
export interface AuditWebhookTarget {
  /** Argo CD: the name of the `service.webhook.<name>` configured in argocd-notifications-cm. */
  readonly name: string;
  /** Flux: the URL, a Secret key named `address`. @default - none: only Argo CD can deliver */
  readonly url?: SecretValue;
}

/** PagerDuty (Argo CD's `pagerdutyv2` service). */
export interface AuditPagerDutyTarget {
  /** The PagerDuty service name of `service.pagerdutyv2` `serviceKeys` in argocd-notifications-cm. */
  readonly service: string;
}

/** Microsoft Teams. */
export interface AuditMsTeamsTarget {
  /** Argo CD: the recipient name of `service.teams` `recipientUrls` in argocd-notifications-cm. */
  readonly recipient: string;
  /** Flux: the Teams webhook URL, a Secret key named `address`. @default - none: only Argo CD can deliver */
  readonly webhook?: SecretValue;
}

/** Where audit events go: one or more of Slack, a webhook, PagerDuty, Teams. */
export interface AuditTarget {
  /** @default - not to Slack */
  readonly slack?: AuditSlackTarget;
  /** @default - no webhook */
  readonly webhook?: AuditWebhookTarget;
  /** @default - not to PagerDuty */
  readonly pagerduty?: AuditPagerDutyTarget;
  /** @default - not to Teams */
  readonly msteams?: AuditMsTeamsTarget;
}

/** Props of {@link AuditRule}. */
export interface AuditRuleProps {
  /** What to tell (at least one event). */
  readonly events: readonly AuditEvent[];
  /** Who to tell. */
  readonly to: AuditTarget;
  /**
   * The platform's GitOps construct: with Flux, a notification Provider and Alert are emitted for the environment's
   * Kustomization (Argo CD subscriptions need nothing but the environment).
   * @default - Argo CD subscriptions only
   */
  readonly gitops?: GitOps;
  /** Name of the Flux Provider and Alert. @default - derived from the construct id */
  readonly name?: string;
}

const secretValue = secretValueSchema('expected a SecretValue (secret.envValue(\'address\')); never a plain URL');
const EVENTS = Object.keys(ARGOCD_TRIGGERS) as [AuditEvent, ...AuditEvent[]];
const propsSchema = strictPropsSchema<AuditRuleProps>()({
  events: z.array(z.enum(EVENTS)).min(1, 'give at least one event'),
  to: z.object({
    slack: z.object({ channel: z.string().regex(/^#?[a-z0-9][a-z0-9._-]*$/i, 'expected a channel such as #payments-audit'), webhook: secretValue.optional() }).strict().optional(),
    webhook: z.object({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected the name of an Argo CD webhook service'), url: secretValue.optional() }).strict().optional(),
    pagerduty: z.object({ service: z.string().min(1) }).strict().optional(),
    msteams: z.object({ recipient: z.string().min(1), webhook: secretValue.optional() }).strict().optional(),
  }).strict().refine((t) => Object.keys(t).length > 0, 'give at least one of slack, webhook, pagerduty, msteams'),
  gitops: instanceOf(GitOps, 'GitOps construct').optional(),
  name: z.string().optional(),
});

/**
 * Tells people about deliveries of the environment the rule is declared in (who changed what reaches them as the
 * Git revision and the sync result):
 *
 * - **Argo CD**: subscriptions on the environment's Application (or ApplicationSet), the annotations
 *   `notifications.argoproj.io/subscribe.<trigger>.<service>: <recipient>`. The triggers are those of the Argo CD
 *   notifications catalog (install it, and configure the `slack`, `pagerdutyv2`, `teams` or `webhook.<name>` service in
 *   argocd-notifications-cm); `drift` needs the custom trigger `on-out-of-sync` (see `ARGOCD_TRIGGERS`).
 * - **Flux** (with `gitops` delivering by Flux): a `notification.toolkit.fluxcd.io/v1beta3` Provider per destination
 *   (its URL in a Secret by reference, key `address`) and an Alert on the environment's Kustomization, in the
 *   environment's namespace. PagerDuty is Argo CD only (Flux's pagerduty provider takes the routing key in plain text).
 *
 * ```ts
 * new AuditRule(prod, 'audit', { gitops, events: ['deployed', 'sync-failed', 'degraded'],
 *   to: { slack: { channel: '#payments-audit', webhook: slackHook.envValue('address') } } });
 * ```
 */
export class AuditRule extends Construct implements INotificationSource {
  /** The events. */
  public readonly events: readonly AuditEvent[];
  /** The Argo CD subscriptions registered on the environment. */
  public readonly subscriptions: readonly NotificationSubscription[];
  /** Flux Providers, by destination. */
  public readonly fluxProviders: readonly Provider[];
  /** The Flux Alert, when delivered by Flux. */
  public readonly fluxAlert?: Alert;
  private readonly targets: readonly string[];

  constructor(scope: Construct, id: string, props: AuditRuleProps) {
    super(scope, id);
    const p = validateProps(this, propsSchema, props);
    const env = Environment.of(this);
    this.events = [...new Set(p.events)];
    const to = props.to;

    const subscriptions: NotificationSubscription[] = [];
    const targets: string[] = [];
    const services: Array<{ service: string; recipient: string }> = [];
    if (to.slack) { services.push({ service: 'slack', recipient: to.slack.channel.replace(/^#/, '') }); targets.push(`Slack ${to.slack.channel}`); }
    if (to.pagerduty) { services.push({ service: 'pagerdutyv2', recipient: to.pagerduty.service }); targets.push(`PagerDuty service ${to.pagerduty.service}`); }
    if (to.msteams) { services.push({ service: 'teams', recipient: to.msteams.recipient }); targets.push(`Teams ${to.msteams.recipient}`); }
    if (to.webhook) { services.push({ service: to.webhook.name, recipient: to.webhook.name }); targets.push(`webhook ${to.webhook.name}`); }
    for (const event of this.events) {
      for (const s of services) {
        const sub = { trigger: ARGOCD_TRIGGERS[event].trigger, ...s };
        subscribeToDeliveryNotifications(env, sub);
        subscriptions.push(sub);
      }
    }
    this.subscriptions = subscriptions;
    this.targets = targets;

    const providers: Provider[] = [];
    const flux = props.gitops && (props.gitops.tool === 'flux' || props.gitops.tool === 'both');
    if (flux) {
      const kustomization = props.gitops!.kustomizations[env.name];
      if (!kustomization) {
        throw new ValidationError(this, 'gitops', `GitOps does not deliver environment '${env.name}' with Flux (environments: ${Object.keys(props.gitops!.kustomizations).join(', ') || 'none'})`);
      }
      if (to.pagerduty && !to.slack && !to.webhook && !to.msteams) {
        throw new ValidationError(this, 'to.pagerduty', "Flux's pagerduty provider takes the routing key in plain text (spec.channel), which dist never holds: " +
          'add slack, msteams or webhook with a Secret for Flux, or deliver with Argo CD');
      }
      const name = objectName(this, p.name);
      const provider = (suffix: string, type: ProviderSpecType, field: string, address: SecretValue | undefined, channel?: string) => {
        if (!address) {
          throw new ValidationError(this, field, 'Flux delivers this environment and needs the URL: give it as a Secret key named \'address\'');
        }
        if (address.key !== 'address') {
          throw new ValidationError(this, field, `Flux reads the URL from the key 'address' of the Provider's secret, not '${address.key}': ` +
            `name the key 'address' (e.g. keys: { address: '…' })`);
        }
        providers.push(new Provider(this, `Provider-${suffix}`, {
          metadata: { name: `${name}-${suffix}` },
          spec: { type, channel, secretRef: { name: address.secretName } },
        }));
      };
      if (to.slack) provider('slack', ProviderSpecType.SLACK, 'to.slack.webhook', to.slack.webhook, to.slack.channel);
      if (to.msteams) provider('msteams', ProviderSpecType.MSTEAMS, 'to.msteams.webhook', to.msteams.webhook);
      if (to.webhook) provider('webhook', ProviderSpecType.GENERIC, 'to.webhook.url', to.webhook.url);
      const onlyFailures = this.events.every((e) => FAILURE_EVENTS.includes(e));
      // One Alert per Provider (an Alert has one providerRef).
      providers.forEach((prov, i) => {
        const alert = new Alert(this, providers.length === 1 ? 'Alert' : `Alert-${i}`, {
          metadata: { name: prov.name },
          spec: {
            providerRef: { name: prov.name },
            eventSeverity: onlyFailures ? AlertSpecEventSeverity.ERROR : AlertSpecEventSeverity.INFO,
            eventSources: [{ kind: AlertSpecEventSourcesKind.KUSTOMIZATION, name: kustomization.kustomizationName, namespace: kustomization.namespace }],
            eventMetadata: { environment: env.name },
          },
        });
        if (i === 0) (this as { fluxAlert?: Alert }).fluxAlert = alert;
      });
    }
    this.fluxProviders = providers;
    addNotificationsReport(this);
  }

  /** For the notifications report: every pipeline of the environment is told of these delivery events. */
  public describeNotifications(): NotificationEntry[] {
    return [{
      environment: Environment.of(this).name,
      what: `delivery events: ${this.events.join(', ')} (Argo CD triggers ${this.events.map((e) => ARGOCD_TRIGGERS[e].trigger).join(', ')})`,
      who: this.targets.join('; '),
      source: this.node.path,
    }];
  }
}
