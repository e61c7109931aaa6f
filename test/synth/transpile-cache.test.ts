import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TranspileCache } from '../../synth/transpile-cache';

const repoRoot = path.resolve(__dirname, '../..');
const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'transpile-cache-'));
  dirs.push(d);
  return d;
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const DAY = 24 * 60 * 60 * 1000;

/** A project folder with a node_modules, and its cache folder. */
function project(): { dir: string; cacheDir: string } {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, 'node_modules'));
  return { dir, cacheDir: path.join(dir, 'node_modules', '.cache', 'cdk8s-dataops', 'ts') };
}

/** Sets a file's mtime (and atime) `days` back from now: when it was last used, for the cache. */
function lastUsed(file: string, days: number): void {
  const t = new Date(Date.now() - days * DAY);
  fs.utimesSync(file, t, t);
}

/** How long ago a file was last used, in days. */
function daysSinceUse(file: string): number {
  return (Date.now() - fs.statSync(file).mtimeMs) / DAY;
}

/** Keeps an output for `source` of `main.ts` and returns the entry file it became. */
function addEntry(cache: TranspileCache, p: { dir: string; cacheDir: string }, source: string): string {
  const before = new Set(fs.existsSync(p.cacheDir) ? fs.readdirSync(p.cacheDir) : []);
  cache.set(path.join(p.dir, 'main.ts'), source, '{}', `/* ${source} */`);
  const added = fs.readdirSync(p.cacheDir).filter((n) => !before.has(n) && n.endsWith('.js'));
  expect(added).toHaveLength(1);
  return path.join(p.cacheDir, added[0]);
}

