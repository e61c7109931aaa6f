import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../synth/exit-codes';
import { cleanUp, commitAll, edit, runSynth, tempRepo } from '../fixtures/repo';

afterEach(cleanUp);
// Every case runs the real command several times (about 2 s each on an idle machine; far more on a loaded one).
vi.setConfig({ testTimeout: 300_000 });

/** A repository with the basic fixture synthesized and committed; returns it and the commit. */
function committed(): { repo: string; v1: string } {
  const repo = tempRepo('basic');
  runSynth([], repo);
  return { repo, v1: commitAll(repo, 'v1') };
}

/** A changed field, a deleted topic (destructive), a changed ConfigMap and an added one, in both environments. */
function changeCode(repo: string): void {
  const main = path.join(repo, 'main.ts');
  edit(main, 'partitions: 6 });', 'partitions: 12 });');
  edit(main, "  new Topic(env, 'refunds', { cluster, topicName: 'payments.refunds.v1' }); // fixture:refunds\n", '');
  edit(main, "mode: 'on'", "mode: 'off'");
  edit(main, "new ApiObject(env, 'payments', { apiVersion: 'v1', kind: 'Namespace' });",
    "new ApiObject(env, 'payments', { apiVersion: 'v1', kind: 'Namespace' });\n  if (env.production) new ApiObject(env, 'extra', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } });");
}

const CHANGES = [
  'dist compared with HEAD: 7 object(s) change, 2 destructive',
  '- KafkaTopic kafka/payments.refunds.v1  manifests/dev/kafka/kafkatopic.payments.refunds.v1.yaml',
  "    DESTRUCTIVE [DOP-OUTPUT-101] KafkaTopic 'payments.refunds.v1' leaves the output but carries Prune=false: Argo CD and Flux leave it in the cluster, orphaned (no longer managed), not deleted; delete it by hand if it should go",
  '- KafkaTopic kafka/payments.refunds.v1  manifests/prod/kafka/kafkatopic.payments.refunds.v1.yaml',
  "    DESTRUCTIVE [DOP-OUTPUT-101] KafkaTopic 'payments.refunds.v1' leaves the output but carries Prune=false: Argo CD and Flux leave it in the cluster, orphaned (no longer managed), not deleted; delete it by hand if it should go",
  '~ KafkaTopic kafka/payments.orders.v1  manifests/dev/kafka/kafkatopic.payments.orders.v1.yaml',
  '    spec.partitions: 6 → 12',
  '~ ConfigMap payments/settings  manifests/dev/payments/configmap.settings.yaml',
  '    data.mode: "on" → "off"',
  '~ KafkaTopic kafka/payments.orders.v1  manifests/prod/kafka/kafkatopic.payments.orders.v1.yaml',
  '    spec.partitions: 6 → 12',
  '+ ConfigMap payments/extra  manifests/prod/payments/configmap.extra.yaml',
  '~ ConfigMap payments/settings  manifests/prod/payments/configmap.settings.yaml',
  '    data.mode: "on" → "off"',
  '',
];

