import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataOpsError } from '../lib/errors';

function git(cwd: string, args: string[], input?: string): Buffer {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 1024 * 1024 * 1024 });
  if (r.error) throw new DataOpsError(`git is needed for this command and could not run: ${r.error.message}`);
  if (r.status !== 0) throw new DataOpsError(`git ${args.join(' ')} failed: ${r.stderr.toString().trim()}`);
  return r.stdout;
}

/**
 * `dir` with symbolic links resolved, as Git reports paths. The folder itself may not exist yet (no dist before the
 * first synth): its nearest existing ancestor is resolved instead, and git runs there.
 */
function realFolder(dir: string): { readonly real: string; readonly existing: string } {
  let existing = path.resolve(dir);
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  const realExisting = fs.realpathSync(existing);
  return { real: path.join(realExisting, path.relative(existing, path.resolve(dir))), existing: realExisting };
}

/** The root of the Git work tree that contains `dir` (which need not exist yet). */
export function gitRoot(dir: string): string {
  const { existing } = realFolder(dir);
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: existing });
  if (r.error) throw new DataOpsError(`git is needed for this command and could not run: ${r.error.message}`);
  if (r.status !== 0) throw new DataOpsError(`${dir} is not in a Git repository (this command compares with what is committed)`);
  return r.stdout.toString().trim();
}

/**
 * Every file below `dir` as committed at `rev`: path relative to `dir` → content. Reads all blobs through one
 * `git cat-file --batch` process, so it stays fast for tens of thousands of files.
 */
export function readTreeAt(dir: string, rev: string): Map<string, string> {
  const root = gitRoot(dir);
  const rel = path.relative(root, realFolder(dir).real).split(path.sep).join('/');
  if (spawnSync('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: root }).status !== 0) {
    throw new DataOpsError(`'${rev}' is not a commit of the Git repository ${root}; give a branch, tag or commit`);
  }
  const names = git(root, ['ls-tree', '-r', '-z', '--name-only', rev, '--', rel || '.']).toString().split('\0').filter(Boolean);
  const out = new Map<string, string>();
  if (names.length === 0) return out;
  const buf = git(root, ['cat-file', '--batch'], names.map((n) => `${rev}:${n}`).join('\n') + '\n');
  let pos = 0;
  for (const name of names) {
    const nl = buf.indexOf(10, pos);
    const header = buf.subarray(pos, nl).toString();
    const size = Number(header.split(' ')[2]);
    if (!Number.isFinite(size)) throw new DataOpsError(`git cat-file: unexpected answer '${header}' for ${name}`);
    out.set(rel ? name.slice(rel.length + 1) : name, buf.subarray(nl + 1, nl + 1 + size).toString('utf8'));
    pos = nl + 1 + size + 1;
  }
  return out;
}
