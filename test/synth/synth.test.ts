import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../synth/exit-codes';
import { cleanUp, commitAll, edit, git, listTree, runSynth, snapshotTree, statTree, tempDir, tempRepo, writeFiles } from '../fixtures/repo';

afterEach(cleanUp);
// Every case runs the real command several times (about 2 s each on an idle machine; far more on a loaded one).
vi.setConfig({ testTimeout: 300_000 });

const SUMMARY = /^✔ synthesized 2 environments \(dev, prod\) into dist in \d+\.\d\d s$/;
const FILES = [
  '.cdk8s-dataops.json',
  'manifests/dev/_cluster/namespace.payments.yaml',
  'manifests/dev/kafka/kafkatopic.payments.orders.v1.yaml',
  'manifests/dev/kafka/kafkatopic.payments.refunds.v1.yaml',
  'manifests/dev/payments/configmap.settings.yaml',
  'manifests/prod/_cluster/namespace.payments.yaml',
  'manifests/prod/kafka/kafkatopic.payments.orders.v1.yaml',
  'manifests/prod/kafka/kafkatopic.payments.refunds.v1.yaml',
  'manifests/prod/payments/configmap.settings.yaml',
  'reports/lineage.html',
  'reports/lineage.md',
  'reports/openlineage.json',
];

/** The code changes the tests make to the basic fixture: a changed, a removed and an added object per environment. */
function changeCode(repo: string): void {
  const main = path.join(repo, 'main.ts');
  edit(main, 'partitions: 6 });', 'partitions: 12 });');
  edit(main, "  new Topic(env, 'refunds', { cluster, topicName: 'payments.refunds.v1' }); // fixture:refunds\n", '');
  edit(main, "new ApiObject(env, 'payments', { apiVersion: 'v1', kind: 'Namespace' });",
    "new ApiObject(env, 'payments', { apiVersion: 'v1', kind: 'Namespace' });\n  new ApiObject(env, 'extra', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } });");
}

