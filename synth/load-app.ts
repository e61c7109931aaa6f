import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataOpsError } from '../lib/errors';
import { DataPlatform } from '../lib/platform';
import { hash, TranspileCache } from './transpile-cache';

/** One platform of the app with the folder it writes to. */
export interface LoadedPlatform {
  readonly platform: DataPlatform;
  readonly outdir: string;
}

let registered = false;

/** The extensions the loader compiles (ts-node's CommonJS ones). */
const EXTENSIONS = ['.ts', '.cts'];

/**
 * Makes `require` understand TypeScript: ts-node, transpile only (type errors are the type checker's job), with swc.
 * Every piece is resolved from this package, never from the app's folder: the TypeScript that ts-node uses for
 * configuration (the app may have TypeScript 7 installed, which has no JavaScript compiler API), the swc transpiler
 * and swc itself. swc needs every boolean option spelled out, so the decorator settings are read from the app's own
 * tsconfig. A failure here is the installation's fault, not the app's: the message says how to repair it.
 *
 * What ts-node produces is kept in a {@link TranspileCache}: a run whose app files are unchanged loads neither ts-node
 * nor TypeScript nor swc. Stack traces still point into the TypeScript sources (source maps of cached files too).
 */
export function registerTypeScript(appDir: string = process.cwd()): void {
  if (registered) return;
  if ((process as any)[Symbol.for('ts-node.register.instance')]) { // already running under ts-node (this repository's bin)
    registered = true;
    return;
  }
  let loader: CachingLoader;
  try {
    loader = new CachingLoader(appDir);
  } catch (e) {
    throw loaderFailure(e);
  }
  for (const ext of EXTENSIONS) {
    const previous = require.extensions[ext] ?? require.extensions['.js'];
    require.extensions[ext] = (module, filename) => {
      if (filename.split(path.sep).includes('node_modules')) return previous(module, filename); // as ts-node: not compiled
      (module as unknown as { _compile(code: string, file: string): void })._compile(loader.compile(filename), filename);
    };
  }
  registered = true;
}

/** ts-node behind the transpile cache; ts-node (and with it TypeScript and swc) is loaded on the first miss only. */
class CachingLoader {
  private readonly outputs = new Map<string, string>();
  private readonly cache: TranspileCache;
  private readonly decorators: DecoratorOptions;
  private readonly options: string;
  private service?: { compile(code: string, fileName: string): string };

  constructor(appDir: string) {
    this.cache = TranspileCache.near(appDir, loaderId());
    this.decorators = cachedDecoratorOptions(appDir, this.cache);
    this.options = JSON.stringify(this.decorators);
    this.installSourceMaps();
  }

  public compile(filename: string): string {
    const source = fs.readFileSync(filename, 'utf8');
    let output = this.cache.get(filename, source, this.options);
    if (output === undefined) {
      output = this.tsNode().compile(source, filename);
      this.cache.set(filename, source, this.options, output);
    }
    this.outputs.set(path.normalize(filename), output);
    return output;
  }

  private tsNode(): { compile(code: string, fileName: string): string } {
    if (this.service) return this.service;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      this.service = require('ts-node').create(typeScriptLoaderOptions(this.decorators)) as { compile(code: string, fileName: string): string };
    } catch (e) {
      throw loaderFailure(e);
    }
    // ts-node installs source-map support of its own; ours (which knows the cached files too) goes in front again.
    this.installSourceMaps();
    return this.service;
  }

  /** Source maps of every file this loader compiled (cached or not), for stack traces and creation sites. */
  private installSourceMaps(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@cspotcode/source-map-support').install({
      environment: 'node', retrieveFile: (file: string) => this.outputs.get(path.normalize(file)) ?? '',
    });
  }
}

/** A failure of the loader itself: the installation's fault, not the app's. */
function loaderFailure(e: unknown): DataOpsError {
  return new DataOpsError(`cannot load TypeScript apps: ${(e as Error)?.message ?? String(e)}. The loader (ts-node, swc and ` +
    "TypeScript, all from cdk8s-dataops' own dependencies) is damaged: reinstall with 'npm ci' (or delete node_modules " +
    "and run 'npm install'); the TypeScript version the project itself installs does not matter", { cause: e });
}

/** Bumped whenever {@link typeScriptLoaderOptions} changes what the loader outputs. */
const LOADER_VERSION = 1;

