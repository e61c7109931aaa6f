import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where in a project the caches are: `node_modules/.cache/cdk8s-dataops` (with the platform's separators). */
export const CACHE_FOLDER = path.join('node_modules', '.cache', 'cdk8s-dataops');

/**
 * The folder for machine-local caches of the tool (file states of an output folder, transpiled app files):
 * `node_modules/.cache/cdk8s-dataops/` of the nearest folder at or above `dir` with a `node_modules`, the place build
 * tools conventionally keep such caches. Undefined when there is none: nothing is cached then.
 */
export function cacheDirNear(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'node_modules'))) return path.join(d, CACHE_FOLDER);
    if (path.dirname(d) === d) return undefined;
  }
}
