import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataOpsError } from '../errors';
import { FileStates } from './file-states';

/** The ownership index: which files under the output folder the synthesizer wrote (and may remove). */
export const INDEX_FILE = '.cdk8s-dataops.json';
const INDEX_VERSION = 1;

/** What a write did. */
export interface WriteResult {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
  /** Files in the output folder the synthesizer did not write; they are kept as they are. */
  readonly foreign: readonly string[];
}

/** How the files on disk differ from the files the code produces. */
export interface OutputComparison {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
  /** True when the folder holds exactly what the code produces (foreign files aside). */
  readonly upToDate: boolean;
}

interface OwnershipIndex { readonly version: number; readonly generator: string; readonly files: string[] }

/** Reads the ownership index; a missing folder or index means no file is owned. */
export function readOwnedFiles(outdir: string): Set<string> {
  const file = path.join(outdir, INDEX_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return new Set();
  }
  try {
    const index = JSON.parse(text) as OwnershipIndex;
    if (!Array.isArray(index.files)) throw new Error('no files list');
    return new Set(index.files);
  } catch (e) {
    throw new DataOpsError(`${file} is damaged (${(e as Error).message}); restore it from Git (git checkout -- ${file})`);
  }
}

/** Compares desired files with the output folder without writing anything (`synth --check`). */
export function compareOutput(outdir: string, files: ReadonlyMap<string, string>, states: FileStates = FileStates.load(outdir)): OutputComparison {
  recoverInterruptedSwap(outdir);
  const owned = readOwnedFiles(outdir);
  const added: string[] = []; const changed: string[] = []; const unchanged: string[] = [];
  for (const [rel, content] of files) {
    if (states.holds(rel, content)) unchanged.push(rel);
    else if (fs.existsSync(path.join(outdir, rel))) changed.push(rel);
    else added.push(rel);
  }
  const removed = [...owned].filter((f) => !files.has(f) && fs.existsSync(path.join(outdir, f))).sort();
  const indexStale = readIfExists(path.join(outdir, INDEX_FILE)) !== renderIndex([...files.keys()]);
  return {
    added: added.sort(), changed: changed.sort(), removed, unchanged,
    upToDate: added.length === 0 && changed.length === 0 && removed.length === 0 && !indexStale,
  };
}

/**
 * Writes `files` (relative path → content) as the new content of `outdir`, all or nothing:
 * the new folder is built beside the old one (unchanged and foreign files are hard-linked, not copied),
 * then swapped in with two renames. An error or a kill before the swap leaves the old folder as it was;
 * a kill between the two renames is rolled back by the next run. Owned files no longer produced are
 * removed; files the synthesizer never wrote are kept.
 */
