import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AlertRoute, AlertRules, AuditRule, DataPlatform, Environment, GitOps, GitOpsTool, Pipeline, Secrets, synthesizePlatform } from 'cdk8s-dataops';
import { Manifest } from 'cdk8s-dataops/testing';
import { validateAll } from '../support/schema';

const REPO = 'https://github.com/acme/data-platform.git';

function platform(tool: GitOpsTool) {
  const p = new DataPlatform();
  const prod = new Environment(p, 'prod', { namespace: 'payments' });
  new Pipeline(prod, 'orders', { owner: 'team-payments' });
  const hooks = Secrets.fromExternal(prod, 'audit-hooks', { store: { name: 'vault', kind: 'ClusterSecretStore' }, keys: { address: 'prod/audit#slack', url: 'prod/audit#url' } });
  const gitops = new GitOps(p, { repoURL: REPO, tool, path: 'dist' });
  return { p, prod, hooks, gitops };
}

function synth(p: DataPlatform) {
  const s = synthesizePlatform(p, { outdir: '/nonexistent-dataops-out' });
  const file = (path: string): Manifest => {
    const text = s.files.get(path);
    if (text === undefined) throw new Error(`no ${path}; files: ${[...s.files.keys()].filter((f) => !f.startsWith('manifests/dev')).join(', ')}`);
    return parse(text) as Manifest;
  };
  return { s, file, objects: (kind: string) => s.objects.filter((o) => o.object.kind === kind).map((o) => o.object as Manifest) };
}

