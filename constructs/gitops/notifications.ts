import { IConstruct } from 'constructs';
import { ValidationError } from '../../lib/errors';
import { Environment } from '../../lib/platform';
import { NOTIFICATION_SUBSCRIBE_PREFIX } from './annotations';

/** One Argo CD notifications subscription: on `trigger`, send through `service` to `recipient`. */
export interface NotificationSubscription {
  /** Trigger name as configured in argocd-notifications-cm, e.g. `on-sync-failed`, `on-health-degraded`. */
  readonly trigger: string;
  /** Notification service, e.g. `slack`, `pagerdutyv2`, `webhook.alerts`, `email`. */
  readonly service: string;
  /** Recipient for the service: a Slack channel, a PagerDuty service, an address. */
  readonly recipient: string;
}

const SEGMENT = /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/;
const BY_ENV = Symbol.for('cdk8s-dataops.gitops.notifications');

/** Checks a subscription and returns it; the errors name the construct and field. */
export function validateSubscription(scope: IConstruct | string, s: NotificationSubscription): NotificationSubscription {
  for (const field of ['trigger', 'service'] as const) {
    if (!SEGMENT.test(s[field])) {
      throw new ValidationError(scope, field, `'${s[field]}' is not a valid notification ${field} name: use letters, digits, '-', '_' and '.', ` +
        'starting and ending with a letter or digit');
    }
  }
  const key = subscriptionKey(s);
  if (key.length - key.indexOf('/') - 1 > 63) {
    throw new ValidationError(scope, 'trigger', `annotation '${key}' is too long: trigger and service together may have at most 52 characters`);
  }
  if (s.recipient.trim() === '' || /[;\n]/.test(s.recipient)) {
    throw new ValidationError(scope, 'recipient', `'${s.recipient}' is not a valid recipient: give one non-empty recipient per call (no ';' or newline)`);
  }
  return { ...s, recipient: s.recipient.trim() };
}

/** `notifications.argoproj.io/subscribe.<trigger>.<service>` */
export function subscriptionKey(s: Pick<NotificationSubscription, 'trigger' | 'service'>): string {
  return `${NOTIFICATION_SUBSCRIBE_PREFIX}.${s.trigger}.${s.service}`;
}

/**
 * The annotations of a set of subscriptions: one per trigger and service, recipients joined with ';' (sorted,
 * without duplicates), keys sorted.
 */
export function subscriptionAnnotations(subscriptions: readonly NotificationSubscription[]): Record<string, string> {
  const byKey = new Map<string, Set<string>>();
  for (const s of subscriptions) {
    const key = subscriptionKey(s);
    byKey.set(key, (byKey.get(key) ?? new Set()).add(s.recipient));
  }
  return Object.fromEntries([...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, r]) => [k, [...r].sort().join(';')]));
}

/**
 * Subscribes to the Argo CD notifications of an environment's Application, from anywhere in the code (for
 * example a governance construct that routes delivery failures to the owning team). The Application of
 * the environment picks the subscription up when it is synthesized, whether it was created before or after.
 *
 * ```ts
 * subscribeToDeliveryNotifications(prod, { trigger: 'on-sync-failed', service: 'slack', recipient: 'payments-alerts' });
 * ```
 */
export function subscribeToDeliveryNotifications(env: Environment, subscription: NotificationSubscription): void {
  const s = validateSubscription(env, subscription);
  const holder = env as unknown as { [BY_ENV]?: NotificationSubscription[] };
  (holder[BY_ENV] ??= []).push(s);
}

/** The subscriptions registered for an environment with {@link subscribeToDeliveryNotifications}. */
export function deliveryNotificationsOf(env: Environment): readonly NotificationSubscription[] {
  return (env as unknown as { [BY_ENV]?: NotificationSubscription[] })[BY_ENV] ?? [];
}
