import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStates } from '../../../lib/synthesizer/file-states';
import { compareOutput, writeOutput } from '../../../lib/synthesizer/writer';

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A project folder with a node_modules (where the states are kept) and its output folder. */
function project(withNodeModules = true): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'file-states-'));
  made.push(dir);
  if (withNodeModules) fs.mkdirSync(path.join(dir, 'node_modules'));
  return path.join(dir, 'dist');
}

const files = new Map([['manifests/prod/data/configmap.a.yaml', 'data:\n  a: "1"\n'], ['manifests/prod/data/configmap.b.yaml', 'data:\n  b: "2"\n']]);
const A = 'manifests/prod/data/configmap.a.yaml';

describe('FileStates', () => {
  it('tells an unchanged file by its recorded state, without reading it', () => {
    const outdir = project();
    writeOutput(outdir, files);
    const cache = fs.readdirSync(path.join(outdir, '..', 'node_modules', '.cache', 'cdk8s-dataops'));
    expect(cache).toHaveLength(1);
    // Same size, same inode, mtime put back: only a read could tell the bytes differ, and none is made.
    const abs = path.join(outdir, A);
    const st = fs.statSync(abs);
    fs.writeFileSync(abs, 'data:\n  a: "9"\n');
    fs.utimesSync(abs, st.atime, st.mtime);
    expect(FileStates.load(outdir).holds(A, files.get(A)!)).toBe(true);
    // A hand edit moves the mtime: the file is read, and the difference found.
    fs.utimesSync(abs, st.atime, new Date(st.mtimeMs + 5000));
    expect(FileStates.load(outdir).holds(A, files.get(A)!)).toBe(false);
    expect(compareOutput(outdir, files).changed).toEqual([A]);
    expect(writeOutput(outdir, files).written).toEqual([A]);
    expect(fs.readFileSync(abs, 'utf8')).toBe(files.get(A));
  });

  it('knows a content change of the code by its hash, and a re-run with nothing changed writes nothing', () => {
    const outdir = project();
    writeOutput(outdir, files);
    expect(FileStates.load(outdir).holds(A, 'data:\n  a: "2"\n')).toBe(false);
    const again = writeOutput(outdir, files);
    expect(again.written).toEqual([]);
    expect([...again.unchanged].sort()).toEqual([...files.keys()].sort());
    expect(compareOutput(outdir, files).upToDate).toBe(true);
  });

  it('does not look again at a file proven unchanged in the same synthesis (the writer after the history rules)', () => {
    const outdir = project();
    writeOutput(outdir, files);
    const states = FileStates.load(outdir);
    expect(states.provesHolds(A, files.get(A)!)).toBe(true);
    // Changed by someone else in between (its new size would otherwise make holds read it): the proof stands ...
    const abs = path.join(outdir, A);
    fs.writeFileSync(abs, 'data:\n  a: "99"\n');
    expect(states.holds(A, files.get(A)!)).toBe(true);
    expect(states.provesHolds(A, files.get(A)!)).toBe(true); // a second history rule asking: not looked at again
    // ... for that content only, and not for another instance (another synthesis), which finds the change.
    expect(states.holds(A, 'data:\n  a: "98"\n')).toBe(false);
    expect(FileStates.load(outdir).holds(A, files.get(A)!)).toBe(false);
  });

  it('reads and compares every file when there is no state (a fresh clone, no node_modules)', () => {
    const outdir = project(false);
    writeOutput(outdir, files);
    expect(FileStates.load(outdir).holds(A, files.get(A)!)).toBe(true);
    fs.writeFileSync(path.join(outdir, A), 'data:\n  a: "9"\n');
    expect(FileStates.load(outdir).holds(A, files.get(A)!)).toBe(false);
    expect(compareOutput(outdir, files).changed).toEqual([A]);
  });

  it('treats a deleted file as not holding anything', () => {
    const outdir = project();
    writeOutput(outdir, files);
    fs.rmSync(path.join(outdir, A));
    expect(FileStates.load(outdir).holds(A, files.get(A)!)).toBe(false);
    expect(compareOutput(outdir, files).added).toEqual([A]);
  });
});
