import { describe, expect, it } from 'vitest';
import { outputRules, registerOutputRule, ruleApplies, SynthesizedObject } from 'cdk8s-dataops';

function secret(extra: Record<string, unknown>, apiVersion = 'v1'): SynthesizedObject {
  return { environment: 'prod', constructPath: 'prod/db', file: 'manifests/prod/p/secret.db.yaml', object: { apiVersion, kind: 'Secret', metadata: { name: 'db' }, ...extra } };
}

describe('output rules registry', () => {
  it('has the built-in no-plaintext-secret rule for Secrets', () => {
    const rule = outputRules().find((r) => r.id === 'no-plaintext-secret')!;
    expect(rule.kinds).toEqual(['Secret']);
    expect(rule.check!(secret({ data: { a: 'YQ==' } }))).toEqual([
      "Secret 'db' carries plaintext values in 'data'; secret values never go to Git. Use Secrets.fromExternal (ExternalSecret) or Secrets.fromSealed (SealedSecret) instead",
    ]);
    expect(rule.check!(secret({ data: {}, stringData: {} }))).toEqual([]);
    expect(rule.check!(secret({ type: 'kubernetes.io/service-account-token' }))).toEqual([]);
    expect(rule.check!(secret({ data: { a: 'YQ==' } }, 'example.com/v1'))).toEqual([]);
  });

  it('applies a rule to its kinds, or to every kind when it names none', () => {
    expect(ruleApplies({ id: 'x', kinds: ['Secret'] }, 'Secret')).toBe(true);
    expect(ruleApplies({ id: 'x', kinds: ['Secret'] }, 'ConfigMap')).toBe(false);
    expect(ruleApplies({ id: 'x' }, 'ConfigMap')).toBe(true);
  });

  it('keeps one rule per id, in registration order', () => {
    const count = outputRules().length;
    registerOutputRule({ id: 'rules-test-a', check: () => ['first'] });
    registerOutputRule({ id: 'rules-test-b', check: () => [] });
    registerOutputRule({ id: 'rules-test-a', check: () => ['second'] });
    const ids = outputRules().map((r) => r.id);
    expect(ids.slice(count)).toEqual(['rules-test-a', 'rules-test-b']);
    expect(outputRules().find((r) => r.id === 'rules-test-a')!.check!(secret({}))).toEqual(['second']);
  });
});