describe('synth diff', () => {
  it('says there is nothing to show when the code produces the committed dist', () => {
    const { repo } = committed();
    const run = runSynth(['diff'], repo);
    expect([run.code, run.stdout, run.stderr]).toEqual([ExitCode.OK, '✔ no changes to dist since HEAD\n', '']);
  });

  it('shows added, removed and changed objects with field-level detail, destructive changes first, writing nothing', () => {
    const { repo } = committed();
    changeCode(repo);
    const run = runSynth(['diff'], repo);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.OK);
    expect(run.stdout.split('\n')).toEqual(CHANGES);
    // diff writes nothing: the committed dist is still what --check compares with.
    expect(runSynth(['--check'], repo).code).toBe(ExitCode.CHECK_FAILED);
  });

  it('compares the code with what the dist was at --base REV', () => {
    const { repo, v1 } = committed();
    changeCode(repo);
    runSynth([], repo);
    commitAll(repo, 'v2');
    expect(runSynth(['diff'], repo).stdout).toBe('✔ no changes to dist since HEAD\n');
    const run = runSynth(['diff', '--base', v1], repo);
    expect(run.code).toBe(ExitCode.OK);
    expect(run.stdout.split('\n')).toEqual([CHANGES[0].replace('HEAD', v1), ...CHANGES.slice(1)]);
    expect(runSynth(['diff', '--base', 'HEAD~1'], repo).stdout).toBe(run.stdout.replace(v1, 'HEAD~1'));
  });

  it('prints the changes as JSON with --json (no full objects), destructive first', () => {
    const { repo } = committed();
    changeCode(repo);
    const run = runSynth(['diff', '--json'], repo);
    expect(run.code).toBe(ExitCode.OK);
    const changes = JSON.parse(run.stdout);
    expect(changes.map((c: any) => [c.type, c.file, c.destructive.length])).toEqual([
      ['removed', 'manifests/dev/kafka/kafkatopic.payments.refunds.v1.yaml', 1],
      ['removed', 'manifests/prod/kafka/kafkatopic.payments.refunds.v1.yaml', 1],
      ['changed', 'manifests/dev/kafka/kafkatopic.payments.orders.v1.yaml', 0],
      ['changed', 'manifests/dev/payments/configmap.settings.yaml', 0],
      ['changed', 'manifests/prod/kafka/kafkatopic.payments.orders.v1.yaml', 0],
      ['added', 'manifests/prod/payments/configmap.extra.yaml', 0],
      ['changed', 'manifests/prod/payments/configmap.settings.yaml', 0],
    ]);
    expect(changes[2]).toEqual({
      file: 'manifests/dev/kafka/kafkatopic.payments.orders.v1.yaml', kind: 'KafkaTopic', name: 'payments.orders.v1', namespace: 'kafka',
      type: 'changed', fields: [{ path: 'spec.partitions', before: 6, after: 12 }], destructive: [], findings: [],
    });
    expect(changes.some((c: any) => 'before' in c || 'after' in c)).toBe(false);
  });

  it('--fail-on-destructive exits 1 only when a change is destructive', () => {
    const { repo } = committed();
    edit(path.join(repo, 'main.ts'), 'partitions: 6 });', 'partitions: 12 });');
    const safe = runSynth(['diff', '--fail-on-destructive'], repo);
    expect([safe.code, safe.stdout.split('\n')[0]]).toEqual([ExitCode.OK, 'dist compared with HEAD: 2 object(s) change']);
    edit(path.join(repo, 'main.ts'), "  new Topic(env, 'refunds', { cluster, topicName: 'payments.refunds.v1' }); // fixture:refunds\n", '');
    const destructive = runSynth(['diff', '--fail-on-destructive'], repo);
    expect(destructive.code).toBe(ExitCode.CHECK_FAILED);
    expect(destructive.stdout.split('\n')[0]).toBe('dist compared with HEAD: 4 object(s) change, 2 destructive');
    expect(runSynth(['diff'], repo).code).toBe(ExitCode.OK);
  });

  it('--env limits the diff to those environments', () => {
    const { repo } = committed();
    changeCode(repo);
    const run = runSynth(['diff', '--env', 'dev'], repo);
    expect(run.stdout.split('\n')).toEqual([
      'dist compared with HEAD: 3 object(s) change, 1 destructive',
      ...CHANGES.slice(1, 3), // dev's removed topic and its reason
      ...CHANGES.slice(5, 9), // dev's changed topic and ConfigMap
      '',
    ]);
  });

  it('compares with nothing before the first commit of dist: every object is added', () => {
    const repo = tempRepo('basic');
    commitAll(repo, 'app only');
    const run = runSynth(['diff', '--quiet'], repo);
    expect([run.code, run.stdout]).toEqual([ExitCode.OK, '']);
    const json = JSON.parse(runSynth(['diff', '--json'], repo).stdout);
    expect(json).toHaveLength(8);
    expect(json.every((c: any) => c.type === 'added')).toBe(true);
  });

  it('explains what is wrong outside a Git repository or with an unknown revision (exit 2)', () => {
    const outside = tempRepo('basic', { git: false });
    const run = runSynth(['diff'], outside);
    expect([run.code, run.stderr]).toEqual([ExitCode.INPUT_ERROR, `error ${path.join(outside, 'dist')} is not in a Git repository (this command compares with what is committed)\n`]);
    const { repo } = committed();
    const bad = runSynth(['diff', '--base', 'no-such-branch'], repo);
    expect(bad.code).toBe(ExitCode.INPUT_ERROR);
    expect(bad.stderr).toMatch(/^error 'no-such-branch' is not a commit of the Git repository .*; give a branch, tag or commit\n$/);
  });
});
