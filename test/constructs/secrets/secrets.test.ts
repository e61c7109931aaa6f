import * as kplus from 'cdk8s-plus-27';
import { isClusterScoped } from '../../../lib/synthesizer/kinds';
import { synthesize } from 'cdk8s-dataops/testing';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import '../../../constructs/secrets';
import { errorOf, newEnv } from '../support/fixtures';

describe('no plaintext Secret in the output', () => {
  it("fails synthesis on cdk8s-plus-27's own Secret helper, naming the construct that made it", () => {
    const env = newEnv('prod', 'payments');
    const team = new Construct(env, 'Team');
    new kplus.Secret(team, 'ApiKey', { stringData: { key: 'not-for-git' } });
    expect(errorOf(() => synthesize(env)))
      .toBe("prod/Team/ApiKey: Secret 'api-key' carries plaintext values in 'stringData'; secret values never go to Git. " +
        'Use Secrets.fromExternal (ExternalSecret) or Secrets.fromSealed (SealedSecret) instead [DOP-SECRETS-001]');
  });

  it('also refuses values added after construction (addStringData)', () => {
    const env = newEnv();
    const s = new kplus.Secret(env, 'Token');
    s.addStringData('token', 'abc');
    expect(errorOf(() => synthesize(env))).toContain("dev/Token: Secret 'token' carries plaintext values in 'stringData'");
  });

  it('registers ClusterSecretStore as cluster-scoped', () => {
    expect(isClusterScoped('external-secrets.io', 'ClusterSecretStore')).toBe(true);
    expect(isClusterScoped('external-secrets.io', 'SecretStore')).toBe(false);
  });
});
