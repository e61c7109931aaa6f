/**
 * End-to-end tests of replaying a run that would change nothing: `synth` (and `synth --check`) prints what an earlier
 * steady run printed, without running the app, while nothing that run read has changed. Every case shows that its app
 * replays when nothing changed, then, after a run that records, changes one thing the run read (or does one
 * untraceable thing) and expects the app to run.
 *
 * A run records only when every file it read and every file of dist was changed more than 2 s before it started, so
 * {@link settle} waits (just long enough) before the runs that should record.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../synth/exit-codes';
import { cleanUp, edit, RunResult, runSynth, snapshotTree, statTree, tempRepo, writeFiles } from '../fixtures/repo';

afterEach(cleanUp);
// Every case runs the real command many times (2 to 4 s each).
vi.setConfig({ testTimeout: 300_000 });

const REPLAYED = '  replayed: nothing the run read has changed since it last ran (--no-cache runs the app)';
const SUMMARY = /^✔ synthesized 2 environments \(dev, prod\) into dist in \d+\.\d\d s$/;
const UP_TO_DATE = '✔ dist is up to date (11 files)\n';

/** Sleeps without giving up the thread. */
function sleep(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.ceil(ms));
}

/**
 * Waits until every file and folder of the repository (its dist too, but not the linked node_modules) was last
 * changed more than 2 s ago, so that the next run may record (2.5 s: file times come from a coarse clock).
 */
function settle(repo: string): void {
  let latest = fs.lstatSync(repo).ctimeMs;
  const walk = (dir: string) => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
      if (dir === repo && ent.name === 'node_modules') continue;
      const abs = path.join(dir, ent.name);
      latest = Math.max(latest, fs.lstatSync(abs).ctimeMs);
      if (ent.isDirectory()) walk(abs);
    }
  };
  walk(repo);
  sleep(latest + 2500 - Date.now());
}

/** Every file and folder below `dir` (but node_modules) with everything a write would change: inode, size, mtime and ctime. */
function stateOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (abs: string, rel: string) => {
    for (const ent of fs.readdirSync(abs, { withFileTypes: true })) {
      if (!rel && ent.name === 'node_modules') continue;
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      const st = fs.lstatSync(path.join(abs, ent.name), { bigint: true });
      out.set(r, `${st.ino} ${st.size} ${st.mtimeNs} ${st.ctimeNs}`);
      if (ent.isDirectory()) walk(path.join(abs, ent.name), r);
    }
  };
  walk(dir, '');
  return out;
}

/** The output with the time of the summary line taken out. */
function withoutTime(stdout: string): string {
  return stdout.replace(/^(✔ synthesized .* into \S+ in )\d+\.\d\d s$/m, '$1<time>');
}

/** The time in the summary line, in seconds. */
function timeOf(stdout: string): number {
  const m = / in (\d+\.\d\d) s$/m.exec(stdout);
  if (!m) throw new Error(`no time in ${JSON.stringify(stdout)}`);
  return Number(m[1]);
}

function wasReplayed(run: RunResult): boolean {
  return /^ {2}replayed:/m.test(run.stdout);
}

/** The run ran the app: no replayed line (and it exited with `code`, unless that is null). */
function expectRan(run: RunResult, code: number | null = ExitCode.OK): void {
  expect(wasReplayed(run), `expected the app to run, but it replayed:\n${run.stdout}`).toBe(false);
  if (code !== null) expect(run.code, run.stderr).toBe(code);
}

/** A steady run of the app (wrote and removed nothing, or found dist up to date): one that records. */
function expectSteady(run: RunResult): void {
  expectRan(run);
  expect(run.stdout).toMatch(/^ {2}files: 0 written, \d+ unchanged, 0 removed(, \d+ not ours \(kept\))?$|^✔ dist is up to date/m);
}

/**
 * A run after {@link settle} that may record: a steady run of the app, or a replay when the run before it recorded
 * already (a run records when what it read was changed more than 2 s before it started, which a run right after a
 * change can be: the command takes a while to start).
 */