describe('synth', () => {
  it('writes dist beside the app and prints a summary: environments, objects per kind, files, time', () => {
    const repo = tempRepo('basic');
    const run = runSynth([], repo);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.OK);
    expect(run.stdout.split('\n')).toEqual([
      expect.stringMatching(SUMMARY),
      '  dev: 4 objects (KafkaTopic 2, ConfigMap 1, Namespace 1)',
      '  prod: 4 objects (KafkaTopic 2, ConfigMap 1, Namespace 1)',
      '  files: 11 written, 0 unchanged, 0 removed',
      '',
    ]);
    expect(listTree(path.join(repo, 'dist'))).toEqual(FILES);
    expect(fs.readFileSync(path.join(repo, 'dist/manifests/prod/payments/configmap.settings.yaml'), 'utf8')).toBe([
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  labels:', '    app.kubernetes.io/managed-by: cdk8s-dataops', '    team: payments',
      '  name: settings', '  namespace: payments', 'data:', '  mode: "on"', '  tier: gold', '  umask: "0777"', '',
    ].join('\n'));
  });

  it('gives byte-identical output on a second run and rewrites nothing', () => {
    const repo = tempRepo('basic');
    runSynth([], repo);
    const bytes = snapshotTree(path.join(repo, 'dist'));
    const inodes = statTree(path.join(repo, 'dist'));
    const run = runSynth([], repo);
    expect(run.code).toBe(ExitCode.OK);
    expect(run.stdout).toContain('  files: 0 written, 11 unchanged, 0 removed\n');
    expect(snapshotTree(path.join(repo, 'dist'))).toEqual(bytes);
    expect(statTree(path.join(repo, 'dist'))).toEqual(inodes);
  });

  it('after a code change, writes what changed, removes what is gone and keeps files it does not own', () => {
    const repo = tempRepo('basic');
    runSynth([], repo);
    const dist = path.join(repo, 'dist');
    writeFiles(dist, { 'README.md': '# generated, do not edit\n', 'manifests/prod/README.md': 'notes\n' });
    const foreign = statTree(dist);
    changeCode(repo);
    const run = runSynth([], repo);
    expect(run.code).toBe(ExitCode.OK);
    expect(run.stdout.split('\n').slice(1)).toEqual([
      '  dev: 4 objects (ConfigMap 2, KafkaTopic 1, Namespace 1)',
      '  prod: 4 objects (ConfigMap 2, KafkaTopic 1, Namespace 1)',
      '  files: 6 written, 5 unchanged, 2 removed, 2 not ours (kept)',
      '',
    ]);
    expect(fs.existsSync(path.join(dist, 'manifests/prod/kafka/kafkatopic.payments.refunds.v1.yaml'))).toBe(false);
    expect(fs.readFileSync(path.join(dist, 'manifests/dev/payments/configmap.extra.yaml'), 'utf8')).toContain('  a: b\n');
    for (const f of ['README.md', 'manifests/prod/README.md']) expect(statTree(dist).get(f)).toEqual(foreign.get(f));
    expect(fs.readFileSync(path.join(dist, 'manifests/prod/README.md'), 'utf8')).toBe('notes\n');
  });

  it('lists every file with --verbose', () => {
    const repo = tempRepo('basic');
    runSynth([], repo);
    changeCode(repo);
    const run = runSynth(['--verbose'], repo);
    expect(run.stdout).toContain('  wrote   manifests/dev/payments/configmap.extra.yaml\n');
    expect(run.stdout).toContain('  removed manifests/prod/kafka/kafkatopic.payments.refunds.v1.yaml\n');
  });

  it('--check exits 0 when dist is fresh and 1, listing the stale files, after a code change; it writes nothing', () => {
    const repo = tempRepo('basic');
    runSynth([], repo);
    commitAll(repo, 'v1');
    const fresh = runSynth(['--check'], repo);
    expect([fresh.code, fresh.stdout, fresh.stderr]).toEqual([ExitCode.OK, '✔ dist is up to date (11 files)\n', '']);

    changeCode(repo);
    const stale = runSynth(['--check'], repo);
    expect(stale.code).toBe(ExitCode.CHECK_FAILED);
    expect(stale.stderr).toBe("error dist is stale: it differs from what the code produces. Run 'npx synth' and commit the result.\n");
    expect(stale.stdout.split('\n')).toEqual([
      '  missing  manifests/dev/payments/configmap.extra.yaml',
      '  missing  manifests/prod/payments/configmap.extra.yaml',
      '  changed  manifests/dev/kafka/kafkatopic.payments.orders.v1.yaml',
      '  changed  manifests/prod/kafka/kafkatopic.payments.orders.v1.yaml',
      '  changed  reports/lineage.html',
      '  changed  reports/lineage.md',
      '  obsolete manifests/dev/kafka/kafkatopic.payments.refunds.v1.yaml',
      '  obsolete manifests/prod/kafka/kafkatopic.payments.refunds.v1.yaml',
      '',
    ]);
    expect(git(repo, 'status', '--porcelain')).toBe(' M main.ts\n');

    runSynth([], repo);
    expect(runSynth(['--check'], repo).code).toBe(ExitCode.OK);
  });

  it('--check fails when dist is missing or only the ownership index differs', () => {
    const repo = tempRepo('basic');
    expect(runSynth(['--check'], repo).code).toBe(ExitCode.CHECK_FAILED);
    runSynth([], repo);
    fs.writeFileSync(path.join(repo, 'dist/.cdk8s-dataops.json'), fs.readFileSync(path.join(repo, 'dist/.cdk8s-dataops.json'), 'utf8').replace('"version": 1', '"version":1'));
    const run = runSynth(['--check'], repo);
    expect(run.code).toBe(ExitCode.CHECK_FAILED);
    expect(run.stdout).toBe('  changed  .cdk8s-dataops.json (the ownership index)\n');
  });

  it('--env synthesizes only those environments and keeps the files of the others', () => {
    const repo = tempRepo('basic');
    runSynth([], repo);
    const prodBefore = [...snapshotTree(path.join(repo, 'dist'))].filter(([f]) => f.startsWith('manifests/prod/'));
    changeCode(repo);
    const run = runSynth(['--env', 'dev'], repo);
    expect(run.code).toBe(ExitCode.OK);
    expect(run.stdout.split('\n')[0]).toMatch(/^✔ synthesized 1 environment \(dev\) into dist in /);
    const after = snapshotTree(path.join(repo, 'dist'));
    expect([...after].filter(([f]) => f.startsWith('manifests/prod/'))).toEqual(prodBefore);
    expect(after.has('manifests/dev/payments/configmap.extra.yaml')).toBe(true);
    expect(after.has('manifests/dev/kafka/kafkatopic.payments.refunds.v1.yaml')).toBe(false);

    const unknown = runSynth(['--env', 'qa'], repo);
    expect([unknown.code, unknown.stderr]).toEqual([ExitCode.INPUT_ERROR, "error unknown environment(s) 'qa'; the app defines 'dev', 'prod'\n"]);
  });

  it('--out writes to another folder (dist is not created)', () => {
    const repo = tempRepo('basic');
    const run = runSynth(['--out', 'deploy/manifests-out'], repo);
    expect(run.code).toBe(ExitCode.OK);
    expect(run.stdout.split('\n')[0]).toMatch(/ into deploy\/manifests-out in /);
    expect(fs.existsSync(path.join(repo, 'dist'))).toBe(false);
    expect(listTree(path.join(repo, 'deploy/manifests-out'))).toEqual(FILES);
  });

  it('--quiet prints nothing on success and still prints errors', () => {
    const repo = tempRepo('basic');
    const ok = runSynth(['--quiet'], repo);
    expect([ok.code, ok.stdout, ok.stderr]).toEqual([ExitCode.OK, '', '']);
    expect(runSynth(['-q', '--check'], repo).stdout).toBe('');
    const bad = runSynth(['--quiet', '--env', 'nope'], repo);
    expect(bad.code).toBe(ExitCode.INPUT_ERROR);
    expect(bad.stderr).toContain("error unknown environment(s) 'nope'");
  });
});

