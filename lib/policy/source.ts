import { findSourceMap } from 'node:module';
import * as path from 'node:path';
import { IConstruct } from 'constructs';

/*
 * Where a construct was created in the user's code, for reports that annotate pull requests (SARIF).
 * At construction, the stack's frames are looked at as V8 keeps them (call sites, nothing formatted) and only the
 * first frame in the user's code is kept; it is formatted, and source-mapped, only for constructs that have a finding.
 * (Keeping the whole captured stack cost 40 MB at 50,000 topics: eight frames per construct.)
 */

const SITE = Symbol.for('cdk8s-dataops.creation-site');
/** The library's own folders: frames there are not the user's. */
const LIBRARY_ROOT = path.resolve(__dirname, '..', '..');
const LIBRARY_DIRS = ['lib', 'constructs', 'ops', 'synth'].map((d) => path.join(LIBRARY_ROOT, d) + path.sep);

/**
 * Frames captured per construct, from the caller of `below`: the user's frame is within a few library frames of the
 * L2's constructor (a base class, a factory method); when it is deeper (an L2 created by another), findings take the
 * site of the nearest ancestor that has one. Capturing costs in proportion to the frames taken: 8 frames cost about
 * 10 microseconds per construct, 3 about half that.
 */
const STACK_FRAMES = 3;

/** A place in a file (absolute path). */
export interface CreationSite {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** The frames of a captured stack as V8 keeps them (Error.prepareStackTrace's second argument). */
const callSites = (_error: Error, frames: NodeJS.CallSite[]): NodeJS.CallSite[] => frames;

/**
 * Records where `scope` is being created; call it from a constructor (validateProps does, for every L2). The frames
 * looked at start at the caller of `below` (validateProps passes itself).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function recordCreationSite(scope: IConstruct, below: Function = recordCreationSite): void {
  const holder = {} as { stack?: NodeJS.CallSite[] };
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  let frames: NodeJS.CallSite[] | undefined;
  try {
    Error.stackTraceLimit = STACK_FRAMES;
    Error.prepareStackTrace = callSites;
    Error.captureStackTrace(holder, below);
    frames = holder.stack;
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
  // null: looked, and no frame of the stack is the user's (later validations do not look again).
  const site = (Array.isArray(frames) && frames.find((f) => isUserFile(f.getFileName() ?? undefined))) || null;
  Object.defineProperty(scope, SITE, { value: site, configurable: true });
}

/** Whether a creation site was recorded for `scope` (also when none of its frames was in the user's code). */
export function hasCreationSite(scope: IConstruct): boolean {
  return (scope as unknown as { [SITE]?: unknown })[SITE] !== undefined;
}

/** Where `scope` was created in the user's code, if that was recorded. */
export function creationSiteOf(scope: IConstruct): CreationSite | undefined {
  const site = (scope as unknown as { [SITE]?: NodeJS.CallSite | null })[SITE];
  if (!site) return undefined;
  return formatted(site) ?? sourceMapped(site);
}

/**
 * The frame as the installed stack formatter writes it: source-map-support (the app loader's, ts-node's) and test
 * runners map compiled positions back to the sources there, as they would in an error's stack.
 */
function formatted(site: NodeJS.CallSite): CreationSite | undefined {
  const prepare = Error.prepareStackTrace;
  if (typeof prepare !== 'function') return undefined;
  let text: unknown;
  try {
    text = prepare(new Error(''), [site]);
  } catch {
    return undefined;
  }
  if (typeof text !== 'string') return undefined;
  const m = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/.exec(text.trim().split('\n').pop()!.trim());
  if (!m) return undefined;
  const file = toPath(m[1]);
  return isUserFile(file) ? { file: file!, line: Number(m[2]), column: Number(m[3]) } : undefined;
}

/** The frame's own position, through Node's source maps when they are enabled (`--enable-source-maps`). */
function sourceMapped(site: NodeJS.CallSite): CreationSite | undefined {
  const file = toPath(site.getFileName() ?? undefined);
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (!file || line === null || column === null) return undefined;
  const entry = findSourceMap(file)?.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
  if (entry?.originalSource && entry.originalLine !== undefined && entry.originalColumn !== undefined) {
    const original = toPath(entry.originalSource);
    if (isUserFile(original)) return { file: original!, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  }
  return { file, line, column };
}

function toPath(file: string | undefined): string | undefined {
  return file?.startsWith('file://') ? new URL(file).pathname : file;
}

/** A file of the user's: absolute, outside node_modules and outside this library. */
function isUserFile(name: string | undefined): boolean {
  const file = toPath(name);
  if (!file || !path.isAbsolute(file) || file.includes(`${path.sep}node_modules${path.sep}`)) return false;
  return !LIBRARY_DIRS.some((d) => file.startsWith(d));
}