/** What the cached outputs depend on besides their options and sources: the loader's own version and its pieces'. */
function loaderId(): string {
  const version = (name: string) => (JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  return [`loader@${LOADER_VERSION}`, ...['ts-node', '@swc/wasm', 'typescript'].map((n) => `${n}@${version(n)}`)].join(' ');
}

type DecoratorOptions = { experimentalDecorators: boolean; emitDecoratorMetadata: boolean };

/** ts-node options that use only this package's own TypeScript, ts-node transpiler and swc (see {@link registerTypeScript}). */
export function typeScriptLoaderOptions(decorators: DecoratorOptions): object {
  return {
    transpileOnly: true,
    compiler: require.resolve('typescript'),
    transpiler: [require.resolve('ts-node/transpilers/swc'), { swc: require.resolve('@swc/wasm') }],
    compilerOptions: { module: 'commonjs', moduleResolution: 'node', sourceMap: true, importHelpers: false, ...decorators },
  };
}

/** The decorator options of {@link decoratorOptions}, from the cache while the tsconfig files it read are unchanged. */
function cachedDecoratorOptions(dir: string, cache: TranspileCache): DecoratorOptions {
  const name = `tsconfig-${hash(path.resolve(dir))}`;
  const configFile = findConfigFile(dir);
  const cached = cache.readJson<{ configFile?: string; files: Record<string, string>; options: DecoratorOptions }>(name);
  if (cached && cached.configFile === configFile && Object.entries(cached.files).every(([f, h]) => hashOfFile(f) === h)) return cached.options;
  const { options, files } = readDecoratorOptions(dir);
  cache.writeJson(name, { configFile, files: Object.fromEntries(files.map((f) => [f, hashOfFile(f)])), options });
  return options;
}

/**
 * `experimentalDecorators` and `emitDecoratorMetadata` as the nearest tsconfig.json sets them (default false), and the
 * config files that were read to know it.
 */
function readDecoratorOptions(dir: string): { options: DecoratorOptions; files: string[] } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const file = ts.findConfigFile(dir, ts.sys.fileExists);
  const options = file
    ? ts.getParsedCommandLineOfConfigFile(file, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })?.options
    : undefined;
  const extended = (options?.configFile as { extendedSourceFiles?: string[] } | undefined)?.extendedSourceFiles ?? [];
  return {
    options: { experimentalDecorators: options?.experimentalDecorators === true, emitDecoratorMetadata: options?.emitDecoratorMetadata === true },
    files: file ? [path.resolve(file), ...extended.map((f) => path.resolve(f))] : [],
  };
}

/** The nearest tsconfig.json at or above `dir` (as TypeScript's findConfigFile looks for it), if any. */
function findConfigFile(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const file = path.join(d, 'tsconfig.json');
    if (fs.existsSync(file)) return file;
    if (path.dirname(d) === d) return undefined;
  }
}

function hashOfFile(file: string): string | undefined {
  try {
    return hash(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Runs the user's app in this process and returns the platforms it defined. `platform.synth()` calls in the app
 * do nothing here: the command decides what to write. Errors thrown by the app keep their construct path.
 */
export function loadApp(app: string, outdirOverride?: string): LoadedPlatform[] {
  registerTypeScript(path.dirname(app));
  DataPlatform._setUnderCli(true);
  const before = DataPlatform._registered().length;
  try {
    require(app);
  } catch (e) {
    if (e instanceof DataOpsError) throw e;
    const err = e as Error;
    if ((err as any)?.diagnosticText) throw new DataOpsError(`${app} does not compile: ${(err as any).diagnosticText}`, { cause: e });
    throw new DataOpsError(`${path.relative(process.cwd(), app) || app} failed: ${err?.message ?? String(e)}`, { cause: e });
  }
  const platforms = DataPlatform._registered().slice(before);
  if (platforms.length === 0) {
    throw new DataOpsError(`${app} defines no DataPlatform; create one with 'new DataPlatform()' at the top level of the app`);
  }
  if (outdirOverride && platforms.length > 1) {
    throw new DataOpsError(`${app} defines ${platforms.length} platforms; --out can only be used with one`);
  }
  // The platform's own checks (environments that would fight over one object) run as soon as the app is loaded, so
  // every command that loads it reports them, `synth validate` included.
  for (const platform of platforms) {
    const problems = platform.node.validate();
    if (problems.length > 0) throw new DataOpsError(problems.join('\n'));
  }
  const appDir = path.dirname(app);
  return platforms.map((platform) => ({ platform, outdir: outdirOverride ?? path.resolve(appDir, platform.outdir) }));
}