describe('synth errors', () => {
  it('print what went wrong and the construct path, without a stack trace (exit 2), and leave dist as it was', () => {
    const repo = tempRepo('basic');
    runSynth([], repo);
    const before = snapshotTree(path.join(repo, 'dist'));
    fs.copyFileSync(path.join(__dirname, '../fixtures/apps/failing/main.ts'), path.join(repo, 'main.ts'));
    const run = runSynth([], repo);
    expect(run.code).toBe(ExitCode.INPUT_ERROR);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("error prod/broken, field 'value': the broken fixture cannot produce its value\n");
    expect(snapshotTree(path.join(repo, 'dist'))).toEqual(before);
    expect(fs.readdirSync(repo).sort()).toEqual(['.git', '.gitignore', 'dist', 'main.ts', 'node_modules']);
  });

  it('print the stack trace with --verbose', () => {
    const repo = tempRepo('failing');
    const run = runSynth(['--verbose'], repo);
    expect(run.code).toBe(ExitCode.INPUT_ERROR);
    expect(run.stderr.split('\n')[0]).toBe("error prod/broken, field 'value': the broken fixture cannot produce its value");
    expect(run.stderr).toMatch(/\n {4}at /);
    expect(runSynth([], repo).stderr).not.toMatch(/\n {4}at /);
  });

  it('name the construct of an unexpected error thrown while resolving it', () => {
    const run = runSynth([], tempRepo('failing'), { FIXTURE_UNEXPECTED: '1' });
    expect([run.code, run.stderr]).toEqual([ExitCode.INPUT_ERROR, 'error prod/broken: TypeError: cannot read properties of undefined (fixture bug)\n']);
  });

  it('refuse a plaintext Secret, naming the construct and the rule', () => {
    const run = runSynth([], tempRepo('secret'));
    expect(run.code).toBe(ExitCode.INPUT_ERROR);
    expect(run.stderr).toMatch(/^error prod\/db-password: Secret 'db-password' carries plaintext values in 'stringData'; .* \[DOP-SECRETS-001\]\n$/);
  });

  it('name the app file when the app itself throws while loading', () => {
    const repo = tempRepo('basic');
    edit(path.join(repo, 'main.ts'), 'const platform = new DataPlatform();', "const platform = new DataPlatform();\nif (platform) throw new Error('config file missing');");
    const run = runSynth([], repo);
    expect([run.code, run.stderr]).toEqual([ExitCode.INPUT_ERROR, 'error main.ts failed: config file missing\n']);
  });

  it('refuse an unknown flag (exit 2) with the usage', () => {
    const run = runSynth(['--bogus'], tempRepo('basic'));
    expect(run.code).toBe(ExitCode.INPUT_ERROR);
    expect(run.stderr).toMatch(/^error: unknown option '--bogus'\n/);
    expect(run.stderr).toContain('Usage: synth [options] [command]');
  });

  it('suggest the subcommand for a mistyped one (exit 2), instead of "too many arguments"', () => {
    const repo = tempRepo('basic');
    const run = runSynth(['valdate'], repo);
    expect([run.code, run.stdout]).toEqual([ExitCode.INPUT_ERROR, '']);
    // the list names every registered subcommand (other areas add theirs)
    expect(run.stderr).toMatch(/^error unknown command 'valdate'; did you mean 'synth validate'\? \(commands: diff, validate, [a-z, ]+; 'synth --help' lists them\)\n$/);
    expect(runSynth(['-q', 'dif', '--env', 'prod'], repo).stderr).toContain("did you mean 'synth diff'?");
    expect(runSynth(['--out', 'x', 'zzzzzz'], repo).stderr).toMatch(/^error unknown command 'zzzzzz' \(commands: diff, validate, [a-z, ]+; 'synth --help' lists them\)\n$/);
    // a mistyped option's value is not taken for a command: the option is named, with the closest one
    const option = runSynth(['--outdir', 'x'], repo);
    expect(option.code).toBe(ExitCode.INPUT_ERROR);
    expect(option.stderr).toMatch(/^error: unknown option '--outdir'\n\(Did you mean --out\?\)\n/);
    expect(fs.existsSync(path.join(repo, 'dist'))).toBe(false);
  });

  it('say what to do when dist is read-only or a file (exit 2, not an internal error)', () => {
    const repo = tempRepo('basic');
    expect(runSynth(['-q'], repo).code).toBe(ExitCode.OK);
    edit(path.join(repo, 'main.ts'), 'partitions: 6 });', 'partitions: 12 });');
    const dist = path.join(repo, 'dist');
    const before = snapshotTree(dist);
    const chmodTree = (mode: number) => {
      for (const rel of ['', ...new Set(listTree(dist).flatMap((f) => f.split('/').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('/'))))]) {
        fs.chmodSync(path.join(dist, rel), mode);
      }
    };
    chmodTree(0o555);
    // root ignores permissions: run the command as an unprivileged user then (the fixture must be readable by it)
    const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if (unprivileged.uid !== undefined) fs.chmodSync(repo, 0o755);
    try {
      const readOnly = runSynth([], repo, {}, unprivileged);
      expect(readOnly.code).toBe(ExitCode.INPUT_ERROR);
      expect(readOnly.stderr).toMatch(/^error cannot \w+ .*dist.*: permission denied\. Make the output folder writable .* or choose another one with --out DIR\n$/);
    } finally {
      chmodTree(0o755);
    }
    expect(snapshotTree(dist)).toEqual(before);

    fs.rmSync(dist, { recursive: true });
    fs.writeFileSync(dist, 'not a folder\n');
    const file = runSynth([], repo);
    expect(file.code).toBe(ExitCode.INPUT_ERROR);
    expect(file.stderr).toMatch(/^error .*dist.* Move that file away or choose another output folder with --out DIR\n$/);
    expect(fs.readFileSync(dist, 'utf8')).toBe('not a folder\n');
  });

  it('say where the app was looked for when it is not found (exit 2)', () => {
    const dir = tempDir();
    const run = runSynth([], dir);
    expect(run.code).toBe(ExitCode.INPUT_ERROR);
    expect(run.stderr).toBe(`error app file ${path.join(dir, 'main.ts')} not found (from the default main.ts); create it or point to it with --app FILE\n`);
    const explicit = runSynth(['--app', 'src/app.ts'], dir);
    expect(explicit.stderr).toBe(`error app file ${path.join(dir, 'src/app.ts')} not found (from --app); create it or point to it with --app FILE\n`);
  });

  it('refuse an app that defines no DataPlatform (exit 2)', () => {
    const repo = tempRepo('empty');
    const run = runSynth([], repo);
    expect([run.code, run.stderr]).toEqual([ExitCode.INPUT_ERROR,
      `error ${path.join(fs.realpathSync(repo), 'main.ts')} defines no DataPlatform; create one with 'new DataPlatform()' at the top level of the app\n`]);
  });

  it('refuse --out . (the output folder is replaced as a whole), touching nothing', () => {
    const repo = tempRepo('basic');
    const run = runSynth(['--out', '.'], repo);
    expect(run.code).toBe(ExitCode.INPUT_ERROR);
    expect(run.stderr).toMatch(/^error refusing to write into .*: it contains the current directory, and the output folder is replaced as a whole on every synth\. Use a folder of its own, such as dist\n$/);
    expect(fs.readdirSync(repo).sort()).toEqual(['.git', '.gitignore', 'main.ts', 'node_modules']);
  });

  it('refuse to overwrite a file it did not write, and a damaged ownership index, saying what to do', () => {
    const repo = tempRepo('basic');
    writeFiles(path.join(repo, 'dist'), { 'manifests/prod/payments/configmap.settings.yaml': 'hand-made\n' });
    const foreign = runSynth([], repo);
    expect(foreign.code).toBe(ExitCode.INPUT_ERROR);
    expect(foreign.stderr).toBe(`error ${path.join(repo, 'dist/manifests/prod/payments/configmap.settings.yaml')} exists but was not written by cdk8s-dataops ` +
      '(it is not in .cdk8s-dataops.json); move it away or delete it, then run synth again\n');
    expect(listTree(path.join(repo, 'dist'))).toEqual(['manifests/prod/payments/configmap.settings.yaml']);

    fs.rmSync(path.join(repo, 'dist'), { recursive: true });
    runSynth([], repo);
    fs.writeFileSync(path.join(repo, 'dist/.cdk8s-dataops.json'), 'garbage');
    const damaged = runSynth([], repo);
    expect(damaged.code).toBe(ExitCode.INPUT_ERROR);
    expect(damaged.stderr).toMatch(/^error .*dist\/\.cdk8s-dataops\.json is damaged \(.*\); restore it from Git \(git checkout -- .*\)\n$/);
  });
});

