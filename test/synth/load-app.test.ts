import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(__dirname, '../..');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/**
 * Loads `app` with the real loader (registerTypeScript) in a process of its own, as every `synth` run does (the
 * loader registers itself once per process and reads the tsconfig when it starts), and returns what the app printed.
 * This repository's sources are compiled by a ts-node service of the child's own: `register()` would mark the process
 * as running under ts-node, and the loader would then leave the app to it.
 */
function loadInChild(app: string): unknown {
  const script = [
    "const fs = require('node:fs');",
    "const path = require('node:path');",
    'const [repo, app] = process.argv.slice(1);',
    'const from = (m) => require.resolve(m, { paths: [repo] });',
    "const service = require(from('ts-node')).create({ transpileOnly: true, skipProject: true, compiler: from('typescript'),",
    "  transpiler: [from('ts-node/transpilers/swc'), { swc: from('@swc/wasm') }],",
    "  compilerOptions: { module: 'commonjs', moduleResolution: 'node', target: 'es2022', esModuleInterop: true, sourceMap: false,",
    '    importHelpers: false, experimentalDecorators: false, emitDecoratorMetadata: false } });',
    "require.extensions['.ts'] = (m, f) => m._compile(service.compile(fs.readFileSync(f, 'utf8'), f), f);",
    "require(path.join(repo, 'synth', 'load-app.ts')).registerTypeScript(path.dirname(app));",
    'require(app);',
  ].join('\n');
  const r = spawnSync(process.execPath, ['-e', script, repoRoot, app], { encoding: 'utf8', timeout: 60_000 });
  expect([r.status, r.stderr]).toEqual([0, '']);
  return JSON.parse(r.stdout);
}

describe('registerTypeScript', () => {
  it("compiles with the decorator options of the app's tsconfig chain; a change to an extended tsconfig is seen", () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'load-app-')));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, 'node_modules'));
    const base = path.join(dir, 'tsconfig.base.json');
    const setBase = (emitDecoratorMetadata: boolean) =>
      fs.writeFileSync(base, JSON.stringify({ compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata } }));
    setBase(false);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { strict: true } }));
    // Records the decorator metadata the compiled class asks for (none unless emitDecoratorMetadata is on).
    const app = path.join(dir, 'main.ts');
    fs.writeFileSync(app, [
      'const metadata: string[] = [];',
      '(Reflect as any).metadata = (key: string) => () => { metadata.push(key); };',
      'function field(_target: object, _key: string): void {}',
      'class Topic { @field partitions!: number; }',
      'console.log(JSON.stringify({ metadata, name: Topic.name }));',
    ].join('\n'));

    expect(loadInChild(app)).toEqual({ metadata: [], name: 'Topic' });
    // the options were cached, with every file of the extends chain they were read from
    const cacheDir = path.join(dir, 'node_modules', '.cache', 'cdk8s-dataops', 'ts');
    const docs = fs.readdirSync(cacheDir).filter((n) => n.endsWith('.json'));
    expect(docs).toHaveLength(1);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(cacheDir, docs[0]), 'utf8')).files).sort()).toEqual([base, path.join(dir, 'tsconfig.json')].sort());

    setBase(true); // main.ts and tsconfig.json unchanged
    expect(loadInChild(app)).toEqual({ metadata: ['design:type'], name: 'Topic' });
  });
});
