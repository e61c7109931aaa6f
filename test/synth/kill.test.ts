import { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../synth/exit-codes';
import { cleanUp, listTree, runSynth, snapshotTree, startSynth, tempRepo, writeFiles } from '../fixtures/repo';

afterEach(cleanUp);

/** Enough objects that writing them takes a while, so the run can be caught in the middle of it. */
const OBJECTS = 6_000;
const V1 = { BIG_FIXTURE_OBJECTS: String(OBJECTS), BIG_FIXTURE_VERSION: '1' };
const V2 = { BIG_FIXTURE_OBJECTS: String(OBJECTS), BIG_FIXTURE_VERSION: '2' };

interface Observed {
  /** The half-built new folder, when there is one. */
  readonly next?: string;
  /** The old folder moved aside by the swap, when there is one. */
  readonly old?: string;
  /** How many objects the new folder holds so far (counted when asked). */
  nextFiles(): number;
}

function observe(repo: string): Observed {
  const entries = fs.readdirSync(repo);
  const next = entries.find((e) => e.startsWith('.dist.next-'));
  const old = entries.find((e) => e.startsWith('.dist.old-'));
  return {
    next, old,
    nextFiles: () => {
      try {
        // 6,000 objects are over the shard budget: they are laid out in manifests/prod/<shard>/data/.
        return next ? fs.readdirSync(path.join(repo, next, 'manifests/prod'), { recursive: true }).filter((f) => String(f).endsWith('.yaml')).length : 0;
      } catch {
        return 0; // not created yet
      }
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

/**
 * Runs synth on version 2 and freezes it (SIGSTOP) as soon as `when` holds, or lets it finish when it never does.
 * Returns the child (stopped or exited), what was observed when it was frozen, and a promise of its exit.
 */
async function runUntil(repo: string, env: NodeJS.ProcessEnv, when: (o: Observed, elapsedMs: number) => boolean) {
  const child: ChildProcess = startSynth([], repo, env);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => { exited = true; resolve(); }));
  const started = Date.now();
  for (;;) {
    if (exited) return { child, exit, frozen: undefined };
    const o = observe(repo);
    if (when(o, Date.now() - started)) {
      child.kill('SIGSTOP');
      return { child, exit, frozen: observe(repo) };
    }
    await tick();
  }
}

describe('synth killed mid-run (the real bin, SIGKILL)', () => {
  it('leaves dist either the old one or the new one, never a mix, and the next run recovers', async () => {
    const repo = tempRepo('big', { git: false });
    const dist = path.join(repo, 'dist');

    // Two versions of the output that differ in every file (and in which files exist); a foreign file in dist.
    const README = 'hand-written, never touched\n';
    const versions = [V1, V2].map((env) => {
      expect(runSynth(['--quiet', '--out', 'expected'], repo, env).code).toBe(ExitCode.OK);
      const files = snapshotTree(path.join(repo, 'expected')).set('README.md', README);
      fs.rmSync(path.join(repo, 'expected'), { recursive: true });
      return { env, files };
    });
    expect([...versions[0].files.keys()].filter((f) => versions[1].files.get(f) === versions[0].files.get(f))).toEqual(['README.md']);
    expect(runSynth(['--quiet'], repo, V1).code).toBe(ExitCode.OK);
    writeFiles(dist, { 'README.md': README });
    expect(snapshotTree(dist)).toEqual(versions[0].files);

    /** What a reader of dist sees must be one version, whole. Between the two renames dist is briefly absent. */
    const assertWhole = (label: string, before: Map<string, string>, after: Map<string, string>) => {
      const now = snapshotTree(dist);
      if (now.size === 0) {
        // Killed between the two renames: the old folder, whole, waits beside it to be put back.
        const { old } = observe(repo);
        expect(old, `${label}: dist is missing and no old folder is left to restore`).toBeDefined();
        expect(snapshotTree(path.join(repo, old!)), label).toEqual(before);
        return 'between renames';
      }
      if (now.size === before.size && [...now].every(([f, c]) => before.get(f) === c)) return 'old';
      expect(now, `${label}: dist is neither the old nor the new output`).toEqual(after);
      return 'new';
    };

    const points: Array<{ label: string; when: (o: Observed, ms: number) => boolean; midWrite?: boolean }> = [
      { label: 'while the app is loaded', when: (o, ms) => !o.next && ms > 400 },
      { label: 'as the new folder appears', when: (o) => !!o.next },
      { label: 'with a quarter of the files written', when: (o) => o.nextFiles() >= OBJECTS / 4, midWrite: true },
      // (half, not three quarters: counting the sharded folder takes long enough that the writer could finish the rest
      // and swap before the stop arrives)
      { label: 'with half the files written', when: (o) => o.nextFiles() >= OBJECTS / 2, midWrite: true },
      { label: 'while the old folder is deleted', when: (o) => !!o.old },
    ];
    const outcomes: string[] = [];
    let current = 0;
    for (const point of points) {
      const before = versions[current].files;
      const target = versions[1 - current];
      const { child, exit, frozen } = await runUntil(repo, target.env, point.when);
      if (frozen) {
        const seen = assertWhole(`${point.label} (stopped)`, before, target.files);
        // Stopped while the new folder was being written: dist is still entirely the old version.
        if (point.midWrite) expect(seen, point.label).toBe('old');
        child.kill('SIGKILL');
      }
      await exit;
      const after = assertWhole(`${point.label} (killed)`, before, target.files);
      outcomes.push(`${point.label}: ${frozen ? `killed, dist ${after}${frozen.next ? ', new folder half-built' : ''}` : 'finished before the kill'}`);
      if (point.midWrite) expect(frozen?.next, `${point.label}: the run was not caught while writing`).toBeDefined();

      // The next run recovers whatever the kill left, and completes.
      const next = runSynth(['--quiet'], repo, target.env);
      expect([next.code, next.stderr], point.label).toEqual([ExitCode.OK, '']);
      expect(snapshotTree(dist), point.label).toEqual(target.files);
      expect(fs.readdirSync(repo).filter((e) => e.startsWith('.dist.')), point.label).toEqual([]);
      current = 1 - current;
    }
    // For the record (printed by vitest): where each kill landed.
    console.log(outcomes.join('\n'));
    expect(listTree(repo).some((f) => f.startsWith('.dist.'))).toBe(false);
  }, 600_000);
});
