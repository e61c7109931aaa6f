import { IConstruct } from 'constructs';
import { MANIFESTS_DIR } from './layout';
import { SynthesizedObject } from './manifest';
import { RenderCache, toYaml } from './yaml';

/**
 * How large one delivery unit of an environment (an Argo CD Application, a Flux Kustomization) may be. Argo CD keeps an
 * Application's resource list in one etcd object (about 3,000 resources break it, argo-cd #14486), its UI struggles
 * above about 1,000, and its repo server refuses a directory source above 10 MB of manifests by default
 * (`reposerver.max.combined.directory.manifests.size`).
 */
export interface ShardBudget {
  /** Most objects in one shard. @default 2000 */
  readonly maxObjects?: number;
  /** Most bytes of manifests (rendered YAML) in one shard. @default 8 MiB */
  readonly maxBytes?: number;
}

/** The default {@link ShardBudget}. */
export const DEFAULT_SHARD_BUDGET: Required<ShardBudget> = { maxObjects: 2000, maxBytes: 8 * 1024 * 1024 };

/** The shard of objects that sit directly in an environment (not inside a construct that groups several objects). */
export const COMMON_SHARD = 'common';

const BUDGET = Symbol.for('cdk8s-dataops.shard-budget');

/**
 * Splits large environments into shards: `manifests/<env>/<shard>/<namespace>/<kind>.<name>.yaml` instead of
 * `manifests/<env>/<namespace>/...`, each under a {@link ShardBudget}, so that each is delivered by an Application (or a
 * Kustomization) of its own. An environment within the budget is not sharded: its layout is the same as without
 * sharding. A shard is the top-level construct of the environment its objects belong to (a pipeline, normally), so a
 * pull request shows which one changes and an object never moves when others are added; objects directly in the
 * environment form the `common` shard. A shard over the budget is split by a hash of each object's identity into 2, 4,
 * 8, ... parts (`<shard>-0`, `<shard>-1`, ...): when the count doubles, half of its objects stay where they are.
 */
export class Sharding {
  /** Sets the budget of the platform `scope` belongs to. */
  public static configure(scope: IConstruct, budget: ShardBudget): void {
    for (const [key, value] of Object.entries(budget)) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new RangeError(`shard budget ${key} must be a positive integer, got ${value}`);
    }
    (scope.node.root as unknown as { [BUDGET]?: ShardBudget })[BUDGET] = budget;
  }

  /** The budget of the platform `scope` belongs to. */
  public static budgetOf(scope: IConstruct): Required<ShardBudget> {
    const own = (scope.node.root as unknown as { [BUDGET]?: ShardBudget })[BUDGET] ?? {};
    return { maxObjects: own.maxObjects ?? DEFAULT_SHARD_BUDGET.maxObjects, maxBytes: own.maxBytes ?? DEFAULT_SHARD_BUDGET.maxBytes };
  }
}

/** One object of an environment, as sharding sees it. */
export interface ShardItem {
  /** The construct path (`<env>/<top-level construct>/...`). */
  readonly constructPath: string;
  /** Its unsharded file (`manifests/<env>/...`), which identifies the object. */
  readonly file: string;
  /** Size of its rendered manifest in bytes. */
  readonly bytes: number;
}

/**
 * The shard of each object of one environment, in order, or undefined when the environment fits the budget as a
 * whole (it is then not sharded).
 */
export function planShards(items: readonly ShardItem[], budget: Required<ShardBudget>): string[] | undefined {
  const fits = (list: readonly ShardItem[]) => list.length <= budget.maxObjects && sum(list) <= budget.maxBytes;
  if (fits(items)) return undefined;
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const key = groupOf(item.constructPath);
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  });
  const shards: string[] = new Array(items.length);
  for (const [group, indexes] of groups) {
    const members = indexes.map((i) => items[i]);
    if (fits(members)) {
      for (const i of indexes) shards[i] = group;
      continue;
    }
    for (let parts = 2; ; parts *= 2) {
      const buckets = indexes.map((i) => hash(items[i].file) % parts);
      const sizes = Array.from({ length: parts }, (_, b) => members.filter((_m, j) => buckets[j] === b));
      if (sizes.every(fits) || parts >= items.length) {
        indexes.forEach((i, j) => { shards[i] = `${group}-${buckets[j]}`; });
        break;
      }
    }
  }
  return shards;
}

/**
 * Renders the manifests of a synthesis: file → YAML. Environments over their {@link ShardBudget} are sharded
 * ({@link planShards}): their objects' `file` is replaced in `objects` by the sharded one. Returns the files and the
 * shard names of each sharded environment (sorted).
 */
export function renderManifests(
  objects: SynthesizedObject[], budget: Required<ShardBudget>, renderings?: RenderCache,
): { files: Map<string, string>; shards: Map<string, string[]> } {
  const rendered = objects.map((o) => (renderings ? renderings.render(o.object) : toYaml(o.object)));
  const byEnv = new Map<string, number[]>();
  objects.forEach((o, i) => {
    const list = byEnv.get(o.environment);
    if (list) list.push(i);
    else byEnv.set(o.environment, [i]);
  });
  const shards = new Map<string, string[]>();
  for (const [env, indexes] of byEnv) {
    const plan = planShards(indexes.map((i) => ({ constructPath: objects[i].constructPath, file: objects[i].file, bytes: Buffer.byteLength(rendered[i]) })), budget);
    if (!plan) continue;
    indexes.forEach((i, j) => { objects[i] = { ...objects[i], file: shardedPath(objects[i].file, plan[j]) }; });
    shards.set(env, [...new Set(plan)].sort());
  }
  const files = new Map<string, string>();
  objects.forEach((o, i) => files.set(o.file, rendered[i]));
  return { files, shards };
}

/** A sharded file: `manifests/<env>/<rest>` → `manifests/<env>/<shard>/<rest>`. */
export function shardedPath(file: string, shard: string): string {
  const [manifests, env, ...rest] = file.split('/');
  return [manifests, env, shard, ...rest].join('/');
}

/**
 * The unsharded file of a sharded one (`manifests/<env>/<shard>/<ns>/<file>` → `manifests/<env>/<ns>/<file>`), or
 * undefined for a file that is not a sharded manifest.
 */
export function unshardedPath(file: string): string | undefined {
  const parts = file.split('/');
  if (parts[0] !== MANIFESTS_DIR || parts.length !== 5) return undefined;
  return [parts[0], parts[1], ...parts.slice(3)].join('/');
}

/** The shard a construct path belongs to: its top-level construct below the environment, as a DNS label. */
function groupOf(constructPath: string): string {
  const parts = constructPath.split('/');
  if (parts.length < 3) return COMMON_SHARD;
  const label = parts[1].toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || COMMON_SHARD;
  // Shard names end up in Application names (<platform>-<env>-<shard>, at most 63 characters).
  return label.length <= 30 ? label : `${label.slice(0, 23)}-${hash(parts[1]).toString(36).slice(0, 6)}`;
}

function sum(list: readonly ShardItem[]): number {
  let n = 0;
  for (const item of list) n += item.bytes;
  return n;
}

/** FNV-1a, 32 bits: stable across runs and machines. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
