/**
 * The package as users get it: `npm pack` of this repository installed into a fresh project next to the TypeScript
 * that `npm install --save-dev typescript` gives today (TypeScript 7, which has no JavaScript compiler API), then the
 * README's own `main.ts` and `tsconfig.json` run with `npx synth` and type-checked with the project's `tsc`.
 *
 * Only the package registry is used. The installed project is cached under .cache/packed-install/<tarball hash>, so
 * a re-run with an unchanged package skips `npm install`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packedCacheRoot as cacheRoot, packRepository, readmeBlock, runCommand as run } from '../fixtures/packed-package';
import { listTree } from '../fixtures/repo';

/** The TypeScript major `npm install --save-dev typescript` installs (`npm view typescript dist-tags`: latest 7.0.2). */
const USER_TYPESCRIPT = 'typescript@7';
const USER_VITEST = 'vitest@4';

let project: string;
let tarball: string;

beforeAll(() => {
  // Build and pack exactly what `npm publish` would publish.
  const packed = packRepository();
  tarball = packed.tarball;
  const hash = packed.hash;

  project = path.join(cacheRoot, hash);
  if (!fs.existsSync(path.join(project, '.installed'))) {
    fs.rmSync(project, { recursive: true, force: true });
    fs.mkdirSync(project, { recursive: true });
    fs.copyFileSync(tarball, path.join(project, 'cdk8s-dataops.tgz'));
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-platform', version: '1.0.0', private: true }, null, 2));
    // The README's install commands, with the package from the tarball instead of the registry.
    const log: string[] = [];
    for (const args of [['./cdk8s-dataops.tgz'], ['--save-dev', USER_TYPESCRIPT, USER_VITEST]]) {
      const r = run('npm', ['install', '--no-audit', '--no-fund', ...args], project);
      if (r.code !== 0) throw new Error(`npm install ${args.join(' ')} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
      log.push(r.stdout, r.stderr);
    }
    fs.writeFileSync(path.join(project, 'install.log'), log.join('\n'));
    fs.writeFileSync(path.join(project, '.installed'), new Date().toISOString());
  }
  // The README's package.json scripts (`npm run synth` is the CI form).
  const pkgFile = path.join(project, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  pkg.scripts = JSON.parse(readmeBlock('Use it in your own repository', '`package.json` scripts:', 'json'));
  fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
  for (const f of ['main.ts', 'tsconfig.json']) fs.rmSync(path.join(project, f), { force: true });
  fs.rmSync(path.join(project, 'dist'), { recursive: true, force: true });
}, 900_000);

describe('the packed package, installed next to TypeScript 7', () => {
  it('the project really has TypeScript 7 (no JavaScript compiler API), and the package its own TypeScript', () => {
    const userTs = JSON.parse(fs.readFileSync(path.join(project, 'node_modules/typescript/package.json'), 'utf8'));
    expect(userTs.version).toMatch(/^7\./);
    const ownTs = JSON.parse(fs.readFileSync(path.join(project, 'node_modules/cdk8s-dataops/node_modules/typescript/package.json'), 'utf8'));
    expect(ownTs.version).toMatch(/^5\./);
  });

  it(`installs on this Node (${process.version}) without EBADENGINE warnings: every dependency supports the Node versions we declare`, () => {
    const log = fs.readFileSync(path.join(project, 'install.log'), 'utf8');
    expect(log.split('\n').filter((l) => l.includes('EBADENGINE'))).toEqual([]);
    const pkg = JSON.parse(fs.readFileSync(path.join(project, 'node_modules/cdk8s-dataops/package.json'), 'utf8'));
    expect(pkg.engines.node).toBe('>= 20.0.0');
  });

  it("runs the README's main.ts with `npx synth` (exit 0, files in dist)", () => {
    fs.writeFileSync(path.join(project, 'main.ts'), readmeBlock('Use it in your own repository', '`main.ts`:', 'ts'));
    const r = run('npx', ['--no-install', 'synth'], project);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^✔ synthesized 2 environments \(staging, prod\) into dist in /);
    const files = listTree(path.join(project, 'dist'));
    expect(files).toContain('.cdk8s-dataops.json');
    expect(files.filter((f) => f.startsWith('manifests/prod/') && f.includes('kafkatopic.payments.orders.v1')).length).toBe(1);
    expect(files.filter((f) => f.startsWith('manifests/staging/') && f.includes('kafkatopic.payments.orders.v1')).length).toBe(1);
    // the CI form from the README: the package.json script
    const check = run('npm', ['run', '--silent', 'synth', '--', '--check'], project);
    expect([check.code, check.stderr]).toEqual([0, '']);
    expect(check.stdout).toMatch(/^✔ dist is up to date \(\d+ files\)\n$/);
  });

  it('refuses the same example with both environments on one cluster (they would fight over every object), naming both', () => {
    const main = readmeBlock('Use it in your own repository', '`main.ts`:', 'ts');
    expect(main).toContain(", cluster: name }");
    fs.writeFileSync(path.join(project, 'main.ts'), main.replace(', cluster: name }', ' }'));
    const r = run('npx', ['--no-install', 'synth'], project);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([
      "error environments 'staging' and 'prod' both deploy 6 objects to the same cluster (neither sets one), where their GitOps applications would fight over them:",
      "    KafkaTopic 'payments.orders.v1' in namespace 'kafka': staging/orders/raw and prod/orders/raw",
    ]);
  });

  it("type-checks main.ts with the README's tsconfig.json and the project's own tsc (TypeScript 7)", () => {
    fs.writeFileSync(path.join(project, 'main.ts'), readmeBlock('Use it in your own repository', '`main.ts`:', 'ts'));
    const tsconfig = readmeBlock('Use it in your own repository', '`tsconfig.json`:', 'json');
    fs.writeFileSync(path.join(project, 'tsconfig.json'), tsconfig);
    const ok = run('npx', ['--no-install', 'tsc', '--noEmit'], project);
    expect([ok.code, ok.stdout, ok.stderr]).toEqual([0, '', '']);
    // and the check is real: a type error fails it
    fs.appendFileSync(path.join(project, 'main.ts'), "const typo: number = 'three';\n");
    const bad = run('npx', ['--no-install', 'tsc', '--noEmit'], project);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toContain("Type 'string' is not assignable to type 'number'");
  });

  it('a run with unchanged app files loads no transpiler (ts-node, TypeScript, swc): cached, with stack traces still in the .ts', () => {
    fs.writeFileSync(path.join(project, 'main.ts'), readmeBlock('Use it in your own repository', '`main.ts`:', 'ts'));
    // Refuses to load the transpiler's pieces, so a run that needs them fails.
    fs.writeFileSync(path.join(project, 'no-transpiler.js'), [
      "const Module = require('node:module');",
      'const load = Module._load;',
      'Module._load = function (request, ...rest) {',
      "  if (/^(ts-node|typescript|@swc\\/wasm)([\\/]|$)/.test(request)) throw new Error(`the transpiler was loaded (${request})`);",
      '  return load.call(this, request, ...rest);',
      '};',
    ].join('\n'));
    const noTranspiler = { NODE_OPTIONS: `--require ${path.join(project, 'no-transpiler.js')}` };
    fs.rmSync(path.join(project, 'node_modules/.cache/cdk8s-dataops/ts'), { recursive: true, force: true });
    const first = run('npx', ['--no-install', 'synth'], project, noTranspiler);
    expect(first.code).toBe(2); // the refusal is real: with nothing cached, the run needs the transpiler
    expect(first.stderr).toContain('the transpiler was loaded');
    expect(run('npx', ['--no-install', 'synth'], project).code).toBe(0); // fills the cache
    const warm = run('npx', ['--no-install', 'synth', '--check'], project, noTranspiler);
    expect([warm.code, warm.stderr]).toEqual([0, '']);
    // An error thrown by the app still points at its line in main.ts (source maps of cached files).
    fs.appendFileSync(path.join(project, 'main.ts'), "\nfunction fail(): never { throw new Error('boom'); }\nfail();\n");
    expect(run('npx', ['--no-install', 'synth'], project).code).toBe(2); // transpiled once, cached
    const line = fs.readFileSync(path.join(project, 'main.ts'), 'utf8').split('\n').findIndex((l) => l.includes("throw new Error('boom')")) + 1;
    const failed = run('npx', ['--no-install', 'synth', '--verbose'], project, noTranspiler);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(`main.ts:${line}:`);
  });

  it('says what to do (exit 2) when the loader itself cannot start', () => {
    fs.writeFileSync(path.join(project, 'main.ts'), readmeBlock('Use it in your own repository', '`main.ts`:', 'ts'));
    // Nothing cached: the app has to be transpiled (a run with cached output would not load the damaged piece at all).
    fs.rmSync(path.join(project, 'node_modules/.cache/cdk8s-dataops/ts'), { recursive: true, force: true });
    // A broken installation: the package's own swc cannot be loaded.
    fs.writeFileSync(path.join(project, 'break-swc.js'), [
      "const Module = require('node:module');",
      'const load = Module._load;',
      'Module._load = function (request, ...rest) {',
      "  if (/@swc[\\\\/]wasm/.test(request)) throw new Error('simulated damage: @swc/wasm is missing');",
      '  return load.call(this, request, ...rest);',
      '};',
    ].join('\n'));
    const r = run('npx', ['--no-install', 'synth'], project, { NODE_OPTIONS: `--require ${path.join(project, 'break-swc.js')}` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error cannot load TypeScript apps: .*reinstall with 'npm ci'/);
  });

  it('ships no source map that points at a file it does not ship, and no repository-only package.json keys', () => {
    const pkgDir = path.join(project, 'node_modules/cdk8s-dataops');
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    expect(pkg['cdk8s-dataops']).toBeUndefined();
    expect(pkg.devDependencies?.['cdk8s-dataops']).toBeUndefined();
    const maps = listTree(pkgDir).filter((f) => f.endsWith('.js.map') && !f.startsWith('node_modules/'));
    expect(maps.length).toBeGreaterThan(50);
    const dangling: string[] = [];
    for (const m of maps) {
      const map = JSON.parse(fs.readFileSync(path.join(pkgDir, m), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      map.sources.forEach((s, i) => {
        if (typeof map.sourcesContent?.[i] === 'string') return;
        if (!fs.existsSync(path.resolve(path.dirname(path.join(pkgDir, m)), s))) dangling.push(`${m} → ${s}`);
      });
    }
    expect(dangling).toEqual([]);
  });
});