describe('AuditRule', () => {
  it('subscribes the environment\'s Argo CD Application to catalog triggers (drift to on-out-of-sync)', () => {
    const { p, prod, gitops } = platform('argocd');
    new AuditRule(prod, 'audit', { gitops, events: ['deployed', 'sync-failed', 'degraded', 'drift'], to: { slack: { channel: '#payments-audit' }, pagerduty: { service: 'payments' } } });
    const { file } = synth(p);
    const app = file('bootstrap/argocd/application.data-platform-prod.yaml');
    validateAll([app]);
    const subs = Object.fromEntries(Object.entries(app.metadata.annotations as Record<string, string>).filter(([k]) => k.startsWith('notifications.argoproj.io/')));
    expect(subs).toEqual({
      'notifications.argoproj.io/subscribe.on-deployed.pagerdutyv2': 'payments',
      'notifications.argoproj.io/subscribe.on-deployed.slack': 'payments-audit',
      'notifications.argoproj.io/subscribe.on-health-degraded.pagerdutyv2': 'payments',
      'notifications.argoproj.io/subscribe.on-health-degraded.slack': 'payments-audit',
      'notifications.argoproj.io/subscribe.on-out-of-sync.pagerdutyv2': 'payments',
      'notifications.argoproj.io/subscribe.on-out-of-sync.slack': 'payments-audit',
      'notifications.argoproj.io/subscribe.on-sync-failed.pagerdutyv2': 'payments',
      'notifications.argoproj.io/subscribe.on-sync-failed.slack': 'payments-audit',
    });
  });

  it('gives Flux a Provider and an Alert on the environment\'s Kustomization, the URL by Secret reference, valid against the CRDs', () => {
    const { p, prod, hooks, gitops } = platform('flux');
    new AuditRule(prod, 'audit', { gitops, events: ['deployed', 'sync-failed'], to: { slack: { channel: '#payments-audit', webhook: hooks.envValue('address') } } });
    const { objects } = synth(p);
    const providers = objects('Provider');
    const alerts = objects('Alert');
    validateAll([...providers, ...alerts]);
    expect(providers).toEqual([expect.objectContaining({
      apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
      metadata: expect.objectContaining({ name: 'audit-slack', namespace: 'payments' }),
      spec: { type: 'slack', channel: '#payments-audit', secretRef: { name: 'audit-hooks' } },
    })]);
    expect(alerts).toEqual([expect.objectContaining({
      apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
      metadata: expect.objectContaining({ name: 'audit-slack', namespace: 'payments' }),
      spec: {
        providerRef: { name: 'audit-slack' }, eventSeverity: 'info',
        eventSources: [{ kind: 'Kustomization', name: 'data-platform-prod', namespace: 'flux-system' }],
        eventMetadata: { environment: 'prod' },
      },
    })]);
    expect(JSON.stringify(objects('Secret'))).toBe('[]');
  });

  it('asks Flux for error events only when only failures are wanted', () => {
    const { p, prod, hooks, gitops } = platform('both');
    new AuditRule(prod, 'audit', { gitops, events: ['sync-failed', 'degraded'], to: { webhook: { name: 'audit-log', url: hooks.envValue('address') } } });
    const { objects, file } = synth(p);
    expect(objects('Alert')[0].spec.eventSeverity).toBe('error');
    expect(objects('Provider')[0].spec).toEqual({ type: 'generic', secretRef: { name: 'audit-hooks' } });
    expect(file('bootstrap/argocd/application.data-platform-prod.yaml').metadata.annotations['notifications.argoproj.io/subscribe.on-sync-failed.audit-log']).toBe('audit-log');
  });

  it('refuses what Flux cannot deliver without a plain secret, and typos, naming the field', () => {
    const { prod, hooks, gitops } = platform('flux');
    expect(() => new AuditRule(prod, 'a', { gitops, events: ['deployed'], to: { slack: { channel: '#x', webhook: hooks.envValue('url') } } }))
      .toThrow(/prod\/a, field 'to.slack.webhook': Flux reads the URL from the key 'address' of the Provider's secret, not 'url'/);
    expect(() => new AuditRule(prod, 'b', { gitops, events: ['deployed'], to: { slack: { channel: '#x' } } }))
      .toThrow(/prod\/b, field 'to.slack.webhook': Flux delivers this environment and needs the URL/);
    expect(() => new AuditRule(prod, 'c', { gitops, events: ['deployed'], to: { pagerduty: { service: 'payments' } } }))
      .toThrow(/prod\/c, field 'to.pagerduty': Flux's pagerduty provider takes the routing key in plain text/);
    expect(() => new AuditRule(prod, 'd', { events: ['deployd' as any], to: { slack: { channel: '#x' } } })).toThrow(/prod\/d, field 'events\[0\]'/);
    expect(() => new AuditRule(prod, 'e', { events: ['deployed'], to: {} })).toThrow(/give at least one of slack, webhook, pagerduty, msteams/);
    expect(() => new AuditRule(prod, 'f', { events: ['deployed'], to: { slack: { channel: '#x', webhook: 'https://hooks.slack.com/x' as any } } })).toThrow(/field 'to.slack.webhook': expected a SecretValue/);
  });

  it('writes who is told of what, per pipeline, into reports/notifications.md', () => {
    const { p, prod, hooks, gitops } = platform('argocd');
    const orders = prod.node.findChild('orders') as Pipeline;
    new AlertRoute(orders, 'oncall', { match: { pipeline: 'orders' }, webhook: { url: 'https://hooks.acme.com/oncall' } });
    const alert = { expr: 'up == 0', for: '5m', summary: 'down' } as const;
    new AlertRules(orders, 'errors', { alerts: [{ ...alert, alertName: 'EnricherErrors', severity: 'critical' }] });
    const analytics = new Pipeline(prod, 'analytics', { owner: 'team-analytics' });
    new AlertRules(analytics, 'late', { alerts: [{ ...alert, alertName: 'WarehouseLate', severity: 'warning' }] });
    void hooks;
    new AuditRule(prod, 'audit', { gitops, events: ['deployed', 'sync-failed'], to: { slack: { channel: '#payments-audit' } } });
    const { s } = synth(p);
    expect(s.files.get('reports/notifications.md')).toBe([
      '# Who is told of what', '', 'Generated by cdk8s-dataops from the constructs; do not edit.', '',
      '## Environment prod', '', '| Pipeline | What | Who | Declared at |', '| --- | --- | --- | --- |',
      '| analytics | alert WarehouseLate, warning | no AlertRoute matches (namespace payments): only Alertmanager\'s default receiver | prod/analytics/late |',
      '| orders | alert EnricherErrors, critical | webhook https://hooks.acme.com/oncall (route prod/orders/oncall) | prod/orders/errors |',
      '| (every pipeline) | delivery events: deployed, sync-failed (Argo CD triggers on-deployed, on-sync-failed) | Slack #payments-audit | prod/audit |',
      '',
    ].join('\n'));
  });
});
