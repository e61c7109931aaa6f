#!/usr/bin/env node
/**
 * The synth benchmark (`npm run bench`): figures, never assertions. It measures what a user waits for: the COMPILED
 * command line from the PACKED package, each run in a process of its own, on a generated realistic platform
 * (scripts/bench-platform.ts: topics, users with grants, pipelines, streaming apps, schemas, connectors, dbt jobs,
 * GitOps delivery), and in the same run, on the same objects:
 *
 *   ours     `synth` into an empty dist                      rerun   `synth` again, nothing changed (runs the app;
 *                                                                     2 s later, so that it is recorded for replay)
 *   replay   `synth` once more: replays the recorded run      check   `synth --check` on the up-to-date dist (runs the app)
 *   raw      `yaml.stringify` + one writeFileSync per object
 *   cdk8s    plain cdk8s: the objects as ApiObjects of one Chart, `App.synth()` with YamlOutputType.FILE_PER_RESOURCE
 *   cold     `synth` of the repository example (examples/data-platform, ~150 files) into an empty dist; the first run
 *            has nothing cached (it transpiles the app) and is reported on its own
 *
 * Each is a whole process (node start, module loading, the app, the writes); wall time and peak RSS (the child's
 * own `process.resourceUsage().maxRSS`) are recorded. Measurements run in rounds (each round runs each once), so
 * load on a shared machine affects all alike; the table shows medians, the spread (min–max) and ratios of medians.
 *
 * Environment:
 *   BENCH_SIZES   topic counts, comma-separated (`1k`, `10k` allowed)   default 1k,10k,50k
 *   BENCH_RUNS    rounds per size                                       default 3
 *   BENCH_ONLY    measurements to run, comma-separated                  default all (ours,rerun,replay,check,raw,cdk8s,cold)
 *   BENCH_OUT     output folder (git-ignored)                           default bench-out
 *   BENCH_BUILD   0 to reuse out/ as it is instead of compiling         default 1
 *   BENCH_PROFILE 1 to write a CPU profile of each `ours` run (node --cpu-prof) to BENCH_OUT/profiles
 *   BENCH_NODE    the node binary of every measured process (ours and the baselines)  default this one
 * `node scripts/bench.js --micro [...]` runs the older in-process micro-benchmark (scripts/bench-synth.ts).
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
/** The node that runs every measured process (BENCH_NODE: compare Node versions on the same objects). */
const nodeBin = process.env.BENCH_NODE ? path.resolve(process.env.BENCH_NODE) : process.execPath;
const nodeVersion = nodeBin === process.execPath ? process.version : execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();

if (process.argv[2] === '--micro') {
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'bench-micro.js'), ...process.argv.slice(3)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const sizes = (process.env.BENCH_SIZES ?? '1k,10k,50k').split(',').map((s) => Number(s.trim().replace(/k$/i, '000')));
const runs = Number(process.env.BENCH_RUNS ?? 3);
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;
const want = (m) => !only || only.has(m);
const out = path.resolve(root, process.env.BENCH_OUT ?? 'bench-out');
const compileCache = path.join(out, 'node-compile-cache');
if (sizes.some((n) => !Number.isInteger(n) || n < 10) || !Number.isInteger(runs) || runs < 1) {
  console.error('BENCH_SIZES: integers of at least 10 (e.g. 1k,10k,50k); BENCH_RUNS: a positive integer');
  process.exit(2);
}

// ---- the project a user would have: the packed package installed, the app as main.ts --------------------------------