describe('TranspileCache', () => {
  it('keeps outputs in node_modules/.cache/cdk8s-dataops/ts of the nearest folder with a node_modules', () => {
    const project = tmp();
    fs.mkdirSync(path.join(project, 'node_modules'));
    fs.mkdirSync(path.join(project, 'apps', 'one'), { recursive: true });
    const file = path.join(project, 'apps', 'one', 'main.ts');
    const cache = TranspileCache.near(path.dirname(file), 'loader@1');
    expect(cache.get(file, 'const a = 1;', '{}')).toBeUndefined();
    cache.set(file, 'const a = 1;', '{}', 'var a = 1;');
    expect(fs.readdirSync(path.join(project, 'node_modules', '.cache', 'cdk8s-dataops', 'ts')).filter((n) => n.endsWith('.js'))).toHaveLength(1);
    // a new process (a new instance) finds it
    expect(TranspileCache.near(path.dirname(file), 'loader@1').get(file, 'const a = 1;', '{}')).toBe('var a = 1;');
  });

  it('never answers for other content, options, file or loader', () => {
    const project = tmp();
    fs.mkdirSync(path.join(project, 'node_modules'));
    const file = path.join(project, 'main.ts');
    TranspileCache.near(project, 'loader@1').set(file, 'const a = 1;', '{}', 'var a = 1;');
    const cache = TranspileCache.near(project, 'loader@1');
    expect(cache.get(file, 'const a = 2;', '{}')).toBeUndefined();
    expect(cache.get(file, 'const a = 1;', '{"experimentalDecorators":true}')).toBeUndefined();
    expect(cache.get(path.join(project, 'other.ts'), 'const a = 1;', '{}')).toBeUndefined();
    expect(TranspileCache.near(project, 'loader@2').get(file, 'const a = 1;', '{}')).toBeUndefined();
  });

  it('keeps small JSON documents beside the entries', () => {
    const project = tmp();
    fs.mkdirSync(path.join(project, 'node_modules'));
    const cache = TranspileCache.near(project, 'loader@1');
    expect(cache.readJson('tsconfig-x')).toBeUndefined();
    cache.writeJson('tsconfig-x', { options: { experimentalDecorators: true } });
    expect(TranspileCache.near(project, 'loader@1').readJson('tsconfig-x')).toEqual({ options: { experimentalDecorators: true } });
  });

  it('keeps nothing without a node_modules above the app, and a read-only cache folder costs nothing but the cache', () => {
    const bare = tmp();
    const file = path.join(bare, 'main.ts');
    const none = TranspileCache.near(bare, 'loader@1');
    none.set(file, 'x', '{}', 'y');
    expect(none.get(file, 'x', '{}')).toBeUndefined();
    expect(fs.readdirSync(bare)).toEqual([]);

    const project = tmp();
    fs.mkdirSync(path.join(project, 'node_modules', '.cache', 'cdk8s-dataops'), { recursive: true });
    fs.writeFileSync(path.join(project, 'node_modules', '.cache', 'cdk8s-dataops', 'ts'), 'a file where the folder would be');
    const blocked = TranspileCache.near(project, 'loader@1');
    expect(() => blocked.set(path.join(project, 'main.ts'), 'x', '{}', 'y')).not.toThrow();
    expect(blocked.get(path.join(project, 'main.ts'), 'x', '{}')).toBeUndefined();
  });

  describe('pruning', () => {
    it('a miss sweeps what was not used for 30 days; what was used lately, or read in this run, stays', () => {
      const p = project();
      const setup = TranspileCache.near(p.dir, 'loader@1');
      const unused = addEntry(setup, p, 'unused');
      const recent = addEntry(setup, p, 'recent');
      const read = addEntry(setup, p, 'read');
      setup.writeJson('tsconfig-live', { live: true });
      setup.writeJson('tsconfig-gone', { live: false });
      const live = path.join(p.cacheDir, 'tsconfig-live.json');
      const gone = path.join(p.cacheDir, 'tsconfig-gone.json');
      const leftover = path.join(p.cacheDir, `${path.basename(unused)}.4242.tmp`); // a write that never finished
      fs.writeFileSync(leftover, 'half');
      for (const f of [unused, read, live, gone, leftover]) lastUsed(f, 40);
      lastUsed(recent, 5);
      lastUsed(path.join(p.cacheDir, '.last-sweep'), 2);

      // the next run reads its decorator options and one entry, then misses
      const run = TranspileCache.near(p.dir, 'loader@1');
      expect(run.readJson('tsconfig-live')).toEqual({ live: true });
      expect(run.get(path.join(p.dir, 'main.ts'), 'read', '{}')).toBe('/* read */');
      const added = addEntry(run, p, 'added');

      expect(fs.readdirSync(p.cacheDir).sort()).toEqual(
        ['.last-sweep', ...[recent, read, live, added].map((f) => path.basename(f))].sort());
      expect(daysSinceUse(path.join(p.cacheDir, '.last-sweep'))).toBeLessThan(0.01);
    });

    it('a hit keeps a file alive: its mtime is set to now once it is more than a day old, and left alone before', () => {
      const p = project();
      const setup = TranspileCache.near(p.dir, 'loader@1');
      const old = addEntry(setup, p, 'old');
      const young = addEntry(setup, p, 'young');
      setup.writeJson('doc', { x: 1 });
      const doc = path.join(p.cacheDir, 'doc.json');
      lastUsed(old, 10);
      lastUsed(doc, 10);
      lastUsed(young, 2 / 24);
      const youngMtime = fs.statSync(young).mtimeMs;

      const run = TranspileCache.near(p.dir, 'loader@1');
      expect(run.get(path.join(p.dir, 'main.ts'), 'old', '{}')).toBe('/* old */');
      expect(run.get(path.join(p.dir, 'main.ts'), 'young', '{}')).toBe('/* young */');
      expect(run.readJson('doc')).toEqual({ x: 1 });
      expect(daysSinceUse(old)).toBeLessThan(0.01);
      expect(daysSinceUse(doc)).toBeLessThan(0.01);
      expect(fs.statSync(young).mtimeMs).toBe(youngMtime); // no write for a file used within the day
      // an mtime in the future (a clock set back) is set to now too, or the file would never look old
      lastUsed(old, -3);
      run.get(path.join(p.dir, 'main.ts'), 'old', '{}');
      expect(Math.abs(daysSinceUse(old))).toBeLessThan(0.01);
    });

    it('sweeps at most once a day, and never in a run without a miss', () => {
      const p = project();
      const marker = path.join(p.cacheDir, '.last-sweep');
      const hit = addEntry(TranspileCache.near(p.dir, 'loader@1'), p, 'hit');
      const old = addEntry(TranspileCache.near(p.dir, 'loader@1'), p, 'old');
      lastUsed(old, 40);

      // a warm run (hits only) does not sweep, however old the last sweep
      lastUsed(marker, 2);
      expect(TranspileCache.near(p.dir, 'loader@1').get(path.join(p.dir, 'main.ts'), 'hit', '{}')).toBe('/* hit */');
      expect(fs.existsSync(old)).toBe(true);
      expect(daysSinceUse(marker)).toBeGreaterThan(1.9);

      // a miss within a day of the last sweep does not sweep
      lastUsed(marker, 23 / 24);
      addEntry(TranspileCache.near(p.dir, 'loader@1'), p, 'miss 1');
      expect(fs.existsSync(old)).toBe(true);

      // a miss a day after it does, and says so in the marker
      lastUsed(marker, 25 / 24);
      addEntry(TranspileCache.near(p.dir, 'loader@1'), p, 'miss 2');
      expect(fs.existsSync(old)).toBe(false);
      expect(daysSinceUse(marker)).toBeLessThan(0.01);
      expect(fs.existsSync(hit)).toBe(true);

      // so the next run's miss does not
      const older = addEntry(TranspileCache.near(p.dir, 'loader@1'), p, 'older');
      lastUsed(older, 40);
      addEntry(TranspileCache.near(p.dir, 'loader@1'), p, 'miss 3');
      expect(fs.existsSync(older)).toBe(true);
    });

    it('a read-only cache folder is used as it is: hits, misses and a due sweep throw nothing and change nothing', () => {
      const p = project();
      const setup = TranspileCache.near(p.dir, 'loader@1');
      const old = addEntry(setup, p, 'old');
      const unused = addEntry(setup, p, 'unused');
      setup.writeJson('doc', { x: 1 });
      for (const f of [old, unused, path.join(p.cacheDir, 'doc.json')]) lastUsed(f, 40);
      lastUsed(path.join(p.cacheDir, '.last-sweep'), 2);
      const before = fs.readdirSync(p.cacheDir).sort();
      // root ignores permissions: the run is a child process of an unprivileged user then (the folders readable by it)
      const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      fs.chmodSync(p.dir, 0o755);
      fs.chmodSync(p.cacheDir, 0o555);
      const script = [
        "const path = require('node:path');",
        'const [repo, dir] = process.argv.slice(1);',
        "const from = (m) => require.resolve(m, { paths: [repo] });",
        "require(from('ts-node')).register({ transpileOnly: true, skipProject: true, compiler: from('typescript'), compilerOptions: { module: 'commonjs' } });",
        "const { TranspileCache } = require(path.join(repo, 'synth', 'transpile-cache.ts'));",
        "const cache = TranspileCache.near(dir, 'loader@1');",
        "const file = path.join(dir, 'main.ts');",
        "const hit = cache.get(file, 'old', '{}');",
        "const doc = cache.readJson('doc');",
        "cache.set(file, 'new', '{}', 'var n;');",
        "cache.writeJson('other', { y: 2 });",
        "console.log(JSON.stringify({ hit, doc, miss: cache.get(file, 'new', '{}') ?? null }));",
      ].join('\n');
      try {
        const r = spawnSync(process.execPath, ['-e', script, repoRoot, p.dir], { encoding: 'utf8', timeout: 60_000, ...unprivileged });
        expect([r.status, r.stderr]).toEqual([0, '']);
        expect(JSON.parse(r.stdout)).toEqual({ hit: '/* old */', doc: { x: 1 }, miss: null });
      } finally {
        fs.chmodSync(p.cacheDir, 0o755);
      }
      expect(fs.readdirSync(p.cacheDir).sort()).toEqual(before);
      if (unprivileged.uid !== undefined) expect(daysSinceUse(old)).toBeGreaterThan(39); // could not be refreshed
    });
  });
});