export function writeOutput(outdir: string, files: ReadonlyMap<string, string>, states: FileStates = FileStates.load(outdir)): WriteResult {
  const target = path.resolve(outdir);
  assertDedicatedFolder(target);
  recoverInterruptedSwap(target);
  const owned = readOwnedFiles(target);
  const existing = listFiles(target);

  const written: string[] = []; const unchanged: string[] = []; const foreign: string[] = [];
  const keep = new Map<string, string>(); // relative path → existing absolute path to hard-link
  for (const rel of existing) {
    if (rel === INDEX_FILE) continue;
    const abs = path.join(target, rel);
    if (!owned.has(rel)) {
      if (files.has(rel)) {
        throw new DataOpsError(`${abs} exists but was not written by cdk8s-dataops (it is not in ${INDEX_FILE}); ` +
          'move it away or delete it, then run synth again');
      }
      foreign.push(rel);
      keep.set(rel, abs);
    }
  }
  for (const [rel, content] of files) {
    if (owned.has(rel) && existing.has(rel) && states.holds(rel, content)) {
      unchanged.push(rel);
      keep.set(rel, path.join(target, rel));
    } else {
      written.push(rel);
    }
  }
  const removed = [...owned].filter((f) => !files.has(f) && existing.has(f)).sort();
  const index = renderIndex([...files.keys()]);
  const indexUnchanged = readIfExists(path.join(target, INDEX_FILE)) === index;
  if (written.length === 0 && removed.length === 0 && indexUnchanged && fs.existsSync(target)) {
    states.save();
    return { written, unchanged, removed, foreign };
  }

  const parent = path.dirname(target);
  const base = path.basename(target);
  fs.mkdirSync(parent, { recursive: true });
  const next = fs.mkdtempSync(path.join(parent, `.${base}.next-`));
  try {
    const made = new Set<string>();
    const ensureDir = (rel: string) => {
      const dir = path.dirname(rel);
      if (dir === '.' || made.has(dir)) return;
      fs.mkdirSync(path.join(next, dir), { recursive: true });
      for (let d = dir; d !== '.' && !made.has(d); d = path.dirname(d)) made.add(d);
    };
    for (const [rel, abs] of keep) {
      ensureDir(rel);
      linkOrCopy(abs, path.join(next, rel));
    }
    for (const rel of written) {
      ensureDir(rel);
      states.write(rel, path.join(next, rel), files.get(rel)!);
    }
    fs.writeFileSync(path.join(next, INDEX_FILE), index);
    swapIn(target, next);
    states.save();
  } catch (e) {
    fs.rmSync(next, { recursive: true, force: true });
    throw e;
  }
  return { written: written.sort(), unchanged, removed, foreign: foreign.sort() };
}

/**
 * The output folder is replaced as a whole on every write (built beside, then swapped in), so it must be a folder of
 * its own: never the project (a Git work tree root) or a folder that contains the current directory.
 */
function assertDedicatedFolder(target: string): void {
  const rel = path.relative(target, process.cwd());
  const containsCwd = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  if (containsCwd || fs.existsSync(path.join(target, '.git'))) {
    throw new DataOpsError(`refusing to write into ${target}: it ${containsCwd ? 'contains the current directory' : 'is the root of a Git work tree'}, ` +
      'and the output folder is replaced as a whole on every synth. Use a folder of its own, such as dist');
  }
}

/** The index content for a set of files: sorted, stable, with a trailing newline. */
export function renderIndex(files: readonly string[]): string {
  const index: OwnershipIndex = { version: INDEX_VERSION, generator: 'cdk8s-dataops', files: [...files].sort() };
  return JSON.stringify(index, null, 2) + '\n';
}

function swapIn(target: string, next: string): void {
  if (!fs.existsSync(target)) {
    fs.renameSync(next, target);
    return;
  }
  const old = `${path.join(path.dirname(target), `.${path.basename(target)}.old`)}-${process.pid}`;
  fs.renameSync(target, old);
  // A kill here leaves only `old`; recoverInterruptedSwap puts it back on the next run.
  fs.renameSync(next, target);
  fs.rmSync(old, { recursive: true, force: true });
}

/** Undoes a swap that was interrupted between its two renames, and removes half-built folders. */
export function recoverInterruptedSwap(outdir: string): void {
  const target = path.resolve(outdir);
  const parent = path.dirname(target);
  const base = path.basename(target);
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return;
  }
  const olds = entries.filter((e) => e.startsWith(`.${base}.old-`));
  for (const e of entries) {
    if (e.startsWith(`.${base}.next-`)) fs.rmSync(path.join(parent, e), { recursive: true, force: true });
  }
  for (const e of olds) {
    if (!fs.existsSync(target)) fs.renameSync(path.join(parent, e), target);
    else fs.rmSync(path.join(parent, e), { recursive: true, force: true });
  }
}

function linkOrCopy(from: string, to: string): void {
  const st = fs.lstatSync(from);
  if (st.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(from), to);
    return;
  }
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** Every file below a folder, as '/'-separated relative paths. */
function listFiles(root: string): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const ent of entries) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) walk(path.join(dir, ent.name), r);
      else out.add(r);
    }
  };
  walk(root, '');
  return out;
}
