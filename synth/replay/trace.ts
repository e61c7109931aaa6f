import * as fs from 'node:fs';
import * as path from 'node:path';

// The modules' own objects, which everyone shares (`import * as` gives a copy of each under esModuleInterop, and
// wrapping a copy wraps nothing).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sharedFs = require('node:fs') as Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sharedChildProcess = require('node:child_process') as Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sharedModule = require('node:module') as unknown;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sharedCrypto = require('node:crypto') as Record<string, unknown>;

/** What a traced run read, and what it did that no record can describe. */
export interface TracedRun {
  /** Files and folders the run looked at through `fs` (read, listed, stat-ed, checked): absolute paths. */
  readonly paths: ReadonlySet<string>;
  /** Folders the run listed recursively: every folder below each is an input too. */
  readonly trees: ReadonlySet<string>;
  /** Paths the run resolved with `fs.realpathSync` (Node's module loader does for every module) → the real path. */
  readonly realpaths: ReadonlyMap<string, string>;
  /** Environment variables the run touched → their value before it touched them (undefined: unset). */
  readonly env: ReadonlyMap<string, string | undefined>;
  /** Whether the run listed the whole environment (then every variable is an input). */
  readonly wholeEnv: boolean;
  /** Paths the run wrote (created, changed, removed) through `fs`. */
  readonly written: ReadonlySet<string>;
  /** Why the run depends on something no record can describe (the first reason); undefined when it does not. */
  readonly untraceable?: string;
}

/** The `fs` functions that only look: their first argument is the path looked at. */
const LOOKING = ['readFileSync', 'existsSync', 'statSync', 'lstatSync', 'accessSync', 'readlinkSync'] as const;
/** The `fs` functions that list a folder: with `{ recursive: true }`, every folder below it too. */
const LISTING = ['readdirSync', 'opendirSync'] as const;
/** The `fs` functions that change the file system: the paths they change are their first (and for some, second) argument. */
const CHANGING = ['writeFileSync', 'appendFileSync', 'mkdirSync', 'mkdtempSync', 'rmSync', 'rmdirSync', 'unlinkSync', 'truncateSync',
  'utimesSync', 'lutimesSync', 'chmodSync', 'lchmodSync', 'chownSync', 'lchownSync'] as const;
const CHANGING_TWO = ['renameSync', 'copyFileSync', 'cpSync', 'linkSync', 'symlinkSync'] as const;

/**
 * Records what one run of the `synth` command depends on, so that a later run can tell, without running the app, that
 * it would produce the same output (see {@link ReplayCache}).
 *
 * From {@link Trace.start} to {@link Trace.stop} it wraps, for everyone in the process (the app, its libraries, Node's
 * own module loader, this package):
 * - the synchronous `fs` functions that look at files (`readFileSync`, `existsSync`, `statSync`, `readdirSync`, ...):
 *   the path looked at is an input, and `realpathSync` records where a path led (a re-pointed symlink is a change);
 * - the synchronous `fs` functions that change files: the paths changed (a run that writes outside its output folder
 *   and the cache has a side effect that replaying it would skip);
 * - `process.env`: every variable read (or set), with its value before the run touched it;
 * - `require`s that found nothing: where the module would have been found is an input;
 * - what no record can describe: any `child_process` function, `fs.globSync`, the clock (`Date.now()`, `new Date()` and
 *   `Date()` without arguments) called from outside this package, and randomness (`Math.random()`, `crypto.randomUUID()`,
 *   `randomBytes()`, `randomInt()`, `getRandomValues()`) called from the app's own files (outside any node_modules).
 *
 * Asynchronous `fs` functions are not wrapped: the synthesis is synchronous, so nothing they read can reach the output.
 * What Node reads natively (`NODE_OPTIONS`, `TZ`, the locale) is part of the replay key instead.
 */
export class Trace {
  /** Starts tracing this process. */
  public static start(): Trace {
    const trace = new Trace();
    trace.install();
    return trace;
  }

  private readonly paths = new Set<string>();
  private readonly trees = new Set<string>();
  private readonly realpaths = new Map<string, string>();
  private readonly env = new Map<string, string | undefined>();
  private readonly written = new Set<string>();
  private wholeEnv = false;
  private untraceable?: string;
  private readonly restore: (() => void)[] = [];
  private ignored: string[] = [];
  private ignoredWithin: string[] = [];