function prepare() {
  fs.mkdirSync(out, { recursive: true });
  if (process.env.BENCH_BUILD !== '0') {
    log('compiling (tsc -p tsconfig.json) ...');
    run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], root, true);
  }
  log('packing (npm pack) ...');
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: root, encoding: 'utf8' }))[0];
  const project = path.join(out, 'project');
  fs.rmSync(project, { recursive: true, force: true });
  const pkgDir = path.join(project, 'node_modules', 'cdk8s-dataops');
  fs.mkdirSync(pkgDir, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(out, packed.filename), '-C', pkgDir, '--strip-components=1']);
  fs.rmSync(path.join(out, packed.filename));
  // The package's dependencies as npm would install them beside it: the repository's own node_modules (same lock file).
  for (const entry of fs.readdirSync(path.join(root, 'node_modules'))) {
    if (entry === 'cdk8s-dataops' || entry.startsWith('.')) continue;
    fs.symlinkSync(path.join(root, 'node_modules', entry), path.join(project, 'node_modules', entry));
  }
  const app = (dir, main) => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), private: true, 'cdk8s-dataops': { app: 'main.ts' } }, null, 2));
    fs.copyFileSync(main, path.join(dir, 'main.ts'));
  };
  app(path.join(project, 'platform'), path.join(__dirname, 'bench-platform.ts'));
  app(path.join(project, 'small'), path.join(root, 'examples', 'data-platform', 'main.ts'));
  // In a folder of its own: a preloaded module's folder is an input of the replay record, and rss-*.txt files land in `out`.
  fs.mkdirSync(path.dirname(preload), { recursive: true });
  fs.writeFileSync(preload,
    "process.on('exit', () => { const u = process.resourceUsage(); require('node:fs').writeFileSync(process.env.BENCH_RSS_FILE, " +
    "JSON.stringify({ rss: u.maxRSS * 1024, cpu: (u.userCPUTime + u.systemCPUTime) / 1000 })); });\n");
  fs.copyFileSync(path.join(__dirname, 'bench-baselines.js'), path.join(project, 'baselines.js'));
  return { project, pkgDir, version: packed.version };
}

// ---- one measured process -------------------------------------------------------------------------------------------

/**
 * Lets the disk settle before a measured run: removing tens of thousands of files (the previous dist, the baselines'
 * output) leaves journal commits and discards behind that would otherwise land in whichever run comes next (seen as
 * the same write taking 1 s or 4 s). Users do not delete 60,000 files right before every synth.
 */
function settle() {
  spawnSync('sync');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}

/** Runs a node process, returns wall ms and peak RSS bytes; fails loudly when it fails. */
function measure(args, cwd, env = {}, profileName) {
  settle();
  const rssFile = path.join(out, `rss-${process.pid}.txt`);
  fs.rmSync(rssFile, { force: true });
  const profile = profileName && process.env.BENCH_PROFILE === '1'
    ? ['--cpu-prof', `--cpu-prof-dir=${path.join(out, 'profiles')}`, `--cpu-prof-name=${profileName}-${Date.now()}.cpuprofile`] : [];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(nodeBin, [...profile, ...args], {
    cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env, ...env, NODE_OPTIONS: `--require ${preload}`, BENCH_RSS_FILE: rssFile, NO_COLOR: '1',
      NODE_COMPILE_CACHE: compileCache, // Node 22.1+ (bin/synth.js enables it): kept here, so that a cold run can clear it
    },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && !(env.BENCH_EXPECT_STATUS && Number(env.BENCH_EXPECT_STATUS) === r.status)) {
    throw new Error(`${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  const { rss, cpu } = JSON.parse(fs.readFileSync(rssFile, 'utf8'));
  return { ms, rss, cpu, stdout: r.stdout, stderr: r.stderr };
}

function run(cmd, args, cwd, inherit) {
  const r = spawnSync(cmd, args, { cwd, stdio: inherit ? 'inherit' : 'pipe', encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}${inherit ? '' : `:\n${r.stdout}\n${r.stderr}`}`);
  return r.stdout;
}

// ---- statistics and output ------------------------------------------------------------------------------------------

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1], n: s.length };
}

/** Preloaded into every measured process: writes its peak RSS and CPU time at exit. */
const preload = path.join(out, 'preload', 'rss.js');

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function log(line) {
  process.stdout.write(`${line}\n`);
}

const LABELS = {
  ours: 'ours: synth, fresh dist', rerun: 'ours: re-run, nothing changed', replay: 'ours: re-run again (replayed)', check: 'ours: synth --check',
  raw: 'raw yaml.stringify + writeFileSync', cdk8s: 'plain cdk8s App.synth, file per resource', cold: 'small app (example) cold synth',
};