function expectRecordable(run: RunResult): void {
  if (wasReplayed(run)) expect(run.code).toBe(ExitCode.OK);
  else expectSteady(run);
}

/** `run` replayed `recorded`: the same output (the time aside, measured anew), then the replayed line. */
function expectReplayOf(run: RunResult, recorded: RunResult): void {
  expect(run.code, run.stderr).toBe(ExitCode.OK);
  expect(withoutTime(run.stdout)).toBe(withoutTime(recorded.stdout) + REPLAYED + '\n');
  expect(run.stderr).toBe(recorded.stderr);
}

/** Sets a file's mtime to a whole second in the past, so that {@link editKeepingMtime} can put it back exactly. */
const WHOLE_SECOND = Math.floor(Date.now() / 1000) - 3600;
function roundMtime(file: string): void {
  fs.utimesSync(file, WHOLE_SECOND, WHOLE_SECOND);
}

/** Edits a file without changing its size, mtime or inode (only its ctime tells). */
function editKeepingMtime(file: string, from: string, to: string): void {
  expect(to.length).toBe(from.length);
  const before = fs.statSync(file, { bigint: true });
  expect(before.mtimeNs).toBe(BigInt(WHOLE_SECOND) * 1_000_000_000n);
  edit(file, from, to);
  fs.utimesSync(file, WHOLE_SECOND, WHOLE_SECOND);
  const after = fs.statSync(file, { bigint: true });
  expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
  expect(after.ctimeNs).not.toBe(before.ctimeNs);
}