  private constructor() {}

  /** Paths below these folders are not recorded (the output folders, which a replay checks as a whole, and the cache). */
  public ignoreBelow(...dirs: string[]): void {
    this.ignored.push(...dirs.map((d) => path.resolve(d)));
  }

  /** Paths that contain this folder path (`node_modules/.cache/x` anywhere) are not recorded either. */
  public ignoreWithin(folder: string): void {
    this.ignoredWithin.push(`${path.sep}${folder}${path.sep}`);
  }

  /** Stops tracing and returns what was recorded. */
  public stop(): TracedRun {
    for (const undo of this.restore.splice(0).reverse()) undo();
    return {
      paths: this.paths, trees: this.trees, realpaths: this.realpaths, env: this.env, wholeEnv: this.wholeEnv,
      written: this.written, untraceable: this.untraceable,
    };
  }

  private install(): void {
    const fsm = sharedFs as Record<string, (...args: unknown[]) => unknown>;
    for (const name of LOOKING) this.wrap(fsm, name, (args) => this.look(args[0]));
    for (const name of LISTING) {
      this.wrap(fsm, name, (args) => {
        this.look(args[0]);
        const p = pathOf(args[0]);
        if (p !== undefined && !this.isIgnored(p) && (args[1] as { recursive?: boolean } | undefined)?.recursive) this.trees.add(p);
      });
    }
    this.wrap(fsm, 'globSync', () => this.cannotTrace('it matched files with fs.globSync'));
    for (const name of CHANGING) this.wrap(fsm, name, (args) => this.change(args[0]));
    for (const name of CHANGING_TWO) this.wrap(fsm, name, (args) => { this.change(args[0]); this.change(args[1]); });
    // openSync: reading ('r', the default) looks at the file; any other flag may change it
    this.wrap(fsm, 'openSync', (args) => (args[1] === undefined || args[1] === 'r' || args[1] === fs.constants.O_RDONLY ? this.look(args[0]) : this.change(args[0])));
    this.wrapRealpath(fsm);
    const cp = sharedChildProcess as Record<string, (...args: unknown[]) => unknown>;
    for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
      this.wrap(cp, name, () => this.cannotTrace(`it ran a child process (child_process.${name})`));
    }
    this.wrapResolution();
    this.wrapEnv();
    this.wrapClock();
  }

  /** Replaces `obj[name]` with a function that calls `before` with the arguments, then the original. */
  private wrap(obj: Record<string, (...args: unknown[]) => unknown>, name: string, before: (args: unknown[]) => void): void {
    const original = obj[name];
    if (typeof original !== 'function') return;
    const wrapped = function (this: unknown, ...args: unknown[]) {
      before(args);
      return original.apply(this, args);
    };
    copyProperties(original, wrapped);
    this.replace(obj, name, wrapped);
  }

  /**
   * Sets `obj[name]` (a data property or an accessor) until {@link Trace.stop}. A property that can be neither
   * redefined nor written is left as it is (none of the ones wrapped is such in Node 20 to 24).
   */
  private replace(obj: object, name: string, value: unknown): void {
    const target = obj as Record<string, unknown>;
    const descriptor = Object.getOwnPropertyDescriptor(obj, name);
    // What someone else put there meanwhile (a require hook registered by the app) is left in place.
    const stillOurs = () => Object.getOwnPropertyDescriptor(obj, name)?.value === value;
    if (descriptor && !descriptor.configurable) {
      if (!descriptor.writable) return;
      target[name] = value;
      this.restore.push(() => { if (stillOurs()) target[name] = descriptor.value; });
      return;
    }
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: descriptor?.enumerable ?? true });
    this.restore.push(() => {
      if (!stillOurs()) return;
      if (descriptor) Object.defineProperty(obj, name, descriptor);
      else delete target[name];
    });
  }

  private wrapRealpath(fsm: Record<string, (...args: unknown[]) => unknown>): void {
    // .native first: wrapping realpathSync copies its .native onto the wrapper
    for (const [holder, name] of [[fsm.realpathSync as unknown as Record<string, (...args: unknown[]) => unknown>, 'native'], [fsm, 'realpathSync']] as const) {
      const original = holder[name];
      const realpaths = this.realpaths;
      const ignoredPath = (p: string) => this.isIgnored(p);
      const wrapped = function (this: unknown, ...args: unknown[]) {
        const result = original.apply(this, args);
        const p = pathOf(args[0]);
        if (p !== undefined && typeof result === 'string' && !ignoredPath(p) && !realpaths.has(p)) realpaths.set(p, result);
        return result;
      };
      copyProperties(original, wrapped);
      this.replace(holder, name, wrapped);
    }
  }

  /**
   * Node's resolver looks for a module's candidate files natively, so a `require` that found nothing leaves no trace in
   * `fs`; a file created there later would be found. The places it would be found are recorded as inputs instead: for
   * a relative or absolute request, the path and its folder; for a package name, each `node_modules` folder looked in
   * and the package's folder in it. (A module that was found is covered by its own folder, see {@link ReplayCache}.)
   */
  private wrapResolution(): void {
    const ModuleClass = sharedModule as unknown as {
      _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
      _resolveLookupPaths(request: string, parent: unknown): string[] | null;
    };
    const original = ModuleClass._resolveFilename;
    const paths = this.paths;
    const isIgnored = (p: string) => this.isIgnored(p);
    const add = (p: string) => { if (!isIgnored(p)) paths.add(p); };
    const resolveFilename = function (this: unknown, request: string, parent: unknown, ...rest: unknown[]): string {
      try {
        return original.call(this, request, parent, ...rest);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && typeof request === 'string') {
          const from = (parent as { path?: string; filename?: string } | undefined);
          const dir = from?.path ?? (from?.filename ? path.dirname(from.filename) : process.cwd());
          if (request.startsWith('.') || path.isAbsolute(request)) {
            const target = path.resolve(dir, request);
            add(target);
            add(path.dirname(target));
          } else {
            const name = request.startsWith('@') ? request.split('/').slice(0, 2).join(path.sep) : request.split('/')[0];
            for (const lookup of ModuleClass._resolveLookupPaths(request, parent) ?? []) {
              add(lookup);
              add(path.join(lookup, name));
            }
          }
        }
        throw e;
      }
    };
    this.replace(ModuleClass, '_resolveFilename', resolveFilename);
  }

  private wrapEnv(): void {
    const original = process.env;
    const touched = this.env;
    const touch = (key: string | symbol) => {
      if (typeof key === 'string' && !touched.has(key)) touched.set(key, Reflect.get(original, key) as string | undefined);
    };
    const proxy = new Proxy(original, {
      get: (target, key) => { touch(key); return Reflect.get(target, key); },
      has: (target, key) => { touch(key); return Reflect.has(target, key); },
      set: (target, key, value) => { touch(key); return Reflect.set(target, key, value); },
      deleteProperty: (target, key) => { touch(key); return Reflect.deleteProperty(target, key); },
      defineProperty: (target, key, desc) => { touch(key); return Reflect.defineProperty(target, key, desc); },
      getOwnPropertyDescriptor: (target, key) => { touch(key); return Reflect.getOwnPropertyDescriptor(target, key); },
      ownKeys: (target) => { this.wholeEnv = true; return Reflect.ownKeys(target); },
    });
    process.env = proxy;
    this.restore.push(() => { if (process.env === proxy) process.env = original; });
  }

  private wrapClock(): void {
    const note = (what: string, appOnly = false) => {
      const caller = callerOf();
      if (caller === undefined || isOwnFile(caller)) return;
      if (appOnly && caller.split(/[\\/]/).includes('node_modules')) return;
      this.cannotTrace(`${what} was called (${caller})`);
    };
    const OriginalDate = Date;
    this.wrap(OriginalDate as unknown as Record<string, (...args: unknown[]) => unknown>, 'now', () => note('Date.now()'));
    const DateProxy: DateConstructor = new Proxy(OriginalDate, {
      construct(target, args, newTarget): object {
        if (args.length === 0) note('new Date()');
        return Reflect.construct(target, args, newTarget === DateProxy ? target : newTarget);
      },
      apply(target, thisArg, args) {
        note('Date()');
        return Reflect.apply(target, thisArg, args);
      },
    });
    this.replace(globalThis, 'Date', DateProxy);

    // Randomness from the app's own files (libraries draw random numbers as they load: brace-expansion does). Random
    // output makes a run write, so it is never recorded anyway; what this catches is randomness that only reaches what
    // the app prints.
    this.wrap(Math as unknown as Record<string, (...args: unknown[]) => unknown>, 'random', () => note('Math.random()', true));
    const cr = sharedCrypto as Record<string, (...args: unknown[]) => unknown>;
    for (const name of ['randomUUID', 'randomBytes', 'randomInt', 'getRandomValues']) this.wrap(cr, name, () => note(`crypto.${name}()`, true));
    const web = globalThis.crypto as unknown as Record<string, (...args: unknown[]) => unknown> | undefined;
    if (web) this.wrap(web, 'getRandomValues', () => note('crypto.getRandomValues()', true));
  }

  private look(arg: unknown): void {
    const p = pathOf(arg);
    if (p === undefined) {
      if (typeof arg === 'number') this.cannotTrace('it read a file by descriptor');
      return;
    }
    if (!this.isIgnored(p)) this.paths.add(p);
  }

  private change(arg: unknown): void {
    const p = pathOf(arg);
    if (p !== undefined && !this.isIgnored(p)) this.written.add(p);
  }

  private isIgnored(p: string): boolean {
    for (const dir of this.ignored) {
      if (p === dir || (p.startsWith(dir) && p[dir.length] === path.sep)) return true;
    }
    for (const folder of this.ignoredWithin) {
      if (p.includes(folder) || `${p}${path.sep}`.endsWith(folder)) return true;
    }
    return false;
  }

  private cannotTrace(reason: string): void {
    this.untraceable ??= reason;
  }
}