function main() {
  const started = new Date();
  log(`cdk8s-dataops synth benchmark: node ${nodeVersion}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? '?'}), ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; sizes ${sizes.join(', ')} topics, ${runs} round(s)`);
  const { project, pkgDir, version } = prepare();
  const synthJs = path.join(pkgDir, 'bin', 'synth.js');
  const platformDir = path.join(project, 'platform');
  const results = { date: started.toISOString(), node: nodeVersion, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, version, loadBefore: os.loadavg(), sizes: [] };

  if (want('cold')) {
    // The first run has nothing cached (the app's transpiled files, node_modules/.cache/cdk8s-dataops/ts): it loads
    // ts-node, TypeScript and swc. The later ones are what a user waits for on every run after that.
    const small = path.join(project, 'small');
    fs.rmSync(path.join(project, 'node_modules', '.cache', 'cdk8s-dataops'), { recursive: true, force: true });
    fs.rmSync(compileCache, { recursive: true, force: true });
    const samples = [];
    for (let i = 0; i < Math.max(5, runs) + 1; i++) {
      fs.rmSync(path.join(small, 'dist'), { recursive: true, force: true });
      samples.push(measure([synthJs], small, {}, 'cold'));
    }
    const [first, ...warm] = samples;
    const objects = Number(/(\d+) written/.exec(first.stdout)?.[1] ?? NaN);
    results.cold = {
      files: objects, ms: stats(warm.map((s) => s.ms)), cpu: stats(warm.map((s) => s.cpu)), rss: stats(warm.map((s) => s.rss)),
      first: { ms: first.ms, cpu: first.cpu, rss: first.rss },
    };
    log(`\nsmall app cold synth (${objects} files, empty dist): median ${fmtMs(results.cold.ms.median)} (${fmtMs(results.cold.ms.min)}–${fmtMs(results.cold.ms.max)}), ` +
      `CPU ${fmtMs(results.cold.cpu.median)}, peak RSS ${fmtMb(results.cold.rss.median)}; ` +
      `the very first run (nothing cached, transpiles the app) ${fmtMs(first.ms)}, CPU ${fmtMs(first.cpu)}, peak RSS ${fmtMb(first.rss)}`);
  }

  for (const topics of sizes) {
    const env = { BENCH_TOPICS: String(topics) };
    const dist = path.join(platformDir, 'dist');
    // The same objects for the baselines: the platform resolved once, untimed.
    const objectsFile = path.join(out, `objects-${topics}.json`);
    const dump = measure([path.join(project, 'baselines.js'), 'dump', 'main.ts', objectsFile], platformDir, env);
    const objectCount = Number(dump.stdout.trim());
    log(`\n${topics} topics: ${objectCount} Kubernetes objects`);
    const samples = Object.fromEntries(Object.keys(LABELS).filter((k) => k !== 'cold').map((k) => [k, []]));
    let files;
    for (let round = 0; round < runs; round++) {
      if (want('ours') || want('rerun') || want('replay') || want('check')) {
        fs.rmSync(dist, { recursive: true, force: true });
        const fresh = measure([synthJs], platformDir, env, `ours-${topics}`);
        files = Number(/(\d+) written/.exec(fresh.stdout)?.[1] ?? NaN);
        if (want('ours')) samples.ours.push(fresh);
        let again;
        if (want('rerun') || want('replay')) {
          // A run is recorded for replay only when nothing it read or found in dist changed in the 2 s before it started.
          sleep(2_100);
          again = measure([synthJs], platformDir, env, `rerun-${topics}`);
          const written = Number(/(\d+) written/.exec(again.stdout)?.[1] ?? NaN);
          if (written !== 0) throw new Error(`the re-run wrote ${written} files; the output is not deterministic:\n${again.stdout}`);
          if (again.stdout.includes('replayed:')) throw new Error(`the re-run was replayed; it should have run the app:\n${again.stdout}`);
          if (want('rerun')) samples.rerun.push(again);
        }
        if (want('replay')) {
          const replayed = measure([synthJs], platformDir, env, `replay-${topics}`);
          if (!replayed.stdout.includes('replayed:')) throw new Error(`the second re-run was not replayed:\n${replayed.stdout}\n${again?.stderr ?? ''}`);
          samples.replay.push(replayed);
        }
        if (want('check')) samples.check.push(measure([synthJs, '--check'], platformDir, env, `check-${topics}`));
      }
      for (const baseline of ['raw', 'cdk8s']) {
        if (!want(baseline)) continue;
        const dir = path.join(out, `${baseline}-out`);
        fs.rmSync(dir, { recursive: true, force: true });
        samples[baseline].push(measure([path.join(project, 'baselines.js'), baseline, objectsFile, dir], project));
        fs.rmSync(dir, { recursive: true, force: true });
      }
      process.stdout.write(`  round ${round + 1}/${runs} done (load ${os.loadavg()[0].toFixed(2)})\n`);
    }
    fs.rmSync(objectsFile, { force: true });
    const size = { topics, objects: objectCount, files, measurements: {} };
    for (const [k, s] of Object.entries(samples)) {
      if (s.length > 0) size.measurements[k] = { ms: stats(s.map((x) => x.ms)), cpu: stats(s.map((x) => x.cpu)), rss: stats(s.map((x) => x.rss)) };
    }
    results.sizes.push(size);
    printSize(size);
  }
  results.loadAfter = os.loadavg();
  printSummary(results);
  const file = path.join(out, `bench-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nresults: ${path.relative(process.cwd(), file)}`);
}

