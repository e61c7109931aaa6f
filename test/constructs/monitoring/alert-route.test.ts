import { describe, expect, it } from 'vitest';
import { AlertRoute, DataPlatform, Environment, Pipeline, Secrets } from 'cdk8s-dataops';
import { findObjects } from 'cdk8s-dataops/testing';
import { validateAll } from '../support/schema';

function fixture() {
  const platform = new DataPlatform();
  const env = new Environment(platform, 'prod', { namespace: 'payments' });
  const hooks = Secrets.fromExternal(env, 'alerting', {
    store: { name: 'vault', kind: 'ClusterSecretStore' },
    keys: { slack: 'prod/alerting#slack', pagerduty: 'prod/alerting#pagerduty', teams: 'prod/alerting#teams', hook: 'prod/alerting#hook' },
  });
  return { env, hooks };
}

describe('AlertRoute', () => {
  it('emits an AlertmanagerConfig with one receiver per destination kind, secrets by reference only, valid against the CRD', () => {
    const { env, hooks } = fixture();
    const orders = new Pipeline(env, 'orders', { owner: 'team-payments' });
    new AlertRoute(orders, 'oncall', {
      match: { pipeline: 'orders', severity: 'critical' },
      slack: { channel: '#orders-alerts', webhook: hooks.envValue('slack') },
      pagerduty: { routingKey: hooks.envValue('pagerduty') },
      webhook: { url: hooks.envValue('hook') },
      msteams: { webhook: hooks.envValue('teams') },
      repeatInterval: '2h',
    });
    const objects = findObjects(env, 'AlertmanagerConfig');
    expect(objects).toHaveLength(1);
    validateAll([...objects, ...findObjects(env, 'ExternalSecret')]);
    const amc = objects[0];
    expect(amc.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
    expect(amc.metadata).toMatchObject({ name: 'oncall', namespace: 'payments' });
    expect(amc.spec).toEqual({
      route: {
        receiver: 'oncall', groupBy: ['alertname', 'pipeline'], repeatInterval: '2h',
        matchers: [{ name: 'pipeline', value: 'orders', matchType: '=' }, { name: 'severity', value: 'critical', matchType: '=' }],
      },
      receivers: [{
        name: 'oncall',
        slackConfigs: [{ channel: '#orders-alerts', apiURL: { name: 'alerting', key: 'slack' }, sendResolved: true }],
        pagerdutyConfigs: [{ routingKey: { name: 'alerting', key: 'pagerduty' }, severity: '{{ .CommonLabels.severity }}', sendResolved: true }],
        webhookConfigs: [{ urlSecret: { name: 'alerting', key: 'hook' }, sendResolved: true }],
        msteamsConfigs: [{ webhookUrl: { name: 'alerting', key: 'teams' }, sendResolved: true }],
      }],
    });
    // Nothing in the output is a secret value: only the ExternalSecret's remote references.
    expect(JSON.stringify(findObjects(env, 'Secret'))).toBe('[]');
  });

  it('matches alerts the way the operator routes them: its matchers plus namespace = its namespace', () => {
    const { env, hooks } = fixture();
    const route = new AlertRoute(env, 'oncall', { match: { pipeline: 'orders' }, slack: { channel: '#o', webhook: hooks.envValue('slack') } });
    expect(route.matches({ namespace: 'payments', pipeline: 'orders', severity: 'warning' })).toBe(true);
    expect(route.matches({ namespace: 'kafka', pipeline: 'orders' })).toBe(false);
    expect(route.matches({ namespace: 'payments', pipeline: 'analytics' })).toBe(false);
    expect(route.mismatch({ namespace: 'kafka', pipeline: 'orders' })).toMatch(/namespace label is 'kafka' but route prod\/oncall only sees namespace 'payments'/);
  });

  it('takes a plain webhook URL only without credentials', () => {
    const { env } = fixture();
    new AlertRoute(env, 'hook', { webhook: { url: 'https://hooks.acme.com/alerts' } });
    expect(findObjects(env, 'AlertmanagerConfig')[0].spec.receivers[0].webhookConfigs).toEqual([{ url: 'https://hooks.acme.com/alerts', sendResolved: true }]);
    expect(() => new AlertRoute(env, 'leak', { webhook: { url: 'https://user:token@hooks.acme.com/alerts' } })).toThrow(/prod\/leak, field 'webhook.url': put URLs with credentials in a Secret/);
  });

  it('refuses plain secret values, no destination, a namespace it cannot see and secrets of another namespace', () => {
    const { env, hooks } = fixture();
    expect(() => new AlertRoute(env, 'a', { slack: { channel: '#x', webhook: 'https://hooks.slack.com/services/T/B/X' as any } }))
      .toThrow(/prod\/a, field 'slack.webhook': expected a SecretValue/);
    expect(() => new AlertRoute(env, 'a2', { pagerduty: { routingKey: 'R0UT1NGK3Y' as any } }))
      .toThrow("prod/a2, field 'pagerduty.routingKey': expected a SecretValue (secret.envValue(key)); never a plain value");
    expect(() => new AlertRoute(env, 'a3', { slack: { channel: '#x' } as any }))
      .toThrow("prod/a3, field 'slack.webhook': is required (a SecretValue from secret.envValue(key))");
    expect(() => new AlertRoute(env, 'b', {})).toThrow(/prod\/b: give at least one destination/);
    expect(() => new AlertRoute(env, 'c', { match: { namespace: 'kafka' }, webhook: { url: 'https://h.acme.com/' } }))
      .toThrow(/field 'match.namespace': the route is in namespace 'payments'/);
    expect(() => new AlertRoute(env, 'd', { namespace: 'monitoring', slack: { channel: '#x', webhook: hooks.envValue('slack') } }))
      .toThrow(/prod\/d, field 'slack.webhook': secret 'alerting' key 'slack' is created in namespace 'payments', but the operator reads the Secrets of an AlertmanagerConfig from its own namespace 'monitoring'/);
    expect(() => new AlertRoute(env, 'e', { slak: {} } as any)).toThrow(/did you mean 'slack'/);
  });
});