/**
 * Gives a wrapper the properties of the function it wraps (`fs.realpathSync.native`, `exec`'s `util.promisify.custom`,
 * which is not enumerable), but its own `length`, `name` and `prototype`.
 */
function copyProperties(from: object, to: object): void {
  for (const key of Reflect.ownKeys(from)) {
    if (key === 'length' || key === 'name' || key === 'prototype') continue;
    Object.defineProperty(to, key, Object.getOwnPropertyDescriptor(from, key)!);
  }
}

/**
 * Whether `path.resolve(p)` is `p` itself (the common case, a path the code built with `path.join`), told without
 * resolving it: the wrappers run on every `fs` call of a synthesis (126,000 at 50,000 topics).
 */
function isResolved(p: string): boolean {
  return path.sep === '/' && p.charCodeAt(0) === 47 && !p.includes('/.') && !p.includes('//') && (p.length === 1 || !p.endsWith('/'));
}

/** The absolute path a `fs` function was given, if it was given one (not a file descriptor). */
function pathOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return isResolved(arg) ? arg : path.resolve(arg);
  if (Buffer.isBuffer(arg)) return path.resolve(arg.toString());
  if (arg instanceof URL && arg.protocol === 'file:') return path.resolve(decodeURIComponent(arg.pathname));
  return undefined;
}

