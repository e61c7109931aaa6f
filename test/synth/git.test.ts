import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitRoot, readTreeAt } from '../../synth/git';
import { cleanUp, commitAll, git, tempDir, writeFiles } from '../fixtures/repo';

afterEach(cleanUp);

function repo(): string {
  const dir = tempDir();
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'user.name', 'test');
  return dir;
}

describe('readTreeAt', () => {
  it('returns the files of a folder as committed at a revision, relative to the folder', () => {
    const dir = repo();
    writeFiles(dir, { 'dist/a.yaml': 'a: 1\n', 'dist/sub/b.yaml': 'b: ü 😀\n', 'dist-other/c.yaml': 'c\n', 'top.txt': 't\n' });
    const v1 = commitAll(dir, 'v1');
    writeFiles(dir, { 'dist/a.yaml': 'a: 2\n', 'dist/new.yaml': 'n\n' });
    commitAll(dir, 'v2');
    fs.writeFileSync(path.join(dir, 'dist/a.yaml'), 'uncommitted\n');
    expect(readTreeAt(path.join(dir, 'dist'), v1)).toEqual(new Map([['a.yaml', 'a: 1\n'], ['sub/b.yaml', 'b: ü 😀\n']]));
    expect(readTreeAt(path.join(dir, 'dist'), 'HEAD')).toEqual(new Map([['a.yaml', 'a: 2\n'], ['new.yaml', 'n\n'], ['sub/b.yaml', 'b: ü 😀\n']]));
    expect([...readTreeAt(dir, 'HEAD').keys()].sort()).toEqual(['dist-other/c.yaml', 'dist/a.yaml', 'dist/new.yaml', 'dist/sub/b.yaml', 'top.txt']);
  });

  it('reads many files at once', () => {
    const dir = repo();
    const files: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) files[`dist/f${i}.yaml`] = `i: ${i}\n${'x'.repeat(i % 50)}\n`;
    writeFiles(dir, files);
    commitAll(dir, 'many');
    const tree = readTreeAt(path.join(dir, 'dist'), 'HEAD');
    expect(tree.size).toBe(2000);
    expect(tree.get('f1234.yaml')).toBe(files['dist/f1234.yaml']);
  });

  it('is empty for a folder that is not committed (or does not exist yet)', () => {
    const dir = repo();
    writeFiles(dir, { 'x.txt': 'x' });
    commitAll(dir, 'x');
    expect(readTreeAt(path.join(dir, 'dist'), 'HEAD')).toEqual(new Map());
    expect(gitRoot(path.join(dir, 'dist', 'deeper'))).toBe(fs.realpathSync(dir));
  });

  it('works through a symbolic link to the repository', () => {
    const dir = repo();
    writeFiles(dir, { 'dist/a.yaml': 'a\n' });
    commitAll(dir, 'v1');
    const link = path.join(tempDir(), 'link');
    fs.symlinkSync(dir, link);
    expect(readTreeAt(path.join(link, 'dist'), 'HEAD')).toEqual(new Map([['a.yaml', 'a\n']]));
  });

  it('explains an unknown revision and a folder outside Git', () => {
    const dir = repo();
    expect(() => readTreeAt(dir, 'HEAD')).toThrow(`'HEAD' is not a commit of the Git repository ${fs.realpathSync(dir)}; give a branch, tag or commit`);
    const outside = tempDir();
    expect(() => readTreeAt(outside, 'HEAD')).toThrow(`${outside} is not in a Git repository`);
  });
});