describe('synth replays a run that would change nothing', () => {
  it('prints the recorded output with the time measured anew and the replayed line, writes nothing; --check, other flags and --no-cache', () => {
    const repo = tempRepo('basic');
    const dist = path.join(repo, 'dist');
    const main = path.join(repo, 'main.ts');
    roundMtime(main);
    expect(runSynth([], repo).stdout).toContain('  files: 11 written, 0 unchanged, 0 removed\n');
    settle(repo);

    const recorded = runSynth([], repo);
    expectSteady(recorded);
    expect(recorded.stdout.split('\n')).toEqual([
      expect.stringMatching(SUMMARY),
      '  dev: 4 objects (KafkaTopic 2, ConfigMap 1, Namespace 1)',
      '  prod: 4 objects (KafkaTopic 2, ConfigMap 1, Namespace 1)',
      '  files: 0 written, 11 unchanged, 0 removed',
      '',
    ]);
    const bytes = snapshotTree(dist);
    const inodes = statTree(dist);
    const state = stateOf(repo);

    const replay = runSynth([], repo);
    expectReplayOf(replay, recorded);
    expect(replay.stdout.split('\n')[0]).toMatch(SUMMARY);
    expect(snapshotTree(dist)).toEqual(bytes);
    expect(statTree(dist)).toEqual(inodes);
    expect(stateOf(repo)).toEqual(state); // nothing in the repository was written, not even touched

    // --check has recordings of its own: the synth recording is not replayed for it, its own is
    const check = runSynth(['--check'], repo);
    expectRan(check);
    expect([check.stdout, check.stderr]).toEqual([UP_TO_DATE, '']);
    const checkAgain = runSynth(['--check'], repo);
    expect([checkAgain.code, checkAgain.stdout, checkAgain.stderr]).toEqual([ExitCode.OK, UP_TO_DATE + REPLAYED + '\n', '']);

    // other flags never share a recording
    const dev = runSynth(['--env', 'dev'], repo);
    expectRan(dev);
    expect(dev.stdout.split('\n')).toEqual([
      expect.stringMatching(/^✔ synthesized 1 environment \(dev\) into dist in \d+\.\d\d s$/),
      '  dev: 4 objects (KafkaTopic 2, ConfigMap 1, Namespace 1)',
      '  files: 0 written, 11 unchanged, 0 removed',
      '',
    ]);

    // --no-cache runs the app
    const noCache = runSynth(['--no-cache'], repo);
    expectRan(noCache);
    expect([withoutTime(noCache.stdout), noCache.stderr]).toEqual([withoutTime(recorded.stdout), '']);
    expect(stateOf(repo)).toEqual(state);

    // main.ts edited within the same size, mtime and inode (a one-digit change): only its ctime tells. --check must
    // not replay "up to date"; synth runs the app and writes the change.
    editKeepingMtime(main, 'partitions: 6 });', 'partitions: 7 });');
    const stale = runSynth(['--check'], repo);
    expectRan(stale, ExitCode.CHECK_FAILED);
    expect(stale.stdout).toContain('  changed  manifests/dev/kafka/kafkatopic.payments.orders.v1.yaml\n');
    const changed = runSynth([], repo);
    expectRan(changed);
    expect(changed.stdout).toMatch(/^ {2}files: [1-9]\d* written, /m);
    for (const env of ['dev', 'prod']) {
      expect(fs.readFileSync(path.join(dist, `manifests/${env}/kafka/kafkatopic.payments.orders.v1.yaml`), 'utf8')).toContain('  partitions: 7\n');
    }
  });

  it('runs the app when dist was changed by hand: a file edited (even keeping its size and mtime), a file added, dist deleted', () => {
    const repo = tempRepo('basic');
    const dist = path.join(repo, 'dist');
    const settings = path.join(dist, 'manifests/prod/payments/configmap.settings.yaml');
    runSynth([], repo);
    roundMtime(settings);
    settle(repo);
    expectSteady(runSynth([], repo));
    const check = runSynth(['--check'], repo);
    expectSteady(check);
    expectReplayOf(runSynth(['--check'], repo), check);
    const bytes = snapshotTree(dist);

    // a dist file edited keeping its size, mtime and inode: --check must not replay (what it then finds is the
    // synthesizer's affair: its own file states cannot see such an edit either)
    editKeepingMtime(settings, 'tier: gold', 'tier: GOLD');
    expectRan(runSynth(['--check'], repo), null);
    // an ordinary edit: synth runs the app and puts the file back
    edit(settings, 'tier: GOLD', 'tier: GOLd');
    const restored = runSynth([], repo);
    expectRan(restored);
    expect(restored.stdout).toContain('  files: 1 written, 10 unchanged, 0 removed\n');
    expect(snapshotTree(dist)).toEqual(bytes);

    // a file added by hand, in a subfolder: the app runs and reports it
    settle(repo);
    expectRecordable(runSynth([], repo));
    writeFiles(dist, { 'manifests/prod/notes.md': 'notes\n' });
    const added = runSynth([], repo);
    expectRan(added);
    expect(added.stdout).toContain('  files: 0 written, 11 unchanged, 0 removed, 1 not ours (kept)\n');

    // dist deleted: the app runs and writes it again
    settle(repo);
    expectRecordable(runSynth([], repo));
    fs.rmSync(dist, { recursive: true });
    const rewritten = runSynth([], repo);
    expectRan(rewritten);
    expect(rewritten.stdout).toContain('  files: 11 written, 0 unchanged, 0 removed\n');
    expect(snapshotTree(dist)).toEqual(bytes);
  });
});

/** An app that reads a module, a JSON file, whether a file exists and an environment variable, and prints. */
const INPUTS_APP = `import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import { DataPlatform, Environment, KafkaCluster, Topic } from 'cdk8s-dataops';
import { TOPICS } from './topics';

const settings = JSON.parse(fs.readFileSync(path.join(__dirname, 'conf', 'settings.json'), 'utf8')) as { tier: string };
const extra = fs.existsSync(path.join(__dirname, 'conf', 'extra.flag'));
const partitions = Number(process.env.PARTITIONS ?? '8');
const names = extra ? [...TOPICS, 'extra'] : TOPICS;
console.log(\`app: \${names.length} topics, PARTITIONS=\${process.env.PARTITIONS ?? '(unset)'}\`);
console.error('app: a note on stderr');

const platform = new DataPlatform();
for (const name of ['dev', 'prod']) {
  const env = new Environment(platform, name, { namespace: 'payments', cluster: name });
  const cluster = KafkaCluster.fromStrimzi(env, 'kafka', { name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093' });
  for (const topic of names) new Topic(env, topic, { cluster, topicName: \`payments.\${topic}.v1\`, partitions });
  new ApiObject(env, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', data: { tier: settings.tier } });
}
platform.synth();
`;

