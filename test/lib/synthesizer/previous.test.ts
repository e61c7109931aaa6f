import * as path from 'node:path';
import { ApiObject, Lazy } from 'cdk8s';
import { afterEach, describe, expect, it } from 'vitest';
import { DataPlatform, Environment, KubeObject, PreviousOutput, synthesizePlatform } from 'cdk8s-dataops';
import { synthesize } from 'cdk8s-dataops/testing';
import { cleanUp, tempDir } from '../../fixtures/repo';

afterEach(cleanUp);

/** A platform whose 'probe' object records what PreviousOutput returns while it is resolved. */
function probed(outdir: string, version: string, reads: unknown[]) {
  const platform = new DataPlatform({ outdir });
  const env = new Environment(platform, 'prod', { namespace: 'payments' });
  new ApiObject(env, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', data: { version } });
  new ApiObject(env, 'probe', {
    apiVersion: 'v1', kind: 'ConfigMap',
    data: Lazy.any({
      produce: () => {
        const previous = PreviousOutput.of(env);
        reads.push(previous?.readObject('prod', { kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'payments' } }));
        reads.push(previous?.readObject('prod', { kind: 'ConfigMap', metadata: { name: 'nope', namespace: 'payments' } }));
        return { version };
      },
    }),
  });
  return { platform, env };
}

describe('PreviousOutput', () => {
  it('reads the object previously written for an identity while objects are resolved, and is gone afterwards', () => {
    const outdir = path.join(tempDir(), 'dist');
    const first: unknown[] = [];
    synthesizePlatform(probed(outdir, '1', first).platform).write();
    expect(first).toEqual([undefined, undefined]);

    const reads: unknown[] = [];
    const { platform, env } = probed(outdir, '2', reads);
    synthesizePlatform(platform);
    expect((reads[0] as KubeObject).metadata.name).toBe('settings');
    expect((reads[0] as { data: unknown }).data).toEqual({ version: '1' });
    expect(reads[1]).toBeUndefined();
    expect(PreviousOutput.of(env)).toBeUndefined();
  });

  it('is not available in in-memory synthesis (the testing helpers)', () => {
    const reads: unknown[] = [];
    synthesize(probed(path.join(tempDir(), 'dist'), '1', reads).env);
    expect(reads).toEqual([undefined, undefined]);
  });
});
