import { ApiObject } from 'cdk8s';
import { DataPlatform, Environment } from 'cdk8s-dataops';
import { registerClusterScopedKind } from '../../../lib/synthesizer/kinds';
import { describe, expect, it } from 'vitest';
import { ArgoCdProject } from '../../../constructs/gitops';
import { crdProblems } from './crd-schema';
import { fileObject, REPO, synth } from './support';

function platformWith(build: (prod: Environment) => void) {
  const platform = new DataPlatform();
  const prod = new Environment(platform, 'prod', { namespace: 'payments' });
  build(prod);
  return { platform, prod };
}

const workload = (prod: Environment) => {
  new ApiObject(prod, 'orders', { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic' });
  new ApiObject(prod, 'api', { apiVersion: 'apps/v1', kind: 'Deployment' });
  new ApiObject(prod, 'reports', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'reporting' } });
};

describe('ArgoCdProject derived from the environment', () => {
  it('forbids every cluster-scoped kind when the environment has none', () => {
    const { platform, prod } = platformWith(workload);
    const project = new ArgoCdProject(platform, 'Payments', { environments: [prod], sourceRepos: [REPO] });
    const o = fileObject(synth(platform), project.file);
    expect(project.file).toBe('bootstrap/argocd/appproject.payments.yaml');
    expect(o.spec.clusterResourceWhitelist).toEqual([]);
    expect(o.spec.clusterResourceBlacklist).toBeUndefined();
    expect(o.spec.namespaceResourceWhitelist).toEqual([
      { group: '', kind: 'ConfigMap' },
      { group: 'apps', kind: 'Deployment' },
      { group: 'kafka.strimzi.io', kind: 'KafkaTopic' },
    ]);
    expect(o.spec.namespaceResourceBlacklist).toBeUndefined();
    expect(crdProblems(o)).toEqual([]);
  });

  it('whitelists a ClusterRole once the environment declares it, by name', () => {
    const { platform, prod } = platformWith((p) => {
      workload(p);
      new ApiObject(p, 'reader', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', rules: [] });
    });
    const project = new ArgoCdProject(platform, 'Payments', { environments: [prod], sourceRepos: [REPO] });
    expect(fileObject(synth(platform), project.file).spec.clusterResourceWhitelist).toEqual([
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' },
    ]);
  });

  it('whitelists the kind without names when asked, and uses registered cluster-scoped kinds', () => {
    registerClusterScopedKind('kyverno.io', 'ClusterPolicy');
    const { platform, prod } = platformWith((p) => {
      new ApiObject(p, 'a', { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy' });
      new ApiObject(p, 'b', { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy' });
    });
    const project = new ArgoCdProject(platform, 'P', { environments: [prod], sourceRepos: [REPO], restrictClusterResourceNames: false });
    const o = fileObject(synth(platform), project.file);
    expect(o.spec.clusterResourceWhitelist).toEqual([{ group: 'kyverno.io', kind: 'ClusterPolicy' }]);
    // Nothing namespaced: an empty whitelist would allow every namespaced kind, so all are denied.
    expect(o.spec.namespaceResourceWhitelist).toEqual([]);
    expect(o.spec.namespaceResourceBlacklist).toEqual([{ group: '*', kind: '*' }]);
  });

  it('derives at synthesis: objects defined after the project count', () => {
    const { platform, prod } = platformWith(() => undefined);
    const project = new ArgoCdProject(platform, 'P', { environments: [prod], sourceRepos: [REPO] });
    new ApiObject(prod, 'late', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' });
    expect(fileObject(synth(platform), project.file).spec.clusterResourceWhitelist).toEqual([
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', name: 'late' },
    ]);
  });

  it('restricts destinations to the cluster and the namespaces in use', () => {
    const { platform, prod } = platformWith(workload);
    const project = new ArgoCdProject(platform, 'P', {
      environments: [prod], sourceRepos: [REPO], cluster: { server: 'https://prod.example.com:6443' }, allowNamespaceCreation: true,
    });
    const o = fileObject(synth(platform), project.file);
    expect(o.spec.destinations).toEqual([
      { namespace: 'payments', server: 'https://prod.example.com:6443' },
      { namespace: 'reporting', server: 'https://prod.example.com:6443' },
    ]);
    expect(o.spec.sourceRepos).toEqual([REPO]);
    // CreateNamespace=true needs the Namespace kind: only the environment's own namespace.
    expect(o.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace', name: 'payments' }]);
  });

  it('covers several environments (each on its cluster)', () => {
    const platform = new DataPlatform();
    const dev = new Environment(platform, 'dev');
    const prod = new Environment(platform, 'prod');
    new ApiObject(dev, 'api', { apiVersion: 'apps/v1', kind: 'Deployment' });
    new ApiObject(prod, 'job', { apiVersion: 'batch/v1', kind: 'Job' });
    const project = new ArgoCdProject(platform, 'All', { environments: [dev, prod], sourceRepos: [REPO], clusters: { prod: { name: 'prod' } } });
    const o = fileObject(synth(platform), project.file);
    expect(o.spec.destinations).toEqual([
      { name: 'prod', namespace: 'prod' },
      { namespace: 'dev', server: 'https://kubernetes.default.svc' },
    ]);
    expect(o.spec.namespaceResourceWhitelist).toEqual([{ group: 'apps', kind: 'Deployment' }, { group: 'batch', kind: 'Job' }]);
    expect(crdProblems(o)).toEqual([]);
  });

  it('takes explicit whitelists and additions', () => {
    const { platform, prod } = platformWith(workload);
    const project = new ArgoCdProject(platform, 'P', {
      environments: [prod], sourceRepos: [REPO],
      namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }],
      clusterResourceWhitelist: [],
    });
    project.allowNamespacedResource('', 'Pod');
    project.allowClusterResource('apiextensions.k8s.io', 'CustomResourceDefinition', '*.acme.io');
    const o = fileObject(synth(platform), project.file);
    expect(o.spec.namespaceResourceWhitelist).toEqual([{ group: '', kind: 'Pod' }, { group: 'apps', kind: 'Deployment' }]);
    expect(o.spec.clusterResourceWhitelist).toEqual([{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: '*.acme.io' }]);
  });

  it('rejects bad props with the construct path and field', () => {
    const { platform, prod } = platformWith(() => undefined);
    expect(() => new ArgoCdProject(platform, 'P', { environments: [], sourceRepos: [REPO] })).toThrow(/P, field 'environments'/);
    expect(() => new ArgoCdProject(platform, 'Q', { environments: [prod], sourceRepos: [REPO], clusters: { staging: { name: 'x' } } }))
      .toThrow(/field 'clusters.staging'.*not one of the project's environments/);
    expect(() => new ArgoCdProject(platform, 'R', { environments: [prod], sourceRepos: [REPO], cluster: { server: 'https://a', name: 'a' } }))
      .toThrow(/either 'server' or 'name'/);
  });
});