describe('synth runs the app again when something it read changed', () => {
  it('an environment variable it read (changed or unset), a module it imports, a file it read, a file it looked for', () => {
    const repo = tempRepo('basic');
    const dist = path.join(repo, 'dist');
    writeFiles(repo, { 'main.ts': INPUTS_APP, 'topics.ts': "export const TOPICS: string[] = ['orders', 'refunds'];\n", 'conf/settings.json': '{ "tier": "gold" }\n' });
    const json = path.join(repo, 'conf/settings.json');
    roundMtime(json);
    const topic = (env: string, name: string) => path.join(dist, `manifests/${env}/kafka/kafkatopic.payments.${name}.v1.yaml`);
    const partitionsOf = (env: string, name: string) => /^ {2}partitions: (\d+)$/m.exec(fs.readFileSync(topic(env, name), 'utf8'))?.[1];

    expect(runSynth([], repo, { PARTITIONS: '6' }).code).toBe(ExitCode.OK);
    settle(repo);
    const recorded = runSynth([], repo, { PARTITIONS: '6' });
    expectSteady(recorded);
    expect(recorded.stdout.split('\n')[0]).toBe('app: 2 topics, PARTITIONS=6');
    expect(recorded.stderr).toBe('app: a note on stderr\n');
    expect(partitionsOf('prod', 'orders')).toBe('6');

    // what the app printed is replayed too; a variable it does not read does not matter
    const replay = runSynth([], repo, { PARTITIONS: '6', REPLAYTEST_UNREAD: 'anything' });
    expectReplayOf(replay, recorded);
    // -q: a replay prints what a -q run of the app prints (the app's own lines), without the replayed line
    for (const quiet of [runSynth(['-q'], repo, { PARTITIONS: '6' }), runSynth(['-q'], repo, { PARTITIONS: '6' })]) {
      expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([ExitCode.OK, 'app: 2 topics, PARTITIONS=6\n', 'app: a note on stderr\n']);
    }

    // the variable changed ('06' gives the same dist; only what the app prints differs)
    const changedVar = runSynth([], repo, { PARTITIONS: '06' });
    expectSteady(changedVar);
    expect(changedVar.stdout.split('\n')[0]).toBe('app: 2 topics, PARTITIONS=06');
    // the variable unset (the app's default: 8 partitions)
    const unset = runSynth([], repo);
    expectRan(unset);
    expect(unset.stdout.split('\n')[0]).toBe('app: 2 topics, PARTITIONS=(unset)');
    expect(unset.stdout).toContain('  files: 5 written, ');
    expect(partitionsOf('prod', 'orders')).toBe('8');

    // a module the app imports
    settle(repo);
    expectRecordable(runSynth([], repo));
    edit(path.join(repo, 'topics.ts'), "'refunds']", "'refunds', 'audit']");
    const module = runSynth([], repo);
    expectRan(module);
    expect(module.stdout.split('\n')[0]).toBe('app: 3 topics, PARTITIONS=(unset)');
    expect(partitionsOf('dev', 'audit')).toBe('8');

    // a JSON file the app reads, edited keeping its size, mtime and inode
    settle(repo);
    expectRecordable(runSynth([], repo));
    editKeepingMtime(json, '"gold"', '"gilt"');
    expectRan(runSynth([], repo));
    expect(fs.readFileSync(path.join(dist, 'manifests/prod/payments/configmap.settings.yaml'), 'utf8')).toContain('  tier: gilt\n');

    // a file the app looked for, absent then, appears
    settle(repo);
    expectRecordable(runSynth([], repo));
    fs.writeFileSync(path.join(repo, 'conf/extra.flag'), '');
    const appeared = runSynth([], repo);
    expectRan(appeared);
    expect(appeared.stdout.split('\n')[0]).toBe('app: 4 topics, PARTITIONS=(unset)');
    expect(partitionsOf('prod', 'extra')).toBe('8');
  });
});

