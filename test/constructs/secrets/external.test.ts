import { findObject, findObjects, synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { Secrets } from '../../../constructs/secrets';
import { errorOf, newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

describe('Secrets.fromExternal', () => {
  it('emits one external-secrets.io/v1 ExternalSecret whose target Secret has the declared keys', () => {
    const env = newEnv('prod', 'payments');
    const ref = Secrets.fromExternal(env, 'WarehouseCreds', {
      store: { name: 'vault', kind: 'ClusterSecretStore' },
      keys: { password: 'prod/warehouse#password', user: 'prod/warehouse-user' },
    });
    const objects = synthesize(env);
    validateAll(objects);
    const es = findObject(objects, 'ExternalSecret', 'warehouse-creds', 'payments');
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.spec).toEqual({
      secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
      refreshInterval: '1h',
      target: { name: 'warehouse-creds', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: [
        { secretKey: 'password', remoteRef: { key: 'prod/warehouse', property: 'password' } },
        { secretKey: 'user', remoteRef: { key: 'prod/warehouse-user' } },
      ],
    });
    expect(ref.secretName).toBe('warehouse-creds');
    expect(ref.keys).toEqual(['password', 'user']);
    expect(findObjects(objects, 'Secret')).toEqual([]);
  });

  it('defaults to a namespaced SecretStore and honours name, refreshInterval and policies', () => {
    const env = newEnv();
    Secrets.fromExternal(env, 'Creds', {
      store: { name: 'team-store' }, keys: { token: 'api/token' }, name: 'api-token',
      refreshInterval: '15m', creationPolicy: 'Orphan', deletionPolicy: 'Delete',
    });
    const es = findObject(env, 'ExternalSecret', 'api-token');
    expect(es.spec.secretStoreRef).toEqual({ name: 'team-store', kind: 'SecretStore' });
    expect(es.spec.refreshInterval).toBe('15m');
    expect(es.spec.target).toEqual({ name: 'api-token', creationPolicy: 'Orphan', deletionPolicy: 'Delete' });
  });

  it('gives typed references to its keys and refuses keys it does not have', () => {
    const env = newEnv();
    const ref = Secrets.fromExternal(env, 'Db', { store: { name: 'vault' }, keys: { url: 'db#url' } });
    const v = ref.envValue('url');
    expect(v.secretName).toBe('db');
    expect(v.key).toBe('url');
    expect(v.toEnvVarSource()).toEqual({ secretKeyRef: { name: 'db', key: 'url' } });
    expect(errorOf(() => ref.envValue('password'))).toBe("dev/Db, field 'key': Secret 'db' has no key 'password'; its keys are 'url'");
  });

  it('names the construct and field of a bad prop', () => {
    const env = newEnv();
    expect(errorOf(() => Secrets.fromExternal(env, 'A', { store: { name: 'vault' }, keys: { x: 'k' }, refreshInterval: 'hourly' })))
      .toBe("dev/A, field 'refreshInterval': must be a Go duration such as '1h', '15m' or '0s'");
    expect(errorOf(() => Secrets.fromExternal(env, 'B', { store: { name: 'vault' }, keys: {} })))
      .toBe("dev/B, field 'keys': at least one key is required");
    expect(errorOf(() => Secrets.fromExternal(env, 'C', { store: { name: 'vault' }, keys: { 'bad key': 'k' } })))
      .toContain("dev/C, field 'keys.bad key'");
    expect(errorOf(() => Secrets.fromExternal(env, 'D', { store: { name: 'Vault Store' }, keys: { x: 'k' } })))
      .toBe("dev/D, field 'store.name': must be a Kubernetes object name");
  });
});
