/**
 * `synth init`: the scaffold, its refusals, and, end to end, a new project created by the packed package's own
 * command (`npm exec --package <tarball> -- synth init`), installed (the library from the tarball, TypeScript and
 * vitest from the registry) and run with its own scripts: typecheck, synth, test, synth --check, synth validate.
 *
 * The installed project is cached under .cache/packed-install/init-<tarball hash>: a re-run with an unchanged package
 * skips `npm exec` and `npm install` but runs every script again on a fresh dist/.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { initFiles } from '../../synth/commands/init-templates';
import { packedCacheRoot, packRepository, readmeBlock, runCommand } from '../fixtures/packed-package';
import { listTree, runSynth } from '../fixtures/repo';

describe('synth init (from the sources)', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-init-'));
  });

  it('writes the scaffold into a new folder and says what to run next', () => {
    const r = runSynth(['init', 'my-platform', '--gitops', 'flux'], tmp);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('✔ created a platform (flux) in my-platform');
    expect(r.stdout).toContain('next: cd my-platform && npm install && npm run synth && npm test');
    const dir = path.join(tmp, 'my-platform');
    expect(listTree(dir).sort()).toEqual(['.github/workflows/platform.yml', '.gitignore', 'main.ts', 'package.json', 'platform.test.ts', 'platform.ts', 'tsconfig.json', 'vitest.config.mts']);
    expect(fs.readFileSync(path.join(dir, 'platform.ts'), 'utf8')).toContain("tool: 'flux'");
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('my-platform');
    expect(Object.keys(pkg.dependencies)).toEqual(['cdk8s-dataops']);
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['typescript', 'vitest']);
  });

  it("uses the README's tsconfig.json and package.json scripts", () => {
    const files = initFiles({ name: 'x', libraryVersion: 'latest', gitops: 'argocd' });
    expect(JSON.parse(files['tsconfig.json'])).toEqual(JSON.parse(readmeBlock('Use it in your own repository', '`tsconfig.json`:', 'json')));
    expect(JSON.parse(files['package.json']).scripts).toEqual(JSON.parse(readmeBlock('Use it in your own repository', '`package.json` scripts:', 'json')));
  });

  it('has a GitHub Actions workflow that installs, type-checks, tests, checks dist and uploads policy.sarif', () => {
    const wf = parse(initFiles({ name: 'x', libraryVersion: 'latest', gitops: 'argocd' })['.github/workflows/platform.yml']);
    const steps = wf.jobs.platform.steps as { run?: string; uses?: string; with?: Record<string, string> }[];
    expect(steps.filter((s) => s.run).map((s) => s.run)).toEqual([
      'npm ci', 'npm run typecheck', 'npm test', 'npm run synth -- --check', 'npm run synth -- validate',
    ]);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with?.sarif_file).toBe('dist/reports/policy.sarif');
    expect(wf.permissions['security-events']).toBe('write');
  });

  it('initialises the current folder when it is empty', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'here-'));
    const r = runSynth(['init', '-q'], dir);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(fs.readFileSync(path.join(dir, 'platform.ts'), 'utf8')).toContain("tool: 'argocd'");
  });

  it('refuses a folder that is not empty (exit 2), writing nothing', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'full-'));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const r = runSynth(['init', path.basename(dir)], tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error cannot create a platform in ${path.basename(dir)}: it is not empty (notes.txt). Choose a new or empty folder: synth init my-platform\n`);
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('refuses an unknown GitOps tool with a did-you-mean (exit 2), writing nothing', () => {
    const r = runSynth(['init', 'typo', '--gitops', 'argo'], tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error --gitops 'argo' is not a GitOps tool; did you mean 'argocd'? (one of: argocd, flux)\n");
    expect(fs.existsSync(path.join(tmp, 'typo'))).toBe(false);
  });
});

describe('synth init from the packed package, as a user runs it', () => {
  let project: string;
  const run = (args: string[]) => runCommand('npm', args, project);

  beforeAll(() => {
    const { tarball, hash } = packRepository();
    const root = path.join(packedCacheRoot, `init-${hash}`);
    project = path.join(root, 'my-platform');
    if (!fs.existsSync(path.join(root, '.installed'))) {
      fs.rmSync(root, { recursive: true, force: true });
      fs.mkdirSync(root, { recursive: true });
      // The package's own command creates the project (npm exec installs the tarball and its dependencies).
      const init = runCommand('npm', ['exec', '--yes', `--package=${tarball}`, '--', 'synth', 'init', 'my-platform', '--gitops', 'argocd'], root);
      if (init.code !== 0) throw new Error(`synth init failed (exit ${init.code}):\n${init.stdout}\n${init.stderr}`);
      // The library from the tarball instead of the registry; everything else as written.
      const pkgFile = path.join(project, 'package.json');
      const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
      pkg.dependencies['cdk8s-dataops'] = `file:${tarball}`;
      fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
      const install = runCommand('npm', ['install', '--no-audit', '--no-fund'], project);
      if (install.code !== 0) throw new Error(`npm install failed (exit ${install.code}):\n${install.stdout}\n${install.stderr}`);
      fs.writeFileSync(path.join(root, '.installed'), new Date().toISOString());
    }
    fs.rmSync(path.join(project, 'dist'), { recursive: true, force: true });
  }, 1_200_000);

  it('type-checks with its own TypeScript', () => {
    const r = run(['run', '--silent', 'typecheck']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
  });

  it('synthesizes both environments, the Argo CD bootstrap and the policy reports; --check and validate pass', () => {
    const r = run(['run', '--silent', 'synth']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^✔ synthesized 2 environments \(staging, prod\) into dist in /);
    const files = listTree(path.join(project, 'dist'));
    for (const f of ['reports/policy.sarif', 'manifests/prod/kafka/kafkatopic.orders.raw.v1.yaml', 'manifests/prod/kafka/kafkauser.cleaner.yaml']) expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('bootstrap/argocd/'))).toBe(true);
    const sarif = JSON.parse(fs.readFileSync(path.join(project, 'dist/reports/policy.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.filter((x: { level: string }) => x.level === 'error')).toEqual([]);
    const check = run(['run', '--silent', 'synth', '--', '--check']);
    expect([check.code, check.stderr]).toEqual([0, '']);
    const validate = run(['run', '--silent', 'synth', '--', 'validate']);
    expect([validate.code, validate.stderr]).toEqual([0, '']);
  });

  it('passes its own tests, and they can fail', () => {
    const ok = run(['test']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Tests\s+2 passed/);
    // A real check: one replica in prod fails the scaffolded test.
    const file = path.join(project, 'platform.ts');
    const original = fs.readFileSync(file, 'utf8');
    try {
      fs.writeFileSync(file, original.replace("partitions: env.select({ prod: 12, default: 3 }) });\n    const clean", "partitions: env.select({ prod: 12, default: 3 }), replicas: 1 });\n    const clean"));
      expect(fs.readFileSync(file, 'utf8')).not.toBe(original);
      const bad = run(['test']);
      expect(bad.code).not.toBe(0);
      expect(bad.stdout).toContain('keeps three replicas of every topic in prod');
    } finally {
      fs.writeFileSync(file, original);
    }
  });
});
