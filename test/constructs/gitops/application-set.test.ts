import { DataPlatform, Environment } from 'cdk8s-dataops';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgoCdApplicationSet, ArgoCdProject, subscribeToDeliveryNotifications } from '../../../constructs/gitops';
import { crdProblems } from './crd-schema';
import { buildGoTemplateRenderer, generateApplication, HAS_GO } from './go-template';
import { fileObject, REPO, synth } from './support';

function setup() {
  const platform = new DataPlatform();
  const dev = new Environment(platform, 'dev');
  const prod = new Environment(platform, 'prod');
  const project = new ArgoCdProject(platform, 'Platform', { environments: [dev, prod], sourceRepos: [REPO] });
  return { platform, dev, prod, project };
}

describe('ArgoCdApplicationSet', () => {
  it('generates an Application per environment folder with strict Go templates and a fixed project', () => {
    const { platform, dev, prod, project } = setup();
    const set = new ArgoCdApplicationSet(platform, 'Set', { environments: [dev, prod], repoURL: REPO, project, path: 'dist', name: 'platform' });
    const o = fileObject(synth(platform), set.file);
    expect(set.file).toBe('bootstrap/argocd/applicationset.platform.yaml');
    expect(o.spec.goTemplate).toBe(true);
    expect(o.spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(o.spec.generators).toEqual([{ git: { repoURL: REPO, revision: 'main', directories: [{ path: 'dist/manifests/*' }] } }]);
    // The project is not a template parameter: a folder pushed to Git cannot pick a more permissive project.
    expect(o.spec.template.spec.project).toBe('platform');
    expect(o.spec.template.spec.project).not.toMatch(/{{/);
    expect(o.spec.template.metadata.name).toBe('platform-{{.path.basename}}');
    expect(o.spec.template.spec.source).toEqual({ repoURL: REPO, targetRevision: 'main', path: '{{.path.path}}', directory: { recurse: true } });
    expect(o.spec.template.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: '{{.path.basename}}' });
    expect(o.spec.template.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(o.spec.template.metadata.finalizers).toBeUndefined();
    expect(o.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    expect(o.spec.templatePatch).toBeUndefined(); // nothing differs per environment
    expect(crdProblems(o)).toEqual([]);
  });

  it('patches what differs per environment: namespace, cluster, notifications', () => {
    const platform = new DataPlatform();
    const dev = new Environment(platform, 'dev', { namespace: 'payments-dev' });
    const prod = new Environment(platform, 'prod');
    subscribeToDeliveryNotifications(prod, { trigger: 'on-sync-failed', service: 'slack', recipient: 'oncall' });
    const set = new ArgoCdApplicationSet(platform, 'Platform', {
      environments: [dev, prod], repoURL: REPO, project: 'data', path: 'dist', clusters: { prod: { name: 'prod-eu' } },
    });
    set.addNotification('on-sync-failed', 'slack', 'data-team');
    const o = fileObject(synth(platform), set.file);
    expect(o.spec.template.metadata.annotations).toEqual({ 'notifications.argoproj.io/subscribe.on-sync-failed.slack': 'data-team' });
    expect(o.spec.templatePatch).toBe([
      '{{- if eq .path.basename "dev" }}',
      'spec:',
      '  destination:',
      '    namespace: "payments-dev"',
      '{{- else if eq .path.basename "prod" }}',
      'metadata:',
      '  annotations:',
      '    "notifications.argoproj.io/subscribe.on-sync-failed.slack": "data-team;oncall"',
      'spec:',
      '  destination:',
      '    name: "prod-eu"',
      '    server: null',
      '{{- else }}',
      '{}',
      '{{- end }}',
      '',
    ].join('\n'));
    expect(crdProblems(o)).toEqual([]);
  });

  it('checks the generated Application names and the project coverage', () => {
    const { platform, dev, prod, project } = setup();
    const staging = new Environment(platform, 'staging');
    expect(() => new ArgoCdApplicationSet(platform, 'S', { environments: [dev, prod, staging], repoURL: REPO, project }))
      .toThrow(/S, field 'project': project 'platform' does not cover environment\(s\) 'staging'/);
    expect(() => new ArgoCdApplicationSet(platform, 'T', { environments: [dev], repoURL: REPO, project: 'p', name: 'n'.repeat(60) }))
      .toThrow(/T, field 'name'/);
  });
});

describe.skipIf(!HAS_GO)('ArgoCdApplicationSet rendered with Go text/template (missingkey=error), as the controller does', () => {
  let render: ReturnType<typeof buildGoTemplateRenderer>;
  beforeAll(() => {
    render = buildGoTemplateRenderer();
  });

  it('generates a valid Application per environment folder, with the per-environment patch applied', () => {
    const platform = new DataPlatform();
    const dev = new Environment(platform, 'dev', { namespace: 'payments-dev' });
    const prod = new Environment(platform, 'prod');
    subscribeToDeliveryNotifications(prod, { trigger: 'on-sync-failed', service: 'slack', recipient: 'oncall' });
    const project = new ArgoCdProject(platform, 'Project', { environments: [dev, prod], sourceRepos: [REPO], name: 'platform' });
    const set = new ArgoCdApplicationSet(platform, 'Set', {
      environments: [dev, prod], repoURL: REPO, project, path: 'dist', name: 'platform', clusters: { prod: { name: 'prod-eu' } },
    });
    const o = fileObject(synth(platform), set.file);

    const devApp = generateApplication(o, 'dist/manifests/dev', render);
    expect(devApp.metadata).toEqual({
      name: 'platform-dev', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-dataops', 'dataops.cdk8s.io/environment': 'dev' },
    });
    expect(devApp.spec.project).toBe('platform');
    expect(devApp.spec.source.path).toBe('dist/manifests/dev');
    expect(devApp.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'payments-dev' });
    expect(crdProblems(devApp)).toEqual([]);

    const prodApp = generateApplication(o, 'dist/manifests/prod', render);
    expect(prodApp.spec.destination).toEqual({ name: 'prod-eu', namespace: 'prod' });
    expect(prodApp.metadata.annotations).toEqual({ 'notifications.argoproj.io/subscribe.on-sync-failed.slack': 'oncall' });
    expect(crdProblems(prodApp)).toEqual([]);

    // A folder the code does not know (pushed by hand) gets the defaults, and still the fixed project.
    const other = generateApplication(o, 'dist/manifests/sandbox', render);
    expect(other.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'sandbox' });
    expect(other.spec.project).toBe('platform');
  });

  it('fails on a misspelled parameter instead of rendering an empty string', () => {
    expect(() => render({ path: { basename: 'prod' } }, ['{{.path.basenme}}'])).toThrow(/map has no entry for key "basenme"/);
  });
});
