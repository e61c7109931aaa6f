import { describe, expect, it } from 'vitest';
import { AlertRoute, AlertRules, DataPlatform, Environment, Pipeline } from 'cdk8s-dataops';
import { findObjects } from 'cdk8s-dataops/testing';
import { validateAll } from '../support/schema';

describe('AlertRules', () => {
  it('emits a PrometheusRule whose alerts carry severity, namespace, pipeline and owner, and annotations', () => {
    const platform = new DataPlatform();
    const env = new Environment(platform, 'prod', { namespace: 'payments' });
    const p = new Pipeline(env, 'orders', { owner: 'team-payments' });
    new AlertRules(p, 'errors', {
      objectLabels: { release: 'kube-prometheus-stack' },
      alerts: [{
        alertName: 'EnricherErrors', expr: 'rate(enricher_errors_total[5m]) > 1', for: '1h30m', severity: 'warning',
        summary: 'enricher fails records', runbook: 'https://runbooks.acme.com/enricher', labels: { team: 'payments' },
      }],
    });
    const [rule] = findObjects(env, 'PrometheusRule');
    validateAll([rule]);
    expect(rule.metadata).toMatchObject({ name: 'errors', namespace: 'payments', labels: { release: 'kube-prometheus-stack' } });
    expect(rule.spec.groups).toEqual([{
      name: 'orders.errors',
      rules: [{
        alert: 'EnricherErrors', expr: 'rate(enricher_errors_total[5m]) > 1', for: '1h30m',
        labels: { namespace: 'payments', owner: 'team-payments', pipeline: 'orders', severity: 'warning', team: 'payments' },
        annotations: { runbook_url: 'https://runbooks.acme.com/enricher', summary: 'enricher fails records' },
      }],
    }]);
  });

  it('follows its route: namespace of the rule and of the alerts, and refuses alerts the route would not match', () => {
    const platform = new DataPlatform();
    const env = new Environment(platform, 'prod', { namespace: 'payments' });
    const route = new AlertRoute(env, 'critical', { namespace: 'monitoring', match: { severity: 'critical' }, webhook: { url: 'https://hooks.acme.com/a' } });
    const alert = { alertName: 'A', expr: 'up == 0', for: '5m', summary: 's' } as const;
    const ok = new AlertRules(env, 'ok', { route, alerts: [{ ...alert, severity: 'critical' }] });
    expect(ok.namespace).toBe('monitoring');
    expect(ok.rules[0].labels.namespace).toBe('monitoring');
    expect(() => new AlertRules(env, 'low', { route, alerts: [{ ...alert, severity: 'warning' }] }))
      .toThrow(/prod\/low, field 'alerts\[0\]': alert A would never reach its route: route prod\/critical needs severity="critical", the alert has severity="warning"/);
    expect(() => new AlertRules(env, 'ns', { route, namespace: 'payments', alerts: [{ ...alert, severity: 'critical' }] }))
      .toThrow(/prod\/ns, field 'namespace': the route prod\/critical only sees alerts of namespace 'monitoring'/);
  });

  it('refuses reserved labels, bad names, empty groups and non-URL runbooks', () => {
    const platform = new DataPlatform();
    const env = new Environment(platform, 'prod');
    const alert = { alertName: 'A', expr: 'up == 0', for: '5m', severity: 'warning' as const, summary: 's' };
    expect(() => new AlertRules(env, 'a', { alerts: [{ ...alert, labels: { namespace: 'x' } }] })).toThrow(/prod\/a, field 'alerts\[0\].labels.namespace': 'namespace' is set by the library/);
    expect(() => new AlertRules(env, 'b', { alerts: [{ ...alert, alertName: 'bad-name' }] })).toThrow(/field 'alerts\[0\].alertName'/);
    expect(() => new AlertRules(env, 'c', { alerts: [] })).toThrow(/give at least one alert/);
    expect(() => new AlertRules(env, 'd', { alerts: [{ ...alert, runbook: 'see wiki' }] })).toThrow(/field 'alerts\[0\].runbook': expected an http\(s\) URL/);
    expect(() => new AlertRules(env, 'e', { alerts: [alert], route: 'oncall' as any })).toThrow("prod/e, field 'route': expected an AlertRoute");
  });
});