describe('environments that fight', () => {
  it('synth and validate refuse two environments deploying the same objects to one cluster, naming both paths (exit 2)', () => {
    const repo = tempRepo('basic');
    edit(path.join(repo, 'main.ts'), ", cluster: name });", ' });');
    for (const args of [[], ['validate', '--app', 'main.ts']]) {
      const run = runSynth(args, repo);
      expect(run.code, args.join(' ')).toBe(ExitCode.INPUT_ERROR);
      expect(run.stderr.split('\n')).toEqual([
        "error environments 'dev' and 'prod' both deploy 4 objects to the same cluster (neither sets one), where their GitOps applications would fight over them:",
        "    KafkaTopic 'payments.orders.v1' in namespace 'kafka': dev/orders and prod/orders",
        "    KafkaTopic 'payments.refunds.v1' in namespace 'kafka': dev/refunds and prod/refunds",
        "    ConfigMap 'settings' in namespace 'payments': dev/settings and prod/settings",
        "    Namespace 'payments': dev/payments and prod/payments",
        "  Give the environments namespaces of their own (and Kafka clusters of their own, for Kafka objects), or say that they run on different clusters: " +
          "new Environment(platform, 'dev', { cluster: 'dev' }) and new Environment(platform, 'prod', { cluster: 'prod' })",
        '',
      ]);
    }
    expect(fs.existsSync(path.join(repo, 'dist'))).toBe(false);
  });
});

