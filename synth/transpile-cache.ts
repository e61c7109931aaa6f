import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { cacheDirNear } from '../lib/cache-dir';
import { CacheFolder } from './cache-folder';

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
 * Pruning, so that every edit of an app file does not leave an entry forever, is the {@link CacheFolder}'s: a hit keeps
 * its entry alive, and entries unused for 30 days go. Deleting is never wrong, only a cost: a deleted entry is
 * transpiled again, a deleted decorator-options document read again from the tsconfig (the live document is read, so
 * kept alive, by every run of its app).
 */
export class TranspileCache {
  /** The cache for an app in `appDir`, or a cache that keeps nothing when no `node_modules` is above it. */
  public static near(appDir: string, loaderId: string): TranspileCache {
    const dir = cacheDirNear(appDir);
    return new TranspileCache(dir === undefined ? undefined : new CacheFolder(path.join(dir, 'ts')), loaderId);
  }

  private constructor(private readonly folder: CacheFolder | undefined, private readonly loaderId: string) {}

  /** The cached output for a file's source under `options`, if any (a hit keeps the entry alive). */
  public get(file: string, source: string, options: string): string | undefined {
    return this.folder?.read(this.entryOf(file, source, options));
  }

  /** Keeps an output for the next run (best effort; may sweep the folder). */
  public set(file: string, source: string, options: string, output: string): void {
    this.folder?.write(this.entryOf(file, source, options), output);
  }

  /**
   * A small JSON document the loader keeps beside its entries (the decorator options read from the app's tsconfig),
   * or undefined when there is none.
   */
  public readJson<T>(name: string): T | undefined {
    const text = this.folder?.read(`${name}.json`);
    try {
      return text === undefined ? undefined : JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }

  /** Keeps a small JSON document (best effort; like {@link TranspileCache.set}, may sweep). */
  public writeJson(name: string, value: unknown): void {
    this.folder?.write(`${name}.json`, JSON.stringify(value));
  }

  private entryOf(file: string, source: string, options: string): string {
    return `${hash(`${this.loaderId}\0${options}\0${path.resolve(file)}\0${source}`)}.js`;
  }
}

/** The SHA-1 of a text, hex (names of cache entries; also used to tell whether a config file changed). */
export function hash(text: string): string {
  return crypto.createHash('sha1').update(text).digest('hex');
}