/** An app that lists a folder at any depth and loads a module only when it exists (without asking fs first). */
const LISTING_APP = `import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import { DataPlatform, Environment } from 'cdk8s-dataops';

// every .sql file below queries/, at any depth
const queries = (fs.readdirSync(path.join(__dirname, 'queries'), { recursive: true }) as string[]).filter((f) => f.endsWith('.sql')).sort();
// the team's local overrides, when there are any
let owner = 'platform';
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  owner = (require('./overrides/local') as { OWNER: string }).OWNER;
} catch {
  // none
}

const platform = new DataPlatform();
const env = new Environment(platform, 'prod', { namespace: 'payments' });
new ApiObject(env, 'queries', { apiVersion: 'v1', kind: 'ConfigMap', data: { queries: queries.join(','), owner } });
platform.synth();
`;

describe('synth runs the app again when something it read changed, read in ways easy to miss', () => {
  it('a file added in a subfolder of a folder listed recursively; a module it tried to load appears', () => {
    const repo = tempRepo('basic');
    writeFiles(repo, { 'main.ts': LISTING_APP, 'queries/daily/orders.sql': 'select 1;\n', 'overrides/README.md': 'local.ts here overrides\n' });
    const data = () => fs.readFileSync(path.join(repo, 'dist/manifests/prod/payments/configmap.queries.yaml'), 'utf8');
    expect(runSynth([], repo).code).toBe(ExitCode.OK);
    expect(data()).toContain('  owner: platform\n  queries: daily/orders.sql\n');
    settle(repo);
    const recorded = runSynth([], repo);
    expectSteady(recorded);
    expectReplayOf(runSynth([], repo), recorded);

    // readdirSync(queries, { recursive: true }) read queries/daily/ too (soft: the next case does not depend on it)
    fs.writeFileSync(path.join(repo, 'queries/daily/refunds.sql'), 'select 2;\n');
    const listed = runSynth([], repo);
    expect.soft(wasReplayed(listed), `a file added below a folder listed recursively, but it replayed:\n${listed.stdout}`).toBe(false);
    expect.soft(data()).toContain('  queries: daily/orders.sql,daily/refunds.sql\n');

    // require('./overrides/local') failed, looking for overrides/local.ts among others: that file appears
    settle(repo);
    expectRecordable(runSynth([], repo));
    fs.writeFileSync(path.join(repo, 'overrides/local.ts'), "export const OWNER = 'payments-team';\n");
    expectRan(runSynth([], repo));
    expect(data()).toContain('  owner: payments-team\n');
  });
});

/**
 * An app that does one untraceable thing, chosen by CALL, without it changing what it synthesizes ('slow' only
 * waits 2 s, which is traceable; 'lazy' reads the clock during the synthesis, in a value the app hands to cdk8s);
 * 'env-keys' counts the REPLAYTEST_ variables (it enumerates the environment).
 */
const UNTRACEABLE_APP = `import * as childProcess from 'node:child_process';
import * as nodeCrypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, Lazy } from 'cdk8s';
import { DataPlatform, Environment } from 'cdk8s-dataops';
import { stamp } from './helper';

let mode = (): string => 'on';
switch (process.env.CALL) {
  case 'slow': Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000); break;
  case 'date-now': Date.now(); break;
  case 'new-date': new Date(); break;
  case 'random': Math.random(); break;
  case 'uuid': nodeCrypto.randomUUID(); break;
  case 'web-crypto': crypto.getRandomValues(new Uint8Array(4)); break;
  case 'exec': childProcess.execSync('true'); break;
  case 'write-outside': fs.writeFileSync(path.join(__dirname, 'side.txt'), 'a side effect\\n'); break;
  case 'helper': stamp(); break;
  case 'lazy': mode = () => (Date.now() > 0 ? 'on' : 'off'); break;
  case 'env-keys': console.log(\`app: \${Object.keys(process.env).filter((k) => k.startsWith('REPLAYTEST_')).length} REPLAYTEST_ variables\`); break;
}

const platform = new DataPlatform();
for (const name of ['dev', 'prod']) {
  const env = new Environment(platform, name, { namespace: 'payments', cluster: name });
  new ApiObject(env, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', data: { mode: Lazy.any({ produce: () => mode() }) } });
}
platform.synth();
`;

