import * as path from 'node:path';
import { IConstruct } from 'constructs';

/*
 * Where a construct was created in the user's code, for reports that annotate pull requests (SARIF).
 * The stack is captured at construction (cheap: V8 keeps the frames and formats them only when read) and read only
 * for constructs that have a finding.
 */

const SITE = Symbol.for('cdk8s-dataops.creation-site');
/** The library's own folders: frames there are not the user's. */
const LIBRARY_ROOT = path.resolve(__dirname, '..', '..');
const LIBRARY_DIRS = ['lib', 'constructs', 'ops', 'synth'].map((d) => path.join(LIBRARY_ROOT, d) + path.sep);

/**
 * Frames captured per construct: the user's frame is within a few library frames of the constructor (validateProps,
 * the L2, the L2s that create it); when it is deeper, findings take the site of the nearest ancestor that has one.
 */
const STACK_FRAMES = 8;

/** A place in a file (absolute path). */
export interface CreationSite {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Records where `scope` is being created; call it from a constructor (validateProps does, for every L2). */
export function recordCreationSite(scope: IConstruct): void {
  const holder = {} as { stack?: string };
  const limit = Error.stackTraceLimit;
  // Capturing costs in proportion to the frames taken (with 30, a third of the app's run at 50,000 topics).
  Error.stackTraceLimit = STACK_FRAMES;
  Error.captureStackTrace(holder, recordCreationSite);
  Error.stackTraceLimit = limit;
  Object.defineProperty(scope, SITE, { value: holder, configurable: true });
}

/** Whether a creation site was recorded for `scope`. */
export function hasCreationSite(scope: IConstruct): boolean {
  return (scope as unknown as { [SITE]?: unknown })[SITE] !== undefined;
}

/** The first frame of the recorded stack outside the library and node_modules, if any. */
export function creationSiteOf(scope: IConstruct): CreationSite | undefined {
  const holder = (scope as unknown as { [SITE]?: { stack?: string } })[SITE];
  if (!holder?.stack) return undefined;
  for (const line of holder.stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const file = m[1].startsWith('file://') ? new URL(m[1]).pathname : m[1];
    if (!path.isAbsolute(file) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    if (LIBRARY_DIRS.some((d) => file.startsWith(d))) continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}
