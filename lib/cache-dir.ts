import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The folder for machine-local caches of the tool (file states of an output folder, transpiled app files):
 * `node_modules/.cache/cdk8s-dataops/` of the nearest folder at or above `dir` with a `node_modules`, the place build
 * tools conventionally keep such caches. Undefined when there is none: nothing is cached then.
 */
export function cacheDirNear(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'node_modules'))) return path.join(d, 'node_modules', '.cache', 'cdk8s-dataops');
    if (path.dirname(d) === d) return undefined;
  }
}
