import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../synth/config';
import { cleanUp, tempDir, writeFiles } from '../fixtures/repo';

afterEach(cleanUp);

describe('resolveConfig', () => {
  it('defaults to main.ts in the current folder, with no output folder (each platform writes its own outdir)', () => {
    const dir = tempDir();
    writeFiles(dir, { 'main.ts': '' });
    expect(resolveConfig(dir, {})).toEqual({ app: path.join(dir, 'main.ts'), outdir: undefined });
  });

  it('reads the app and outdir from the nearest package.json, relative to it', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'package.json': JSON.stringify({ 'cdk8s-dataops': { app: 'infra/platform.ts', outdir: 'deploy' } }),
      'infra/platform.ts': '',
      'docs/guide/README.md': '',
    });
    expect(resolveConfig(path.join(dir, 'docs/guide'), {})).toEqual({ app: path.join(dir, 'infra/platform.ts'), outdir: path.join(dir, 'deploy') });
  });

  it('lets flags win: --app (relative to the current folder) drops the package.json outdir, --out sets one', () => {
    const dir = tempDir();
    writeFiles(dir, { 'package.json': JSON.stringify({ 'cdk8s-dataops': { app: 'a.ts', outdir: 'deploy' } }), 'a.ts': '', 'sub/b.ts': '' });
    expect(resolveConfig(path.join(dir, 'sub'), { app: 'b.ts' })).toEqual({ app: path.join(dir, 'sub/b.ts'), outdir: undefined });
    expect(resolveConfig(dir, { out: 'x' })).toEqual({ app: path.join(dir, 'a.ts'), outdir: path.join(dir, 'x') });
  });

  it('ignores a package.json without the key', () => {
    const dir = tempDir();
    writeFiles(dir, { 'package.json': JSON.stringify({ name: 'x' }), 'main.ts': '' });
    expect(resolveConfig(dir, {}).app).toBe(path.join(dir, 'main.ts'));
  });

  it('says where the app was looked for when it does not exist', () => {
    const dir = tempDir();
    expect(() => resolveConfig(dir, {})).toThrow(`app file ${path.join(dir, 'main.ts')} not found (from the default main.ts); create it or point to it with --app FILE`);
    expect(() => resolveConfig(dir, { app: 'x.ts' })).toThrow(`(from --app)`);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ 'cdk8s-dataops': { app: 'src/main.ts' } }));
    expect(() => resolveConfig(dir, {})).toThrow(`app file ${path.join(dir, 'src/main.ts')} not found (from "cdk8s-dataops": { "app" } in ${path.join(dir, 'package.json')})`);
  });

  it('names a package.json it cannot read', () => {
    const dir = tempDir();
    writeFiles(dir, { 'package.json': '{ not json', 'main.ts': '' });
    expect(() => resolveConfig(dir, {})).toThrow(new RegExp(`^${path.join(dir, 'package.json').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot read \\(`));
  });
});
