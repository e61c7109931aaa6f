import { findObject, synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { Secrets } from '../../../constructs/secrets';
import { errorOf, fakeSealed, newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

describe('Secrets.fromSealed', () => {
  it('emits a bitnami.com/v1alpha1 SealedSecret that validates against the upstream CRD', () => {
    const env = newEnv('prod', 'analytics');
    const password = fakeSealed();
    const ref = Secrets.fromSealed(env, 'WarehouseCreds', { encryptedData: { password } });
    const objects = synthesize(env);
    validateAll(objects);
    const ss = findObject(objects, 'SealedSecret', 'warehouse-creds', 'analytics');
    expect(ss.apiVersion).toBe('bitnami.com/v1alpha1');
    expect(ss.spec.encryptedData).toEqual({ password });
    expect(ss.spec.template).toEqual({ type: 'Opaque', metadata: { name: 'warehouse-creds' } });
    expect(ss.metadata.annotations).toBeUndefined();
    expect(ref.envValue('password').toEnvVarSource()).toEqual({ secretKeyRef: { name: 'warehouse-creds', key: 'password' } });
  });

  it('marks namespace-wide and cluster-wide sealing scopes the way the controller expects', () => {
    const env = newEnv();
    Secrets.fromSealed(env, 'Wide', { encryptedData: { a: fakeSealed() }, scope: 'namespace-wide' });
    Secrets.fromSealed(env, 'Cluster', { encryptedData: { a: fakeSealed() }, scope: 'cluster-wide' });
    expect(findObject(env, 'SealedSecret', 'wide').metadata.annotations).toEqual({ 'sealedsecrets.bitnami.com/namespace-wide': 'true' });
    expect(findObject(env, 'SealedSecret', 'cluster').spec.template.metadata.annotations).toEqual({ 'sealedsecrets.bitnami.com/cluster-wide': 'true' });
  });

  it('refuses values that were not sealed, naming the construct and the key', () => {
    const env = newEnv();
    expect(errorOf(() => Secrets.fromSealed(env, 'Oops', { encryptedData: { password: 'hunter2' } })))
      .toBe("dev/Oops, field 'encryptedData.password': does not look like a value sealed with kubeseal (base64 ciphertext); never put plain values here: run `kubeseal --raw`");
    // base64 of a short plain value is still refused
    expect(errorOf(() => Secrets.fromSealed(env, 'Oops2', { encryptedData: { password: Buffer.from('hunter2').toString('base64') } })))
      .toContain("field 'encryptedData.password'");
  });
});
