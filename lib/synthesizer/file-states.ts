import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDirNear } from '../cache-dir';

/** What the synthesizer last wrote to a file: size, mtime (to the nearest ms: tools that restore an mtime through a float or a Date land within a fraction of it), inode, and the SHA-1 of the content. */
type FileState = [size: number, mtimeMs: number, ino: number, sha1: string];

const VERSION = 1;

/**
 * What the last synthesis left in each file of an output folder, so that a run with nothing to change (and
 * `synth --check`) can tell that a file holds what it would write without reading it: when its size, mtime and inode
 * are what was recorded and the recorded hash is the hash of the new content, the file is unchanged. Anything else
 * (a file edited by hand, a fresh clone, another machine) falls back to reading and comparing the file.
 *
 * One instance serves one synthesis: what {@link FileStates.provesHolds} proved (the history rules ask first) is not
 * looked at again by {@link FileStates.holds} for the same content (the writer asks next). A file changed by someone
 * else in those seconds is then kept as it is, and recorded with its old state: the next run finds the state wrong,
 * reads the file and puts it right.
 *
 * The states are machine-local, like Git's index stat data, so they are kept outside the output folder (which is
 * committed): in `node_modules/.cache/cdk8s-dataops/` of the nearest folder above it with a `node_modules`.
 */
export class FileStates {
  /**
   * The recorded states of an output folder (none when there is no cache). They are read on first use: a run into an
   * empty folder (tens of thousands of states at a large platform) never parses them.
   */
  public static load(outdir: string): FileStates {
    return new FileStates(path.resolve(outdir), cacheFileOf(outdir));
  }

  private readonly next = new Map<string, FileState>();
  /** What {@link FileStates.provesHolds} proved in this run: file → content. */
  private readonly proven = new Map<string, string>();
  private recorded?: Map<string, FileState>;

  private constructor(private readonly outdir: string, private readonly file: string | undefined) {}

  private get entries(): Map<string, FileState> {
    if (this.recorded) return this.recorded;
    this.recorded = new Map();
    if (this.file) {
      try {
        const data = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { version: number; outdir: string; files: Record<string, FileState> };
        if (data.version === VERSION && data.outdir === this.outdir) this.recorded = new Map(Object.entries(data.files));
      } catch {
        // no cache, or an unreadable one: every file is read
      }
    }
    return this.recorded;
  }

  /** Whether `rel` (relative to the output folder) holds exactly `content`: by its recorded state when it can tell, else by reading it. */
  public holds(rel: string, content: string): boolean {
    const abs = path.join(this.outdir, rel);
    const state = this.entries.get(rel);
    if (state && this.proven.get(rel) === content) {
      this.next.set(rel, state);
      return true;
    }
    if (state) {
      const st = fs.statSync(abs, { throwIfNoEntry: false });
      if (!st) return false;
      if (st.size === state[0] && Math.round(st.mtimeMs) === state[1] && st.ino === state[2]) {
        const same = sha1(content) === state[3];
        if (same) this.next.set(rel, state);
        return same;
      }
    }
    let current: string;
    try {
      current = fs.readFileSync(abs, 'utf8');
    } catch {
      return false;
    }
    if (current !== content) return false;
    this.record(rel, fs.statSync(abs), content);
    return true;
  }

  /**
   * Whether the recorded state alone proves that `rel` holds exactly `content` (its size, mtime and inode are as
   * recorded and the recorded hash is the content's). False means only "cannot tell without reading it".
   */
  public provesHolds(rel: string, content: string): boolean {
    const state = this.entries.get(rel);
    if (!state) return false;
    // Proven already in this synthesis (each history rule asks for the previous object of every topic).
    if (this.proven.get(rel) === content) return true;
    const st = fs.statSync(path.join(this.outdir, rel), { throwIfNoEntry: false });
    const same = st !== undefined && st.size === state[0] && Math.round(st.mtimeMs) === state[1] && st.ino === state[2] && sha1(content) === state[3];
    if (same) this.proven.set(rel, content);
    return same;
  }

  /** Writes `content` to `abs` (the file `rel` will be once the folder is in place) and records its state. */
  public write(rel: string, abs: string, content: string): void {
    const fd = fs.openSync(abs, 'w');
    try {
      fs.writeSync(fd, content);
      this.record(rel, fs.fstatSync(fd), content);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Saves the states recorded in this run (files written, or found unchanged), for the next one. Best effort. */
  public save(): void {
    if (!this.file) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ version: VERSION, outdir: this.outdir, files: Object.fromEntries(this.next) }));
      fs.renameSync(tmp, this.file);
    } catch {
      // a read-only node_modules only costs the next run a read of every file
    }
  }

  private record(rel: string, st: fs.Stats, content: string): void {
    this.next.set(rel, [st.size, Math.round(st.mtimeMs), st.ino, sha1(content)]);
  }
}

function sha1(content: string): string {
  return crypto.createHash('sha1').update(content).digest('base64');
}

/** `node_modules/.cache/cdk8s-dataops/<hash of the folder>.json` of the nearest folder above `outdir` with a node_modules. */
function cacheFileOf(outdir: string): string | undefined {
  const abs = path.resolve(outdir);
  const dir = cacheDirNear(path.dirname(abs));
  return dir && path.join(dir, `${sha1(abs).replace(/[/+=]/g, '').slice(0, 16)}.json`);
}
