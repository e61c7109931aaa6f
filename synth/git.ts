import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { DataOpsError } from '../lib/errors';

function git(cwd: string, args: string[], input?: string): Buffer {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 1024 * 1024 * 1024 });
  if (r.error) throw new DataOpsError(`git is needed for this command and could not run: ${r.error.message}`);
  if (r.status !== 0) throw new DataOpsError(`git ${args.join(' ')} failed: ${r.stderr.toString().trim()}`);
  return r.stdout;
}

/** The root of the Git work tree that contains `dir`. */
export function gitRoot(dir: string): string {
  return git(dir, ['rev-parse', '--show-toplevel']).toString().trim();
}

/**
 * Every file below `dir` as committed at `rev`: path relative to `dir` → content. Reads all blobs through one
 * `git cat-file --batch` process, so it stays fast for tens of thousands of files.
 */
export function readTreeAt(dir: string, rev: string): Map<string, string> {
  const root = gitRoot(dir);
  const rel = path.relative(root, dir).split(path.sep).join('/');
  git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
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
