import { findObject, synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { Role, ServiceAccount } from '../../../constructs/k8s';
import { errorOf, newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

describe('Role and ServiceAccount', () => {
  it('emits explicit rules and one RoleBinding for every subject', () => {
    const env = newEnv();
    const a = new ServiceAccount(env, 'Scheduler', { annotations: { 'iam.gke.io/gcp-service-account': 'x@y.iam' } });
    const b = new ServiceAccount(env, 'Worker');
    const role = new Role(env, 'PodLauncher', { rules: [{ apiGroup: '', resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }], subjects: [a] });
    role.bind(b);
    const objects = synthesize(env);
    validateAll(objects);
    expect(findObject(objects, 'ServiceAccount', 'scheduler')).toMatchObject({
      automountServiceAccountToken: false, metadata: { annotations: { 'iam.gke.io/gcp-service-account': 'x@y.iam' } },
    });
    expect(findObject(objects, 'Role', 'pod-launcher').rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get', 'list'] },
    ]);
    const rb = findObject(objects, 'RoleBinding', 'pod-launcher');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-launcher' });
    expect(rb.subjects.map((s: any) => s.name)).toEqual(['scheduler', 'worker']);
  });

  it('emits no RoleBinding without subjects and refuses wildcards', () => {
    const env = newEnv();
    new Role(env, 'Reader', { rules: [{ apiGroup: '', resources: ['configmaps'], verbs: ['get'] }] });
    expect(synthesize(env).map((o) => o.kind)).toEqual(['Role']);
    expect(errorOf(() => new Role(env, 'Admin', { rules: [{ apiGroup: '*', resources: ['pods'], verbs: ['*' as never] }] })))
      .toContain("dev/Admin, field 'rules[0].verbs[0]': use get, list, watch, create, update, patch, delete, deletecollection ('*' is not allowed: grant what is needed)");
  });
});