/**
 * The file that called the traced function: the first frame of the stack outside this file and outside Node's own
 * code (source-mapped when source maps are installed).
 */
function callerOf(): string | undefined {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 12;
  try {
    Error.captureStackTrace(holder);
  } finally {
    Error.stackTraceLimit = limit;
  }
  for (const line of (holder.stack ?? '').split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^()]*?|[A-Za-z]:\\[^()]*?):\d+:\d+\)?$/.exec(line.trim());
    if (!m) continue; // node:internal frames, native frames
    const file = m[1].replace(/^file:\/\//, '');
    if (path.basename(file, path.extname(file)) === 'trace' && isOwnFile(file)) continue;
    return file;
  }
  return undefined;
}

/** This package's own folder (its compiled or source files, not its dependencies). */
const OWN_ROOT = ownRoot();

function ownRoot(): string {
  for (let d = __dirname; ; d = path.dirname(d)) {
    try {
      if ((JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')) as { name?: string }).name === 'cdk8s-dataops') return d;
    } catch {
      // not here
    }
    if (path.dirname(d) === d) return path.resolve(__dirname, '..', '..');
  }
}

/** Whether `file` is this package's own code (compiled, or its sources in a checkout): not its dependencies, tests or examples. */
function isOwnFile(file: string): boolean {
  const rel = path.relative(OWN_ROOT, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
  const top = rel.split(path.sep)[0];
  return OWN_FOLDERS.has(top) || (!rel.includes(path.sep) && /^(index|testing)\.[cm]?[jt]s$/.test(rel));
}

/** The folders of this package that hold its code. */
const OWN_FOLDERS = new Set(['out', 'lib', 'synth', 'constructs', 'ops', 'bin']);
