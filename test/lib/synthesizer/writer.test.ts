import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataOpsError } from 'cdk8s-dataops';
import { compareOutput, INDEX_FILE, readOwnedFiles, recoverInterruptedSwap, renderIndex, writeOutput } from '../../../lib/synthesizer/writer';
import { cleanUp, listTree, snapshotTree, statTree, tempDir, writeFiles } from '../../fixtures/repo';

afterEach(cleanUp);

const V1 = new Map([
  ['manifests/prod/payments/configmap.a.yaml', 'a: 1\n'],
  ['manifests/prod/payments/configmap.b.yaml', 'b: 1\n'],
  ['manifests/prod/_cluster/namespace.payments.yaml', 'ns: 1\n'],
  ['reports/lineage.md', '# lineage\n'],
]);

function outdir(): string {
  return path.join(tempDir(), 'dist');
}

/** Sibling entries of the output folder (where half-built and old folders would be left). */
function siblings(dir: string): string[] {
  return fs.readdirSync(path.dirname(dir)).filter((e) => e !== path.basename(dir));
}

describe('writeOutput', () => {
  it('writes every file and an ownership index beside manifests/', () => {
    const dir = outdir();
    const result = writeOutput(dir, V1);
    expect(snapshotTree(dir)).toEqual(new Map([...V1, [INDEX_FILE, renderIndex([...V1.keys()])]]));
    expect(result.written).toEqual([...V1.keys()].sort());
    expect([result.unchanged, result.removed, result.foreign]).toEqual([[], [], []]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8'))).toEqual({ version: 1, generator: 'cdk8s-dataops', files: [...V1.keys()].sort() });
    expect(siblings(dir)).toEqual([]);
  });

  it('renders the index sorted, with a trailing newline', () => {
    expect(renderIndex(['b', 'a'])).toBe('{\n  "version": 1,\n  "generator": "cdk8s-dataops",\n  "files": [\n    "a",\n    "b"\n  ]\n}\n');
  });

  it('touches nothing when nothing changed (same inodes and modification times)', () => {
    const dir = outdir();
    writeOutput(dir, V1);
    const before = statTree(dir);
    const folder = fs.statSync(dir).ino;
    const result = writeOutput(dir, new Map(V1));
    expect(result.written).toEqual([]);
    expect([...result.unchanged].sort()).toEqual([...V1.keys()].sort());
    expect(statTree(dir)).toEqual(before);
    expect(fs.statSync(dir).ino).toBe(folder);
  });

  it('rewrites only changed files: unchanged ones keep their inode and modification time', () => {
    const dir = outdir();
    writeOutput(dir, V1);
    const before = statTree(dir);
    const v2 = new Map(V1).set('manifests/prod/payments/configmap.a.yaml', 'a: 2\n');
    const result = writeOutput(dir, v2);
    expect(result.written).toEqual(['manifests/prod/payments/configmap.a.yaml']);
    const after = statTree(dir);
    for (const rel of ['manifests/prod/payments/configmap.b.yaml', 'manifests/prod/_cluster/namespace.payments.yaml', 'reports/lineage.md']) {
      expect(after.get(rel)).toEqual(before.get(rel));
    }
    expect(after.get('manifests/prod/payments/configmap.a.yaml')!.ino).not.toBe(before.get('manifests/prod/payments/configmap.a.yaml')!.ino);
    expect(fs.readFileSync(path.join(dir, 'manifests/prod/payments/configmap.a.yaml'), 'utf8')).toBe('a: 2\n');
  });

  it('removes owned files that are no longer produced, and never touches foreign files', () => {
    const dir = outdir();
    writeOutput(dir, V1);
    const foreign = {
      'README.md': '# our dist\n',
      'manifests/prod/README.md': 'hand-written notes\n',
      'manifests/prod/payments/kustomization.yaml': 'resources: []\n',
      '.hidden/keep.txt': 'x\n',
    };
    writeFiles(dir, foreign);
    fs.symlinkSync('README.md', path.join(dir, 'LINK.md'));
    const foreignBefore = statTree(dir);

    const v2 = new Map(V1);
    v2.delete('manifests/prod/payments/configmap.b.yaml');
    v2.delete('manifests/prod/_cluster/namespace.payments.yaml');
    v2.set('manifests/prod/payments/configmap.c.yaml', 'c: 1\n');
    const result = writeOutput(dir, v2);

    expect(result.removed).toEqual(['manifests/prod/_cluster/namespace.payments.yaml', 'manifests/prod/payments/configmap.b.yaml']);
    expect(result.written).toEqual(['manifests/prod/payments/configmap.c.yaml']);
    expect(result.foreign).toEqual(['.hidden/keep.txt', 'LINK.md', 'README.md', 'manifests/prod/README.md', 'manifests/prod/payments/kustomization.yaml']);
    expect(listTree(dir)).toEqual([
      '.cdk8s-dataops.json', '.hidden/keep.txt', 'LINK.md', 'README.md', 'manifests/prod/README.md',
      'manifests/prod/payments/configmap.a.yaml', 'manifests/prod/payments/configmap.c.yaml', 'manifests/prod/payments/kustomization.yaml',
      'reports/lineage.md',
    ]);
    const after = statTree(dir);
    for (const [rel, content] of Object.entries(foreign)) {
      expect(fs.readFileSync(path.join(dir, rel), 'utf8')).toBe(content);
      expect(after.get(rel)).toEqual(foreignBefore.get(rel));
    }
    expect(fs.readlinkSync(path.join(dir, 'LINK.md'))).toBe('README.md');
    expect([...readOwnedFiles(dir)].sort()).toEqual([...v2.keys()].sort());
  });

  it('refuses to overwrite a file it did not write, naming it, and leaves the folder as it was', () => {
    const dir = outdir();
    writeOutput(dir, V1);
    writeFiles(dir, { 'manifests/prod/payments/configmap.new.yaml': 'hand-made\n' });
    const before = snapshotTree(dir);
    const v2 = new Map(V1).set('manifests/prod/payments/configmap.new.yaml', 'generated\n');
    expect(() => writeOutput(dir, v2)).toThrow(DataOpsError);
    expect(() => writeOutput(dir, v2)).toThrow(
      `${path.join(dir, 'manifests/prod/payments/configmap.new.yaml')} exists but was not written by cdk8s-dataops (it is not in ${INDEX_FILE}); move it away or delete it, then run synth again`,
    );
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('adopts nothing into a folder that has no index: every existing file is foreign', () => {
    const dir = outdir();
    writeFiles(dir, { 'notes.txt': 'n\n' });
    const result = writeOutput(dir, V1);
    expect(result.foreign).toEqual(['notes.txt']);
    expect(readOwnedFiles(dir).has('notes.txt')).toBe(false);
  });

  it('refuses to work with a damaged ownership index, saying how to restore it', () => {
    const dir = outdir();
    writeOutput(dir, V1);
    fs.writeFileSync(path.join(dir, INDEX_FILE), '{"version": 1, "files": [');
    const before = snapshotTree(dir);
    const index = path.join(dir, INDEX_FILE);
    expect(() => writeOutput(dir, V1)).toThrow(new RegExp(`^${index.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is damaged \\(.+\\); restore it from Git \\(git checkout -- `));
    fs.writeFileSync(path.join(dir, INDEX_FILE), '{"version": 1}');
    expect(() => readOwnedFiles(dir)).toThrow(/is damaged \(no files list\)/);
    fs.writeFileSync(path.join(dir, INDEX_FILE), before.get(INDEX_FILE)!.replace('[', '{'));
    expect(() => compareOutput(dir, V1)).toThrow(/is damaged/);
  });

  it('is all or nothing: a failure while building the new folder leaves the old one byte-identical', () => {
    const dir = outdir();
    writeOutput(dir, V1);
    const before = snapshotTree(dir);
    const inodes = statTree(dir);
    // 'reports' is a file and a folder at once: writing fails half-way through the new folder.
    const bad = new Map(V1).set('reports/lineage.md/oops.yaml', 'x\n');
    expect(() => writeOutput(dir, bad)).toThrow();
    expect(snapshotTree(dir)).toEqual(before);
    expect(statTree(dir)).toEqual(inodes);
    expect(siblings(dir)).toEqual([]);
  });
});

describe('writeOutput safety', () => {
  it('refuses to replace a Git work tree or a folder that contains the current directory', () => {
    const project = tempDir();
    writeFiles(project, { '.git/HEAD': 'ref: refs/heads/main\n', 'src/app.ts': '' });
    expect(() => writeOutput(project, V1)).toThrow(`refusing to write into ${project}: it is the root of a Git work tree, and the output folder is replaced as a whole`);
    const cwd = process.cwd();
    expect(() => writeOutput(cwd, V1)).toThrow(`refusing to write into ${cwd}: it contains the current directory`);
    expect(() => writeOutput(path.dirname(cwd), V1)).toThrow(/it contains the current directory/);
    expect(listTree(project)).toEqual(['.git/HEAD', 'src/app.ts']);
  });
});

describe('recoverInterruptedSwap', () => {
  /** The state a kill between the two renames of a swap leaves: the old folder moved aside, the new one complete. */
  function crashBetweenRenames(dir: string, next: ReadonlyMap<string, string>): void {
    const parent = path.dirname(dir);
    const base = path.basename(dir);
    const built = path.join(parent, `.${base}.next-AbC123`);
    writeFiles(built, Object.fromEntries(next));
    fs.renameSync(dir, path.join(parent, `.${base}.old-4242`));
  }

  it('puts the old folder back after a kill between the two renames, and removes the half-swapped new one', () => {
    const dir = outdir();
    writeOutput(dir, V1);
    const before = snapshotTree(dir);
    crashBetweenRenames(dir, new Map([['manifests/prod/payments/configmap.z.yaml', 'z\n']]));
    expect(fs.existsSync(dir)).toBe(false);
    recoverInterruptedSwap(dir);
    expect(snapshotTree(dir)).toEqual(before);
    expect(siblings(dir)).toEqual([]);
  });

  it('removes a leftover old folder when the swap itself completed (killed while deleting the old folder)', () => {
    const dir = outdir();
    writeOutput(dir, V1);
    const current = snapshotTree(dir);
    writeFiles(path.join(path.dirname(dir), '.dist.old-77'), { 'manifests/prod/payments/configmap.a.yaml': 'stale\n' });
    recoverInterruptedSwap(dir);
    expect(snapshotTree(dir)).toEqual(current);
    expect(siblings(dir)).toEqual([]);
  });

  it('runs before every write and check, so the next synth starts from the old folder', () => {
    const dir = outdir();
    writeOutput(dir, V1);
    crashBetweenRenames(dir, new Map([['junk', 'j']]));
    expect(compareOutput(dir, V1).upToDate).toBe(true);
    expect(siblings(dir)).toEqual([]);

    crashBetweenRenames(dir, new Map([['junk', 'j']]));
    const v2 = new Map(V1).set('manifests/prod/payments/configmap.a.yaml', 'a: 2\n');
    const result = writeOutput(dir, v2);
    expect(result.written).toEqual(['manifests/prod/payments/configmap.a.yaml']);
    expect(snapshotTree(dir)).toEqual(new Map([...v2, [INDEX_FILE, renderIndex([...v2.keys()])]]));
    expect(siblings(dir)).toEqual([]);
  });

  it('does nothing when there is nothing to recover, or no parent folder at all', () => {
    const dir = outdir();
    writeOutput(dir, V1);
    const before = statTree(dir);
    recoverInterruptedSwap(dir);
    expect(statTree(dir)).toEqual(before);
    expect(() => recoverInterruptedSwap(path.join(dir, 'no', 'such', 'folder'))).not.toThrow();
  });

  it('only touches its own folders (another output folder with a similar name is left alone)', () => {
    const dir = outdir();
    writeOutput(dir, V1);
    const parent = path.dirname(dir);
    writeFiles(path.join(parent, '.dist-other.next-x'), { a: 'a' });
    writeFiles(path.join(parent, 'dist.next-x'), { a: 'a' });
    recoverInterruptedSwap(dir);
    expect(siblings(dir).sort()).toEqual(['.dist-other.next-x', 'dist.next-x']);
  });
});

describe('compareOutput', () => {
  it('lists missing, changed and obsolete files without writing anything', () => {
    const dir = outdir();
    writeOutput(dir, V1);
    writeFiles(dir, { 'README.md': 'foreign\n' });
    const before = statTree(dir);
    const v2 = new Map(V1)
      .set('manifests/prod/payments/configmap.a.yaml', 'a: 2\n')
      .set('manifests/dev/payments/configmap.a.yaml', 'a: 1\n');
    v2.delete('reports/lineage.md');
    const cmp = compareOutput(dir, v2);
    expect(cmp).toEqual({
      added: ['manifests/dev/payments/configmap.a.yaml'],
      changed: ['manifests/prod/payments/configmap.a.yaml'],
      removed: ['reports/lineage.md'],
      unchanged: ['manifests/prod/payments/configmap.b.yaml', 'manifests/prod/_cluster/namespace.payments.yaml'],
      upToDate: false,
    });
    expect(statTree(dir)).toEqual(before);
  });

  it('is up to date when the files and the index match (foreign files aside)', () => {
    const dir = outdir();
    writeOutput(dir, V1);
    writeFiles(dir, { 'README.md': 'foreign\n' });
    expect(compareOutput(dir, V1).upToDate).toBe(true);
  });

  it('notices a stale or missing index even when every file matches', () => {
    const dir = outdir();
    writeOutput(dir, V1);
    fs.rmSync(path.join(dir, INDEX_FILE));
    const cmp = compareOutput(dir, V1);
    expect([cmp.added, cmp.changed, cmp.removed, cmp.upToDate]).toEqual([[], [], [], false]);
  });

  it('reports everything as missing when the folder does not exist', () => {
    const cmp = compareOutput(outdir(), V1);
    expect(cmp.added).toEqual([...V1.keys()].sort());
    expect(cmp.upToDate).toBe(false);
  });
});
