import { describe, expect, it } from 'vitest';
import { isClusterScoped, registerClusterScopedKind } from '../../../lib/synthesizer/kinds';

describe('cluster-scoped kinds', () => {
  it("knows Kubernetes' own, by API group and kind", () => {
    expect(isClusterScoped('', 'Namespace')).toBe(true);
    expect(isClusterScoped('rbac.authorization.k8s.io', 'ClusterRole')).toBe(true);
    expect(isClusterScoped('rbac.authorization.k8s.io', 'Role')).toBe(false);
    expect(isClusterScoped('', 'ConfigMap')).toBe(false);
    expect(isClusterScoped('example.com', 'Namespace')).toBe(false);
  });

  it('learns CRD kinds that domain modules register', () => {
    expect(isClusterScoped('test.cdk8s-dataops.io', 'ClusterWidget')).toBe(false);
    registerClusterScopedKind('test.cdk8s-dataops.io', 'ClusterWidget');
    expect(isClusterScoped('test.cdk8s-dataops.io', 'ClusterWidget')).toBe(true);
    expect(isClusterScoped('other.io', 'ClusterWidget')).toBe(false);
  });
});
