import { DataPlatform, Environment } from 'cdk8s-dataops';
import { describe, expect, it } from 'vitest';
import { FluxDeletionPolicy, FluxGitRepository, FluxKustomization } from '../../../constructs/gitops';
import { crdProblems } from './crd-schema';
import { fileObject, REPO, synth } from './support';

function setup() {
  const platform = new DataPlatform();
  const prod = new Environment(platform, 'prod');
  const source = new FluxGitRepository(platform, 'Source', { repoURL: REPO, name: 'platform', path: 'dist' });
  return { platform, prod, source };
}

describe('FluxKustomization', () => {
  it('applies the environment folder with prune, wait, retries and a timeout', () => {
    const { platform, prod, source } = setup();
    const k = new FluxKustomization(platform, 'PlatformProd', { environment: prod, source, path: 'dist' });
    const o = fileObject(synth(platform), k.file);
    expect(k.file).toBe('bootstrap/flux/prod/kustomization.platform-prod.yaml');
    expect(o).toEqual({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: {
        name: 'platform-prod', namespace: 'flux-system',
        labels: { 'app.kubernetes.io/managed-by': 'cdk8s-dataops', 'dataops.cdk8s.io/environment': 'prod' },
      },
      spec: {
        interval: '10m', retryInterval: '1m', timeout: '5m',
        sourceRef: { kind: 'GitRepository', name: 'platform' },
        path: './dist/manifests/prod',
        prune: true,
        wait: true,
        deletionPolicy: 'Orphan',
      },
    });
    expect(crdProblems(o)).toEqual([]);
  });

  it('orders after its dependencies, ours and those defined elsewhere', () => {
    const { platform, prod, source } = setup();
    const operators = new FluxKustomization(platform, 'Operators', { environment: prod, source, path: 'infra' });
    const k = new FluxKustomization(platform, 'App', { environment: prod, source, path: 'dist', dependsOn: [operators, 'strimzi', 'infra/external-secrets'] });
    const o = fileObject(synth(platform), k.file);
    expect(o.spec.dependsOn).toEqual([{ name: 'operators' }, { name: 'strimzi' }, { name: 'external-secrets', namespace: 'infra' }]);
    expect(crdProblems(o)).toEqual([]);
    expect(() => k.addDependency(k)).toThrow(/cannot depend on itself/);
  });

  it('waits for given health checks instead of every object', () => {
    const { platform, prod, source } = setup();
    const k = new FluxKustomization(platform, 'App', {
      environment: prod, source, path: 'dist', deletionPolicy: FluxDeletionPolicy.MIRROR_PRUNE, serviceAccountName: 'deployer',
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: 'prod' }],
    });
    const o = fileObject(synth(platform), k.file);
    expect(o.spec.wait).toBeUndefined();
    expect(o.spec.healthChecks).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: 'prod' }]);
    expect(o.spec.serviceAccountName).toBe('deployer');
    expect(o.spec.deletionPolicy).toBe('MirrorPrune');
    expect(crdProblems(o)).toEqual([]);
    expect(() => new FluxKustomization(platform, 'Both', { environment: prod, source, wait: true, healthChecks: [{ kind: 'Deployment', name: 'api' }] }))
      .toThrow(/Both, field 'wait'/);
  });

  it('references a source in another namespace', () => {
    const { platform, prod, source } = setup();
    const k = new FluxKustomization(platform, 'App', { environment: prod, source, path: 'dist', namespace: 'apps' });
    expect(fileObject(synth(platform), k.file).spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'platform', namespace: 'flux-system' });
  });
});
