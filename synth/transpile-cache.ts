import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDirNear } from '../lib/cache-dir';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A file read is kept alive (its mtime set to now) once its mtime is further than this from now. */
const REFRESH_AFTER_MS = DAY_MS;
/** A file of the folder unused (mtime not refreshed) for longer than this is deleted by a sweep. */
const UNUSED_FOR_MS = 30 * DAY_MS;
/** Sweeps are at least this far apart. */
const SWEEP_EVERY_MS = DAY_MS;
/** The file whose mtime says when the last sweep ran; never swept itself. */
const SWEEP_MARKER = '.last-sweep';

/**
 * What the TypeScript loader produced before, kept on disk so that a run whose app files did not change neither
 * transpiles them again nor loads the transpiler at all (ts-node, TypeScript and swc together cost about 0.4 s of
 * every `synth`, more than the rest of a small app's run).
 *
 * Like the file states of the output folder, the cache is machine-local and lives in
 * `node_modules/.cache/cdk8s-dataops/ts/` of the nearest folder above the app with a `node_modules`; without one
 * nothing is cached. Entries are named by a hash of everything the output depends on (the loader's versions, its
 * options, the file's path and its exact content), so a stale entry is never used: it is only never read again.
 * Writing is best effort: a read-only `node_modules` only costs the next run a transpile.
 *
 * Pruning, so that every edit of an app file does not leave an entry forever. A file's mtime says when it was last
 * used: a hit (an entry, or a JSON document, read) sets it to now when it is more than a day old (or in the future),
 * so a warm run pays one `stat` per file read and at most one `utimes` per file and day. Files of the folder unused
 * for more than 30 days (entries, JSON documents, temporary files of a write that never finished) are deleted by a
 * sweep. The sweep runs at most once a day — the mtime of the folder's `.last-sweep` marker says when it last ran —
 * and only in a run that misses (one that writes an entry or a document, so has loaded the transpiler anyway), never
 * in a warm run. Deleting is never wrong, only a cost: everything in the folder is derived from files that are still
 * there (a deleted entry is transpiled again, a deleted decorator-options document read again from the tsconfig; the
 * live document is read, so kept alive, by every run of its app). Pruning is best effort too: nothing it fails to do
 * throws, and a read-only folder is used as it is.
 */
export class TranspileCache {
  /** The cache for an app in `appDir`, or a cache that keeps nothing when no `node_modules` is above it. */
  public static near(appDir: string, loaderId: string): TranspileCache {
    const dir = cacheDirNear(appDir);
    return new TranspileCache(dir && path.join(dir, 'ts'), loaderId);
  }

  /** Whether this instance (one run) has already looked at whether a sweep is due. */
  private sweepConsidered = false;

  private constructor(private readonly dir: string | undefined, private readonly loaderId: string) {}

  /** The cached output for a file's source under `options`, if any (a hit keeps the entry alive). */
  public get(file: string, source: string, options: string): string | undefined {
    if (!this.dir) return undefined;
    return this.read(this.entryOf(file, source, options));
  }

  /** Keeps an output for the next run (best effort); the first write of a run sweeps the folder when a sweep is due. */
  public set(file: string, source: string, options: string, output: string): void {
    if (!this.dir) return;
    this.write(this.entryOf(file, source, options), output);
  }

  /**
   * A small JSON document the loader keeps beside its entries (the decorator options read from the app's tsconfig),
   * or undefined when there is none.
   */
  public readJson<T>(name: string): T | undefined {
    if (!this.dir) return undefined;
    const text = this.read(path.join(this.dir, `${name}.json`));
    try {
      return text === undefined ? undefined : JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }

  /** Keeps a small JSON document (best effort; like {@link TranspileCache.set}, may sweep). */
  public writeJson(name: string, value: unknown): void {
    if (!this.dir) return;
    this.write(path.join(this.dir, `${name}.json`), JSON.stringify(value));
  }

  private entryOf(file: string, source: string, options: string): string {
    return path.join(this.dir!, `${hash(`${this.loaderId}\0${options}\0${path.resolve(file)}\0${source}`)}.js`);
  }

  /** A file's content, undefined when it cannot be read; a file read is kept alive. */
  private read(file: string): string | undefined {
    let content: string;
    try {
      content = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const now = Date.now();
      const mtime = fs.statSync(file).mtimeMs;
      if (Math.abs(now - mtime) > REFRESH_AFTER_MS) fs.utimesSync(file, new Date(now), new Date(now));
    } catch {
      // a read-only node_modules: the file ages, but no sweep can delete it there either
    }
    return content;
  }

  private write(file: string, content: string): void {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, content);
      fs.renameSync(tmp, file); // a concurrent run writing the same entry writes the same bytes
    } catch {
      // a read-only node_modules: the next run transpiles again
    }
    // Even when the write failed: a full disk is one reason, and the sweep may free it.
    this.sweepIfDue();
  }

  /** Deletes the folder's files unused for 30 days, once the last sweep is a day old (best effort). */
  private sweepIfDue(): void {
    if (this.sweepConsidered) return;
    this.sweepConsidered = true;
    const dir = this.dir!;
    const marker = path.join(dir, SWEEP_MARKER);
    const now = Date.now();
    try {
      const since = now - fs.statSync(marker).mtimeMs;
      // a marker dated in the future (the clock was set back) does not hold sweeps off
      if (since >= 0 && since < SWEEP_EVERY_MS) return;
    } catch {
      // no marker yet: sweep
    }
    try {
      fs.writeFileSync(marker, `${new Date(now).toISOString()}\n`); // first: runs starting meanwhile do not sweep too
    } catch {
      // unwritable: the next run with a miss tries again
    }
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name === SWEEP_MARKER) continue;
      const file = path.join(dir, name);
      try {
        const stat = fs.lstatSync(file);
        if (stat.isFile() && now - stat.mtimeMs > UNUSED_FOR_MS) fs.unlinkSync(file);
      } catch {
        // gone already (a concurrent sweep), or not ours to delete
      }
    }
  }
}

/** The SHA-1 of a text, hex (names of cache entries; also used to tell whether a config file changed). */
export function hash(text: string): string {
  return crypto.createHash('sha1').update(text).digest('hex');
}
