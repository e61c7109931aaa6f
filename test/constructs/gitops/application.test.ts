import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataPlatform, Environment } from 'cdk8s-dataops';
import { describe, expect, it } from 'vitest';
import { ArgoCdApplication, ArgoCdProject, subscribeToDeliveryNotifications } from '../../../constructs/gitops';
import { crdProblems } from './crd-schema';
import { fileObject, REPO, synth, tmpdir } from './support';

function setup() {
  const platform = new DataPlatform();
  const prod = new Environment(platform, 'prod', { namespace: 'payments' });
  const project = new ArgoCdProject(platform, 'Payments', { environments: [prod], sourceRepos: [REPO] });
  return { platform, prod, project };
}

describe('ArgoCdApplication', () => {
  it('follows the environment folder with automated, self-healing, pruning sync', () => {
    const { platform, prod, project } = setup();
    const app = new ArgoCdApplication(platform, 'PaymentsProd', { environment: prod, repoURL: REPO, project, path: 'platform/dist' });
    const o = fileObject(synth(platform), app.file);
    expect(app.file).toBe('bootstrap/argocd/application.payments-prod.yaml');
    expect(o.metadata).toEqual({
      name: 'payments-prod', namespace: 'argocd',
      labels: { 'app.kubernetes.io/managed-by': 'cdk8s-dataops', 'dataops.cdk8s.io/environment': 'prod' },
    });
    expect(o.metadata.finalizers).toBeUndefined(); // deleting the Application must not delete the platform
    expect(o.spec).toEqual({
      project: 'payments',
      source: { repoURL: REPO, targetRevision: 'main', path: 'platform/dist/manifests/prod', directory: { recurse: true } },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'payments' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true', 'PruneLast=true'],
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
      },
    });
    expect(crdProblems(o)).toEqual([]);
    // the schema check bites: a misspelled field or a wrong type is reported with its path
    expect(crdProblems({ ...o, spec: { ...o.spec, syncPolicy: { automated: { selfheal: true } } } }))
      .toEqual([expect.stringMatching(/^spec\.syncPolicy\.automated\.selfheal: unknown field/)]);
    expect(crdProblems({ ...o, spec: { ...o.spec, source: { ...o.spec.source, directory: { recurse: 'yes' } } } }))
      .toEqual([expect.stringMatching(/^spec\.source\.directory\.recurse: .*boolean/)]);
  });

  it('takes a cluster, retry, sync options and an existing project by name', () => {
    const { platform, prod } = setup();
    const app = new ArgoCdApplication(platform, 'App', {
      environment: prod, repoURL: REPO, project: 'data', path: 'dist', targetRevision: 'release',
      cluster: { name: 'prod-eu' }, createNamespace: false, retry: { limit: 10, backoff: '30s', maxBackoff: '1h30m' },
      syncOptions: ['RespectIgnoreDifferences=true', 'PruneLast=false'],
    });
    const o = fileObject(synth(platform), app.file);
    expect(o.spec.project).toBe('data');
    expect(o.spec.source.targetRevision).toBe('release');
    expect(o.spec.destination).toEqual({ name: 'prod-eu', namespace: 'payments' });
    expect(o.spec.syncPolicy.syncOptions).toEqual(['PruneLast=false', 'RespectIgnoreDifferences=true']);
    expect(o.spec.syncPolicy.retry).toEqual({ limit: 10, backoff: { duration: '30s', factor: 2, maxDuration: '1h30m' } });
    expect(crdProblems(o)).toEqual([]);
  });

  it('locates the manifests from the Git root of the output folder when no path is given', () => {
    const { platform, prod, project } = setup();
    const app = new ArgoCdApplication(platform, 'App', { environment: prod, repoURL: REPO, project });
    const repo = tmpdir();
    fs.mkdirSync(path.join(repo, '.git'));
    const o = fileObject(synth(platform, path.join(repo, 'deploy', 'dist')), app.file);
    expect(o.spec.source.path).toBe('deploy/dist/manifests/prod');
  });

  describe('notifications', () => {
    it('subscribes recipients with argocd-notifications annotations', () => {
      const { platform, prod, project } = setup();
      const app = new ArgoCdApplication(platform, 'App', { environment: prod, repoURL: REPO, project, path: 'dist' });
      app.addNotification('on-sync-failed', 'slack', 'payments-alerts');
      app.addNotification('on-sync-failed', 'slack', 'platform-oncall');
      app.addNotification('on-health-degraded', 'pagerdutyv2', 'payments');
      // governance code can subscribe through the environment, before or after the Application exists
      subscribeToDeliveryNotifications(prod, { trigger: 'on-deployed', service: 'webhook.audit', recipient: 'audit' });
      const o = fileObject(synth(platform), app.file);
      expect(o.metadata.annotations).toEqual({
        'notifications.argoproj.io/subscribe.on-deployed.webhook.audit': 'audit',
        'notifications.argoproj.io/subscribe.on-health-degraded.pagerdutyv2': 'payments',
        'notifications.argoproj.io/subscribe.on-sync-failed.slack': 'payments-alerts;platform-oncall',
      });
      expect(crdProblems(o)).toEqual([]);
    });

    it('rejects names that cannot be annotation keys', () => {
      const { platform, prod, project } = setup();
      const app = new ArgoCdApplication(platform, 'App', { environment: prod, repoURL: REPO, project, path: 'dist' });
      expect(() => app.addNotification('on sync failed', 'slack', 'x')).toThrow(/App, field 'trigger'.*not a valid notification trigger/);
      expect(() => app.addNotification('on-sync-failed', 'slack', 'a;b')).toThrow(/field 'recipient'/);
      expect(() => app.addNotification('t'.repeat(40), 's'.repeat(13), 'x')).toThrow(/at most 52 characters/);
    });
  });

  it('refuses a project that does not cover the environment', () => {
    const { platform, project } = setup();
    const dev = new Environment(platform, 'dev');
    expect(() => new ArgoCdApplication(platform, 'Dev', { environment: dev, repoURL: REPO, project }))
      .toThrow(/Dev, field 'project': project 'payments' does not cover environment 'dev'/);
  });

  it('refuses invalid props naming the field', () => {
    const { platform, prod, project } = setup();
    expect(() => new ArgoCdApplication(platform, 'A', { environment: prod, repoURL: 'github.com/acme', project })).toThrow(/A, field 'repoURL'/);
    expect(() => new ArgoCdApplication(platform, 'B', { environment: prod, repoURL: REPO, project, path: '../dist' })).toThrow(/B, field 'path'/);
    expect(() => new ArgoCdApplication(platform, 'C', { environment: prod, repoURL: REPO, project, name: 'x'.repeat(64) })).toThrow(/C, field 'name'/);
  });
});
