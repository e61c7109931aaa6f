import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import { afterEach, describe, expect, it } from 'vitest';
import { DataPlatform, Environment, Policies, synthesizePlatform } from 'cdk8s-dataops';
import { changeDetectorsOf, NO_PLAINTEXT_SECRET, OBJECT_DELETED } from '../../../lib/synthesizer/rules';
import { synthesize } from 'cdk8s-dataops/testing';
import { cleanUp, tempDir } from '../../fixtures/repo';

afterEach(cleanUp);

function secretPlatform(extra: Record<string, unknown>, apiVersion = 'v1') {
  const platform = new DataPlatform({ lineageReports: false });
  const env = new Environment(platform, 'prod');
  new ApiObject(env, 'db', { apiVersion, kind: 'Secret', ...extra });
  return { platform, env };
}

describe('the output pack (every platform, whatever packs it chooses)', () => {
  it('refuses a Secret with values (DOP-SECRETS-001), in synth and in the testing synthesize()', () => {
    const { env } = secretPlatform({ data: { a: 'YQ==' } });
    expect(() => synthesize(env)).toThrow(
      "prod/db: Secret 'db' carries plaintext values in 'data'; secret values never go to Git. Use Secrets.fromExternal (ExternalSecret) or Secrets.fromSealed (SealedSecret) instead [DOP-SECRETS-001]");
    expect(() => synthesize(secretPlatform({ data: {}, stringData: {} }).env)).not.toThrow();
    expect(() => synthesize(secretPlatform({ type: 'kubernetes.io/service-account-token' }).env)).not.toThrow();
    expect(() => synthesize(secretPlatform({ data: { a: 'YQ==' } }, 'example.com/v1').env)).not.toThrow();
    expect(NO_PLAINTEXT_SECRET.acknowledgeable).toBe(false);
  });

  it('writes reports/policy.json and reports/policy.sarif when the platform chooses a pack, and keeps them on --env', () => {
    const dir = tempDir();
    const make = (choose = true) => {
      const platform = new DataPlatform({ outdir: dir, lineageReports: false });
      if (choose) Policies.of(platform).add({ name: 'ours', rules: [] });
      for (const name of ['dev', 'prod']) new ApiObject(new Environment(platform, name), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: name } });
      return platform;
    };
    expect([...synthesizePlatform(make(false)).files.keys()].filter((f) => f.startsWith('reports/'))).toEqual([]);
    synthesizePlatform(make()).write();
    const json = fs.readFileSync(path.join(dir, 'reports/policy.json'), 'utf8');
    expect(JSON.parse(json).rules.map((r: { id: string }) => r.id)).toContain('DOP-SECRETS-001');
    expect(fs.existsSync(path.join(dir, 'reports/policy.sarif'))).toBe(true);
    fs.writeFileSync(path.join(dir, 'reports/policy.json'), `${json} `); // marks the file: a partial synthesis keeps it
    const partial = synthesizePlatform(make(), { environments: ['prod'] });
    expect(partial.files.get('reports/policy.json')).toBe(`${json} `);
  });

  it('gives diff the detectors of the packs in use, the output pack first', () => {
    const { platform } = secretPlatform({});
    expect(changeDetectorsOf(platform)[0]).toBe(OBJECT_DELETED);
  });

  it('says what really happens to a removed object that carries Prune=false: orphaned, not deleted', () => {
    const base = { type: 'removed' as const, file: 'f', kind: 'KafkaTopic', name: 'orders' };
    const retained = { apiVersion: 'v1', kind: 'KafkaTopic', metadata: { name: 'orders', annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' } } };
    expect(OBJECT_DELETED.detect({ ...base, before: retained })).toEqual([
      "KafkaTopic 'orders' leaves the output but carries Prune=false: Argo CD and Flux leave it in the cluster, orphaned (no longer managed), not deleted; delete it by hand if it should go",
    ]);
    expect(OBJECT_DELETED.detect({ ...base, before: { ...retained, metadata: { name: 'orders' } } })).toEqual(["KafkaTopic 'orders' is deleted from the cluster when the GitOps tool prunes"]);
    expect(OBJECT_DELETED.detect({ ...base, type: 'changed' })).toEqual([]);
  });
});
