import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDirNear } from '../lib/cache-dir';

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
 */
export class TranspileCache {
  /** The cache for an app in `appDir`, or a cache that keeps nothing when no `node_modules` is above it. */
  public static near(appDir: string, loaderId: string): TranspileCache {
    const dir = cacheDirNear(appDir);
    return new TranspileCache(dir && path.join(dir, 'ts'), loaderId);
  }

  private constructor(private readonly dir: string | undefined, private readonly loaderId: string) {}

  /** The cached output for a file's source under `options`, if any. */
  public get(file: string, source: string, options: string): string | undefined {
    if (!this.dir) return undefined;
    try {
      return fs.readFileSync(this.entryOf(file, source, options), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** Keeps an output for the next run (best effort). */
  public set(file: string, source: string, options: string, output: string): void {
    if (!this.dir) return;
    this.writeAtomically(this.entryOf(file, source, options), output);
  }

  /**
   * A small JSON document the loader keeps beside its entries (the decorator options read from the app's tsconfig),
   * or undefined when there is none.
   */
  public readJson<T>(name: string): T | undefined {
    if (!this.dir) return undefined;
    try {
      return JSON.parse(fs.readFileSync(path.join(this.dir, `${name}.json`), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  /** Keeps a small JSON document (best effort). */
  public writeJson(name: string, value: unknown): void {
    if (!this.dir) return;
    this.writeAtomically(path.join(this.dir, `${name}.json`), JSON.stringify(value));
  }

  private entryOf(file: string, source: string, options: string): string {
    return path.join(this.dir!, `${hash(`${this.loaderId}\0${options}\0${path.resolve(file)}\0${source}`)}.js`);
  }

  private writeAtomically(file: string, content: string): void {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, content);
      fs.renameSync(tmp, file); // a concurrent run writing the same entry writes the same bytes
    } catch {
      // a read-only node_modules: the next run transpiles again
    }
  }
}

/** The SHA-1 of a text, hex (names of cache entries; also used to tell whether a config file changed). */
export function hash(text: string): string {
  return crypto.createHash('sha1').update(text).digest('hex');
}
