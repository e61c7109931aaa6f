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

describe('cdk8s-dataops.json', () => {
  it('sets the app and outdir relative to itself, found from any subfolder, before a package.json key', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'cdk8s-dataops.json': JSON.stringify({ app: 'examples/platform/main.ts', outdir: 'deploy' }),
      'package.json': JSON.stringify({ name: 'x', 'cdk8s-dataops': { app: 'other.ts' } }),
      'examples/platform/main.ts': '',
      'docs/a/README.md': '',
    });
    expect(resolveConfig(path.join(dir, 'docs/a'), {})).toEqual({ app: path.join(dir, 'examples/platform/main.ts'), outdir: path.join(dir, 'deploy') });
  });

  it('refuses an unknown key with the closest known one, and names itself when its app is missing', () => {
    const dir = tempDir();
    writeFiles(dir, { 'cdk8s-dataops.json': JSON.stringify({ ap: 'main.ts' }), 'main.ts': '' });
    expect(() => resolveConfig(dir, {})).toThrow(`${path.join(dir, 'cdk8s-dataops.json')}, field 'ap': unknown property; did you mean 'app'?`);
    fs.writeFileSync(path.join(dir, 'cdk8s-dataops.json'), JSON.stringify({ app: 'src/main.ts' }));
    expect(() => resolveConfig(dir, {})).toThrow(`app file ${path.join(dir, 'src/main.ts')} not found (from "app" in ${path.join(dir, 'cdk8s-dataops.json')})`);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ 'cdk8s-dataops': { app: 'main.ts', outDir: 'x' } }));
    fs.rmSync(path.join(dir, 'cdk8s-dataops.json'));
    expect(() => resolveConfig(dir, {})).toThrow(`field '"cdk8s-dataops".outDir': unknown property; did you mean 'outdir'?`);
  });
});

describe('this repository', () => {
  it('says which app `npm run synth` runs in cdk8s-dataops.json, not in the published package.json', () => {
    const root = path.resolve(__dirname, '../..');
    expect(resolveConfig(root, {}).app).toBe(path.join(root, 'examples/data-platform/main.ts'));
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg['cdk8s-dataops']).toBeUndefined();
    expect(pkg.devDependencies['cdk8s-dataops']).toBeUndefined();
    expect(pkg.scripts.synth).toBe('node bin/synth.js');
  });
});