describe('finding the app', () => {
  it('reads "cdk8s-dataops": { app, outdir } from the nearest package.json, from any subfolder', () => {
    const repo = tempRepo('basic');
    fs.mkdirSync(path.join(repo, 'src'));
    fs.renameSync(path.join(repo, 'main.ts'), path.join(repo, 'src/platform.ts'));
    fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'my-platform', 'cdk8s-dataops': { app: 'src/platform.ts', outdir: 'deploy' } }));
    fs.mkdirSync(path.join(repo, 'docs'));
    const run = runSynth([], path.join(repo, 'docs'));
    expect(run.code).toBe(ExitCode.OK);
    expect(run.stdout.split('\n')[0]).toMatch(/ into \.\.\/deploy in /);
    expect(listTree(path.join(repo, 'deploy'))).toEqual(FILES);
  });

  it("writes to the platform's outdir beside the app file when package.json sets only the app", () => {
    const repo = tempRepo('basic');
    fs.mkdirSync(path.join(repo, 'src'));
    fs.renameSync(path.join(repo, 'main.ts'), path.join(repo, 'src/platform.ts'));
    fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ 'cdk8s-dataops': { app: 'src/platform.ts' } }));
    expect(runSynth([], repo).code).toBe(ExitCode.OK);
    expect(listTree(path.join(repo, 'src/dist'))).toEqual(FILES);
  });

  it('lets --app and --out win over package.json', () => {
    const repo = tempRepo('basic');
    fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ 'cdk8s-dataops': { app: 'missing.ts', outdir: 'deploy' } }));
    const missing = runSynth([], repo);
    expect(missing.stderr).toBe(`error app file ${path.join(repo, 'missing.ts')} not found (from "cdk8s-dataops": { "app" } in ${path.join(repo, 'package.json')}); ` +
      'create it or point to it with --app FILE\n');
    expect(runSynth(['--app', 'main.ts', '--out', 'elsewhere'], repo).code).toBe(ExitCode.OK);
    expect(fs.existsSync(path.join(repo, 'elsewhere/.cdk8s-dataops.json'))).toBe(true);
    expect(fs.existsSync(path.join(repo, 'deploy'))).toBe(false);
  });
});