describe('synth never replays a run that did something untraceable', () => {
  it('Date.now, new Date, Math.random, crypto, child_process, a write outside dist, in a helper or during synthesis; enumerating the environment', () => {
    const repo = tempRepo('basic');
    writeFiles(repo, { 'main.ts': UNTRACEABLE_APP, 'helper.ts': 'export function stamp(): number {\n  return Date.now();\n}\n' });
    expect(runSynth([], repo, { CALL: 'slow' }).code).toBe(ExitCode.OK);
    settle(repo);

    // the baseline replays; the time is measured anew (the app took 2 s, the replay does not run it)
    const recorded = runSynth([], repo, { CALL: 'slow' });
    expectSteady(recorded);
    expect(withoutTime(recorded.stdout).split('\n')).toEqual([
      '✔ synthesized 2 environments (dev, prod) into dist in <time>',
      '  dev: 1 object (ConfigMap 1)',
      '  prod: 1 object (ConfigMap 1)',
      '  files: 0 written, 2 unchanged, 0 removed',
      '',
    ]);
    const replay = runSynth([], repo, { CALL: 'slow' });
    expectReplayOf(replay, recorded);
    expect(timeOf(recorded.stdout)).toBeGreaterThanOrEqual(2);
    expect(timeOf(replay.stdout)).toBeLessThan(timeOf(recorded.stdout) - 1);

    // each untraceable thing: the run after the one that could have recorded still runs the app, and both synthesize
    const problems: string[] = [];
    const look = (call: string, run: RunResult, second: boolean) => {
      const what = `${call} (${second ? 'second' : 'first'} run)`;
      if (run.code !== ExitCode.OK || run.stderr !== '') problems.push(`${what}: exit ${run.code}: ${run.stderr}`);
      else if (wasReplayed(run)) problems.push(`${what}: replayed`);
      else if (withoutTime(run.stdout) !== withoutTime(recorded.stdout)) problems.push(`${what}: printed ${JSON.stringify(run.stdout)}`);
    };
    const clock = ['date-now', 'new-date', 'helper', 'lazy'];
    // randomness: Math.random(), crypto.randomUUID() (node:crypto) and the global crypto.getRandomValues()
    const randomness = ['random', 'uuid', 'web-crypto'];
    // write-outside last: the file it adds beside the app changes the app's folder, which would hide the others
    for (const call of [...clock, ...randomness, 'exec', 'write-outside']) {
      look(call, runSynth([], repo, { CALL: call }), false);
      look(call, runSynth([], repo, { CALL: call }), true);
    }
    expect(fs.readFileSync(path.join(repo, 'side.txt'), 'utf8')).toBe('a side effect\n');

    // the app enumerates the environment: a variable added (which it counts) runs the app again
    const before = runSynth([], repo, { CALL: 'env-keys' });
    expect([before.code, before.stdout.split('\n')[0]]).toEqual([ExitCode.OK, 'app: 0 REPLAYTEST_ variables']);
    const after = runSynth([], repo, { CALL: 'env-keys', REPLAYTEST_ADDED: '1' });
    if (wasReplayed(after)) problems.push(`env-keys: replayed ${JSON.stringify(after.stdout)}`);
    else if (after.stdout.split('\n')[0] !== 'app: 1 REPLAYTEST_ variables') problems.push(`env-keys: printed ${JSON.stringify(after.stdout)}`);
    expect(problems).toEqual([]);
  });
});
