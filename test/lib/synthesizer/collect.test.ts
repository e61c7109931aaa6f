import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { AggregateDataOpsError, DataOpsError, DataPlatform, Environment, ValidationError } from 'cdk8s-dataops';
import { collectObjects } from '../../../lib/synthesizer/collect';
import { registerClusterScopedKind } from '../../../lib/synthesizer/kinds';

function platformWith(...envs: string[]) {
  const platform = new DataPlatform();
  return { platform, envs: envs.map((e) => new Environment(platform, e, { namespace: 'payments', cluster: e })) };
}

function configMap(scope: Construct, id: string, props: Record<string, unknown> = {}): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', ...props });
}

describe('collectObjects', () => {
  it('resolves every object with its environment, construct path and file, in definition order', () => {
    const { platform, envs: [dev, prod] } = platformWith('dev', 'prod');
    configMap(prod, 'b-settings', { data: { x: Lazy.any({ produce: () => 'resolved' }) } });
    configMap(new Construct(prod, 'orders-api'), 'Resource');
    configMap(dev, 'a-settings');
    const objects = collectObjects(platform);
    expect(objects.map((o) => [o.environment, o.constructPath, o.file])).toEqual([
      ['dev', 'dev/a-settings', 'manifests/dev/payments/configmap.a-settings.yaml'],
      ['prod', 'prod/b-settings', 'manifests/prod/payments/configmap.b-settings.yaml'],
      // Errors and diffs name the construct the user wrote, not its inner 'Resource'.
      ['prod', 'prod/orders-api', 'manifests/prod/payments/configmap.orders-api.yaml'],
    ]);
    expect(objects[1].object.data).toEqual({ x: 'resolved' });
  });

  it('drops the namespace cdk8s adds to cluster-scoped objects and files them under _cluster', () => {
    const { platform, envs: [prod] } = platformWith('prod');
    new ApiObject(prod, 'payments', { apiVersion: 'v1', kind: 'Namespace' });
    new ApiObject(prod, 'reader', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', rules: [] });
    registerClusterScopedKind('collect-test.io', 'ClusterThing');
    new ApiObject(prod, 'thing', { apiVersion: 'collect-test.io/v1', kind: 'ClusterThing' });
    new ApiObject(prod, 'role', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', rules: [] });
    const objects = collectObjects(platform);
    expect(objects.map((o) => [o.file, o.object.metadata.namespace])).toEqual([
      ['manifests/prod/_cluster/namespace.payments.yaml', undefined],
      ['manifests/prod/_cluster/clusterrole.reader.yaml', undefined],
      ['manifests/prod/_cluster/clusterthing.thing.yaml', undefined],
      ['manifests/prod/payments/role.role.yaml', 'payments'],
    ]);
    expect(Object.keys(objects[0].object.metadata)).not.toContain('namespace');
  });

  it('refuses two objects that would land in the same file, naming both construct paths', () => {
    const { platform, envs: [prod] } = platformWith('prod');
    configMap(new Construct(prod, 'team-a'), 'settings');
    configMap(new Construct(prod, 'team-b'), 'other', { metadata: { name: 'settings' } });
    expect(() => collectObjects(platform)).toThrow(DataOpsError);
    expect(() => collectObjects(platform)).toThrow(
      "prod/team-b/other and prod/team-a/settings both produce ConfigMap 'settings' in namespace 'payments' (file manifests/prod/payments/configmap.settings.yaml); give one of them a different name",
    );
  });

  it('accepts the same name in another namespace, another kind or another environment', () => {
    const { platform, envs: [dev, prod] } = platformWith('dev', 'prod');
    configMap(prod, 'settings');
    configMap(prod, 'settings-2', { metadata: { name: 'settings', namespace: 'other' } });
    new ApiObject(prod, 'settings-3', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'settings' } });
    configMap(dev, 'settings');
    expect(collectObjects(platform)).toHaveLength(4);
  });

  it('reports every collision and every failure together', () => {
    const { platform, envs: [prod] } = platformWith('prod');
    configMap(prod, 'a');
    configMap(prod, 'a2', { metadata: { name: 'a' } });
    configMap(prod, 'b');
    configMap(prod, 'b2', { metadata: { name: 'b' } });
    configMap(prod, 'c', { data: { v: Lazy.any({ produce: () => { throw new ValidationError('prod/c', 'data.v', 'no value'); } }) } });
    let error: unknown;
    try {
      collectObjects(platform);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AggregateDataOpsError);
    expect((error as AggregateDataOpsError).errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^prod\/a2 and prod\/a both produce/),
      expect.stringMatching(/^prod\/b2 and prod\/b both produce/),
      "prod/c, field 'data.v': no value",
    ]);
  });

  it('names the construct when resolving an object throws, without the cdk8s wrapping', () => {
    const { platform, envs: [prod] } = platformWith('prod');
    configMap(new Construct(prod, 'broken'), 'Resource', { data: { v: Lazy.any({ produce: () => { throw new TypeError('x is undefined'); } }) } });
    expect(() => collectObjects(platform)).toThrow(/^prod\/broken: TypeError: x is undefined$/);
  });

  it("runs the constructs' own validations first and reports all of them with their paths", () => {
    const { platform, envs: [prod] } = platformWith('prod');
    const a = new Construct(prod, 'a');
    a.node.addValidation({ validate: () => ['a is wrong'] });
    const b = new Construct(prod, 'b');
    b.node.addValidation({ validate: () => ['b is wrong'] });
    expect(() => collectObjects(platform)).toThrow('2 constructs are invalid:\n  - prod/a: a is wrong\n  - prod/b: b is wrong');
    b.node.addValidation({ validate: () => [] });
  });

  it('collects one environment, or the environments asked for, and names unknown ones', () => {
    const { platform, envs: [dev, prod] } = platformWith('dev', 'prod');
    configMap(dev, 'x');
    configMap(prod, 'y');
    expect(collectObjects(prod).map((o) => o.constructPath)).toEqual(['prod/y']);
    expect(collectObjects(platform, { environments: ['dev'] }).map((o) => o.constructPath)).toEqual(['dev/x']);
    expect(() => collectObjects(platform, { environments: ['qa', 'dev', 'uat'] })).toThrow("unknown environment(s) 'qa', 'uat'; the app defines 'dev', 'prod'");
  });
});