function fmtMs(ms) {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function fmtMb(bytes) {
  return `${Math.round(bytes / 2 ** 20)} MB`;
}

function printSize(size) {
  const m = size.measurements;
  const width = Math.max(...Object.values(LABELS).map((l) => l.length));
  log(`  ${'measurement'.padEnd(width)}  ${'median'.padStart(8)}  ${'spread'.padStart(17)}  ${'CPU'.padStart(8)}  ${'peak RSS'.padStart(8)}  ${'× raw'.padStart(6)}  ${'× cdk8s'.padStart(7)}  ${'× ours'.padStart(6)}`);
  for (const [k, v] of Object.entries(m)) {
    const ratio = (base) => (m[base] ? (v.ms.median / m[base].ms.median).toFixed(2) : '-');
    log(`  ${LABELS[k].padEnd(width)}  ${fmtMs(v.ms.median).padStart(8)}  ${`${fmtMs(v.ms.min)}–${fmtMs(v.ms.max)}`.padStart(17)}  ${fmtMs(v.cpu.median).padStart(8)}  ${fmtMb(v.rss.median).padStart(8)}  ` +
      `${ratio('raw').padStart(6)}  ${ratio('cdk8s').padStart(7)}  ${ratio('ours').padStart(6)}`);
  }
}

/** The issue's targets, with this run's figures. */
function printSummary(results) {
  const largest = results.sizes[results.sizes.length - 1];
  const ten = results.sizes.find((s) => s.topics === 10_000);
  const rows = [];
  const m = largest?.measurements ?? {};
  const r = (a, b) => (m[a] && m[b] ? m[a].ms.median / m[b].ms.median : undefined);
  if (largest) {
    rows.push([`${largest.topics} topics: ours / raw`, r('ours', 'raw'), '≤ 1.3']);
    rows.push([`${largest.topics} topics: ours / plain cdk8s`, r('ours', 'cdk8s'), '≤ 0.5']);
    rows.push([`${largest.topics} topics: ours peak RSS (MB)`, m.ours && m.ours.rss.median / 2 ** 20, '≤ 400']);
    rows.push([`${largest.topics} topics: re-run / fresh`, r('rerun', 'ours'), '≤ 0.3']);
    rows.push([`${largest.topics} topics: replayed re-run / fresh`, r('replay', 'ours'), '≤ 0.3']);
    rows.push([`${largest.topics} topics: --check / re-run`, r('check', 'rerun'), '≤ 1']);
    if (ten && ten !== largest && ten.measurements.ours && m.ours) {
      rows.push([`${largest.topics}/${ten.topics} topics time`, m.ours.ms.median / ten.measurements.ours.ms.median, '≤ 5.5']);
    }
  }
  if (results.cold) {
    rows.push(['small app cold (s)', results.cold.ms.median / 1000, '≤ 0.8']);
    rows.push(['small app, very first run (s)', results.cold.first.ms / 1000, '(no target)']);
  }
  log('\ntargets (one run, ratios of medians):');
  for (const [what, value, target] of rows) log(`  ${what.padEnd(38)} ${value === undefined ? '-'.padStart(8) : value.toFixed(2).padStart(8)}   target ${target}`);
  log(`load average before ${results.loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${results.loadAfter.map((l) => l.toFixed(2)).join(' ')}`);
}

try {
  main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
}
