import * as fs from 'node:fs';
import * as path from 'node:path';

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
 * One folder of machine-local cache files (below `node_modules/.cache/cdk8s-dataops/`), read and written best effort
 * and pruned so that it does not grow forever.
 *
 * A file's mtime says when it was last used: a read sets it to now when it is more than a day old (or in the future),
 * so a warm run pays one `stat` per file read and at most one `utimes` per file and day. Files of the folder unused for
 * more than 30 days (temporary files of a write that never finished too) are deleted by a sweep. The sweep runs at most
 * once a day — the mtime of the folder's `.last-sweep` marker says when it last ran — and only in a run that writes,
 * never in one that only reads. Deleting is never wrong, only a cost: everything kept in such a folder is derived from
 * files that are still there. Nothing here throws: a read-only folder is used as it is.
 */
export class CacheFolder {
  /** Whether this instance (one run) has already looked at whether a sweep is due. */
  private sweepConsidered = false;

  constructor(public readonly dir: string) {}

  /** The content of a file of the folder, undefined when it cannot be read; a file read is kept alive. */
  public read(name: string): string | undefined {
    const file = path.join(this.dir, name);
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

  /** Writes a file of the folder atomically (best effort); the first write of a run sweeps the folder when a sweep is due. */
  public write(name: string, content: string): void {
    const file = path.join(this.dir, name);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, content);
      fs.renameSync(tmp, file); // a concurrent run writing the same file writes what is right for it too
    } catch {
      // a read-only node_modules: the next run does the work again
    }
    // Even when the write failed: a full disk is one reason, and the sweep may free it.
    this.sweepIfDue();
  }

  /** Deletes a file of the folder (best effort). */
  public delete(name: string): void {
    try {
      fs.unlinkSync(path.join(this.dir, name));
    } catch {
      // gone already, or not ours to delete
    }
  }

  /** Deletes the folder's files unused for 30 days, once the last sweep is a day old (best effort). */
  private sweepIfDue(): void {
    if (this.sweepConsidered) return;
    this.sweepConsidered = true;
    const marker = path.join(this.dir, SWEEP_MARKER);
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
      // unwritable: the next run that writes tries again
    }
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name === SWEEP_MARKER) continue;
      const file = path.join(this.dir, name);
      try {
        const stat = fs.lstatSync(file);
        if (stat.isFile() && now - stat.mtimeMs > UNUSED_FOR_MS) fs.unlinkSync(file);
      } catch {
        // gone already (a concurrent sweep), or not ours to delete
      }
    }
  }
}
