import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../synth/exit-codes';
import { cleanUp, commitAll, edit, runSynth, snapshotTree, tempDir, tempRepo } from '../fixtures/repo';

afterEach(cleanUp);
vi.setConfig({ testTimeout: 300_000 });

/** A copy of the repository example (examples/data-platform/main.ts) in a temporary folder. */
function exampleCopy(): string {
  const dir = tempDir();
  const root = path.resolve(__dirname, '../..');
  fs.copyFileSync(path.join(root, 'examples/data-platform/main.ts'), path.join(dir, 'main.ts'));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

describe('the policy engine through the real command line', () => {
  it('the repository example passes the recommended pack; synth policy prints the acknowledged exceptions with their reasons, writing nothing', () => {
    const dir = exampleCopy();
    const run = runSynth(['policy'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.OK);
    expect(run.stdout).toMatch(/policy: \d+ rules evaluated; 0 error\(s\), 0 warning\(s\), \d+ info, \d+ acknowledged/);
    expect(run.stdout).toContain("ACK   [DOP-KAFKA-012] dev/analytics/warehouse/ConfigsTopic, field 'topicName' (main.ts:");
    expect(run.stdout).toContain("acknowledged on dev/analytics/warehouse: Kafka Connect's internal topics (configs, offsets, status) are named after the Connect cluster, not a dataset");
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  it('a violating change fails npx synth with exit 2 naming the construct path and the rule id, and leaves dist as it was', () => {
    const dir = exampleCopy();
    expect(runSynth([], dir).code).toBe(ExitCode.OK);
    const before = snapshotTree(path.join(dir, 'dist'));
    edit(path.join(dir, 'main.ts'), "      'errors.tolerance': 'none',", '      // no error policy');
    const run = runSynth([], dir);
    expect(run.code).toBe(ExitCode.INPUT_ERROR);
    expect(run.stderr).toContain("prod/analytics/orders-to-warehouse, field 'spec.config': connector 'orders-to-warehouse' has no error policy: set 'errors.deadletterqueue.topic.name' or 'errors.tolerance' [DOP-KAFKA-015]");
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(snapshotTree(path.join(dir, 'dist'))).toEqual(before);
    expect(runSynth(['--check'], dir).code).toBe(ExitCode.INPUT_ERROR);
    expect(runSynth(['policy'], dir).code).toBe(ExitCode.INPUT_ERROR);
  });

  it('synth diff lists a partition decrease as destructive (with the rule id) while synth refuses it', () => {
    const repo = tempRepo('basic');
    runSynth([], repo);
    commitAll(repo, 'v1');
    edit(path.join(repo, 'main.ts'), 'partitions: 6 });', 'partitions: 3 });');
    const diff = runSynth(['diff'], repo);
    expect(diff.code).toBe(ExitCode.OK);
    expect(diff.stdout).toContain('    DESTRUCTIVE [DOP-KAFKA-101] partitions decrease 6 → 3: Kafka cannot remove partitions (Strimzi refuses it; synth fails with DOP-KAFKA-001)');
    expect(runSynth(['diff', '--fail-on-destructive'], repo).code).toBe(ExitCode.CHECK_FAILED);
    const synth = runSynth([], repo);
    expect(synth.code).toBe(ExitCode.INPUT_ERROR);
    expect(synth.stderr).toContain("dev/orders, field 'partitions': topic 'payments.orders.v1' would go from 6 to 3 partitions, but Kafka cannot remove partitions: keep partitions at 6 or more (dist has 6) [DOP-KAFKA-001]");
  });
});
