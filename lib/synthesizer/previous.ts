import * as fs from 'node:fs';
import * as path from 'node:path';
import { IConstruct } from 'constructs';
import { DataOpsError } from '../errors';
import { FileStates } from './file-states';
import { manifestPath } from './layout';
import { KubeObject } from './manifest';
import { unshardedPath } from './shards';
import { readOwnedFiles } from './writer';
import { parseYamlDocuments, RenderCache, toYaml } from './yaml';

const PREVIOUS = Symbol.for('cdk8s-dataops.previous-output');

/**
 * Read access to the output folder as it was before this synthesis (normally the committed dist).
 *
 * This is the one sanctioned read-back in the pipeline, for objects whose history lives in Git rather than in the
 * code: a Schema keeps every version it ever registered, while the code holds only the latest definition.
 * It is available while `synthesizePlatform` resolves objects; in-memory synthesis (tests) has no previous output.
 */
export class PreviousOutput {
  /** The previous output of the platform `scope` belongs to, or undefined when there is none. */
  public static of(scope: IConstruct): PreviousOutput | undefined {
    return (scope.node.root as unknown as { [PREVIOUS]?: PreviousOutput })[PREVIOUS];
  }

  /** @internal makes the previous output available during `fn` */
  public static _during<T>(root: IConstruct, outdir: string, fn: () => T): T {
    const holder = root as unknown as { [PREVIOUS]?: PreviousOutput };
    holder[PREVIOUS] = new PreviousOutput(outdir);
    try {
      return fn();
    } finally {
      delete holder[PREVIOUS];
    }
  }

  private owned?: ReadonlySet<string>;

  private constructor(private readonly outdir: string) {}

  /** The object previously written for this identity in an environment, if any. */
  public readObject(environment: string, identity: Pick<KubeObject, 'kind' | 'metadata'>): KubeObject | undefined {
    const file = manifestPath(environment, { apiVersion: '', ...identity } as KubeObject);
    return readPreviousObject(this.outdir, file, (this.owned ??= readOwnedFiles(this.outdir)));
  }
}

/**
 * @internal The object the synthesizer previously wrote to `file` (relative to `outdir`). Undefined when there is
 * none, or the file is not one the synthesizer wrote (a hand-made file in its place is refused later, by the writer),
 * or it holds no Kubernetes object. A file of ours that is not valid YAML is an error that says how to restore it.
 * Give `current` (the object synthesized now for the same file) to skip parsing when the file is its rendering, and the
 * output folder's file states to skip reading it when they prove that (and the synthesis's renderings, so that the
 * current object is rendered once).
 */
export function readPreviousObject(
  outdir: string, file: string, owned: ReadonlySet<string>, current?: KubeObject, states?: FileStates, renderings?: RenderCache,
): KubeObject | undefined {
  const previous = owned.has(file) ? file : shardedFiles(owned).get(file);
  if (previous === undefined) return undefined;
  // Nothing changed (the common case): the file is the rendering of the current object, which is then the previous one
  // too. Rendering is many times cheaper than parsing, and the file states (when given) tell it without reading.
  const rendered = current === undefined ? undefined : renderings ? renderings.render(current) : toYaml(current);
  if (rendered !== undefined && states?.provesHolds(previous, rendered)) return current;
  const abs = path.join(outdir, previous);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
  if (text === rendered) return current;
  let doc: unknown;
  try {
    doc = parseYamlDocuments(text, file)[0];
  } catch (e) {
    throw new DataOpsError(`${abs} is damaged (${(e as Error).message}); restore it from Git (git checkout -- ${abs}) or delete it`);
  }
  const o = doc as Partial<KubeObject> | undefined;
  return o && typeof o === 'object' && typeof o.kind === 'string' && typeof o.metadata === 'object' && o.metadata !== null ? o as KubeObject : undefined;
}

const sharded = new WeakMap<ReadonlySet<string>, Map<string, string>>();

/** The owned files of sharded environments by their unsharded path (an object keeps its identity across shards). */
function shardedFiles(owned: ReadonlySet<string>): Map<string, string> {
  let map = sharded.get(owned);
  if (!map) {
    map = new Map();
    for (const file of owned) {
      const plain = unshardedPath(file);
      if (plain !== undefined) map.set(plain, file);
    }
    sharded.set(owned, map);
  }
  return map;
}
