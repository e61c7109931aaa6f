import { synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { Secrets } from '../../../constructs/secrets';
import { errorOf, newEnv } from '../support/fixtures';

describe('Secrets.fromSecretName', () => {
  it('references a Secret made elsewhere without emitting anything', () => {
    const env = newEnv();
    const user = Secrets.fromSecretName(env, 'KafkaUser', 'orders-enricher');
    expect(synthesize(env)).toEqual([]);
    expect(user.keys).toBeUndefined();
    expect(user.envValue('password').toEnvVarSource()).toEqual({ secretKeyRef: { name: 'orders-enricher', key: 'password' } });
  });

  it('checks keys when they are declared, and the name always', () => {
    const env = newEnv();
    const s = Secrets.fromSecretName(env, 'S', 'tls', { keys: ['tls.crt', 'tls.key'] });
    expect(s.envValue('tls.key').key).toBe('tls.key');
    expect(errorOf(() => s.envValue('ca.crt'))).toBe("dev/S, field 'key': Secret 'tls' has no key 'ca.crt'; its keys are 'tls.crt', 'tls.key'");
    expect(errorOf(() => Secrets.fromSecretName(env, 'T', 'Not_A_Name'))).toContain("dev/T, field 'secretName': 'Not_A_Name' is not a valid Kubernetes name");
  });
});
