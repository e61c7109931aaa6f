import { describe, expect, it } from 'vitest';
import { subscriptionAnnotations, validateSubscription } from '../../../constructs/gitops/notifications';

describe('notification subscriptions', () => {
  it('renders one annotation per trigger and service, recipients sorted and unique', () => {
    expect(subscriptionAnnotations([
      { trigger: 'on-sync-failed', service: 'slack', recipient: 'b' },
      { trigger: 'on-sync-failed', service: 'slack', recipient: 'a' },
      { trigger: 'on-sync-failed', service: 'slack', recipient: 'b' },
      { trigger: 'on-created', service: 'email', recipient: 'ops@example.com' },
    ])).toEqual({
      'notifications.argoproj.io/subscribe.on-created.email': 'ops@example.com',
      'notifications.argoproj.io/subscribe.on-sync-failed.slack': 'a;b',
    });
  });

  it('validates names and recipients, naming the field', () => {
    expect(validateSubscription('App', { trigger: 'on-deployed', service: 'webhook.audit', recipient: ' audit ' }).recipient).toBe('audit');
    expect(() => validateSubscription('App', { trigger: '-bad', service: 'slack', recipient: 'x' })).toThrow(/App, field 'trigger'/);
    expect(() => validateSubscription('App', { trigger: 'ok', service: 'sl/ack', recipient: 'x' })).toThrow(/App, field 'service'/);
    expect(() => validateSubscription('App', { trigger: 'ok', service: 'slack', recipient: '' })).toThrow(/App, field 'recipient'/);
  });
});
