/**
 * The synthesized examples the consumer tests apply: every `examples/<name>/dist` with a `manifests/` folder,
 * found when the tests run (examples are added over time), and the environments (folders under `manifests/`)
 * and bootstrap objects of each.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { findRepoRoot } from '../kafka/jars';

/** One example's output folder. */
export interface ExampleDist {
  /** `examples/<name>` folder name. */
  readonly name: string;
  /** Absolute path of its dist folder. */
  readonly dist: string;
  /** Folders under `manifests/`, sorted. */
  readonly environments: readonly string[];
}

/** Every example with a synthesized dist, sorted by name. */
export function exampleDists(): ExampleDist[] {
  const examples = path.join(findRepoRoot(), 'examples');
  return readdirSync(examples, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(examples, e.name, 'dist', 'manifests')))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const dist = path.join(examples, name, 'dist');
      const environments = readdirSync(path.join(dist, 'manifests'), { withFileTypes: true })
        .filter((d) => d.isDirectory()).map((d) => d.name).sort();
      return { name, dist, environments };
    });
}
