import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, Lazy } from 'cdk8s';
import { afterEach, describe, expect, it } from 'vitest';
import { DataPlatform, Environment, KubeObject, synthesizePlatform } from 'cdk8s-dataops';
import { FileStates } from '../../../lib/synthesizer/file-states';
import { PreviousOutput } from '../../../lib/synthesizer/previous';
import { synthesize } from 'cdk8s-dataops/testing';
import { cleanUp, tempDir } from '../../fixtures/repo';
import { readPreviousObject } from '../../../lib/synthesizer/previous';
import { readOwnedFiles, writeOutput } from '../../../lib/synthesizer/writer';
import { toYaml } from '../../../lib/synthesizer/yaml';

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

describe('readPreviousObject', () => {
  it('returns the current object without parsing when the file is its rendering, the parsed file otherwise', () => {
    const outdir = path.join(tempDir(), 'dist');
    const current: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'payments' }, data: { v: '1' } };
    const file = 'manifests/prod/payments/configmap.a.yaml';
    writeOutput(outdir, new Map([[file, toYaml(current)]]));
    const owned = readOwnedFiles(outdir);
    expect(readPreviousObject(outdir, file, owned, current)).toBe(current);
    const changed = { ...current, data: { v: '2' } };
    const previous = readPreviousObject(outdir, file, owned, changed);
    expect(previous).not.toBe(current);
    expect(previous).toEqual(current);
    expect(readPreviousObject(outdir, file, new Set(), current)).toBeUndefined();
  });
});

describe('readPreviousObject with the output folder file states', () => {
  it('does not read a file its recorded state proves unchanged, and reads one it cannot vouch for', () => {
    const project = tempDir();
    fs.mkdirSync(path.join(project, 'node_modules')); // where the file states are kept
    const outdir = path.join(project, 'dist');
    const current: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'payments' }, data: { v: '1' } };
    const file = 'manifests/prod/payments/configmap.a.yaml';
    writeOutput(outdir, new Map([[file, toYaml(current)]]));
    // Same size and inode, mtime put back: only a read could tell the bytes differ; the states vouch for the file.
    const abs = path.join(outdir, file);
    const st = fs.statSync(abs);
    fs.writeFileSync(abs, toYaml({ ...current, data: { v: '9' } }));
    fs.utimesSync(abs, st.atime, st.mtime);
    const owned = readOwnedFiles(outdir);
    expect(readPreviousObject(outdir, file, owned, current, FileStates.load(outdir))).toBe(current);
    // without the states (or once the mtime moves) the file is read, and what it holds is returned
    expect(readPreviousObject(outdir, file, owned, current)).toEqual({ ...current, data: { v: '9' } });
    fs.utimesSync(abs, st.atime, new Date(st.mtimeMs + 5000));
    expect(readPreviousObject(outdir, file, owned, current, FileStates.load(outdir))).toEqual({ ...current, data: { v: '9' } });
  });
});
