import * as path from 'node:path';
import { IConstruct } from 'constructs';
import { DataOpsError } from '../errors';
import { collectObjects } from './collect';
import { MANIFESTS_DIR } from './layout';
import { renderManifests, Sharding } from './shards';
import type { Environment } from '../platform';
import { SynthesizedObject } from './manifest';

/** A file the platform writes besides its Kubernetes objects (a report, a bootstrap object). */
export interface ArtifactFile {
  /** Path relative to the output folder. Must not be under `manifests/`. */
  readonly path: string;
  /** Produces the file content once all constructs exist; undefined means no file. */
  readonly render: (context: ArtifactContext) => string | undefined;
  /** The construct that contributes the file, for error messages. */
  readonly owner: IConstruct;
}

/** What an artifact may need to know about the synthesis that renders it. */
export interface ArtifactContext {
  /** The absolute output folder being synthesized (it may differ from the platform's `outdir`, e.g. `--out`). */
  readonly outdir: string;
  /**
   * The synthesized objects of an environment (resolved once per synthesis; an environment left out with `--env`
   * is resolved on first use).
   */
  readonly objectsOf: (environment: Environment) => readonly SynthesizedObject[];
  /**
   * The shards of an environment (the folders below `manifests/<env>/`, sorted), or undefined when it is not sharded
   * (see `Sharding`).
   */
  readonly shardsOf: (environment: Environment) => readonly string[] | undefined;
}

/** Files in a folder that a construct contributes, whose names are known only when the platform is synthesized. */
export interface ArtifactFolder {
  /** Folder relative to the output folder. Must not be under `manifests/`. */
  readonly dir: string;
  /** Produces the files (name relative to `dir` → content) once all constructs exist. */
  readonly render: (context: ArtifactContext) => ReadonlyMap<string, string>;
  /** The construct that contributes the files, for error messages. */
  readonly owner: IConstruct;
}

/**
 * What artifacts see of a synthesis: its folder, the objects of each environment (resolved once) and the shards of
 * each sharded environment. Environments not synthesized (`--env`) are resolved and laid out on first use.
 */
export function artifactContext(outdir: string, objects: readonly SynthesizedObject[], shards: ReadonlyMap<string, readonly string[]>): ArtifactContext {
  const byEnv = new Map<string, SynthesizedObject[]>();
  for (const o of objects) {
    const list = byEnv.get(o.environment);
    if (list) list.push(o);
    else byEnv.set(o.environment, [o]);
  }
  const others = new Map<Environment, { objects: SynthesizedObject[]; shards?: readonly string[] }>();
  const other = (env: Environment) => {
    let o = others.get(env);
    if (!o) {
      const collected = collectObjects(env);
      o = { objects: collected, shards: renderManifests(collected, Sharding.budgetOf(env)).shards.get(env.name) };
      others.set(env, o);
    }
    return o;
  };
  return {
    outdir,
    objectsOf: (env) => byEnv.get(env.name) ?? other(env).objects,
    shardsOf: (env) => (byEnv.has(env.name) ? shards.get(env.name) : other(env).shards),
  };
}

const ARTIFACTS = Symbol.for('cdk8s-dataops.artifacts');
const FOLDERS = Symbol.for('cdk8s-dataops.artifact-folders');

/**
 * Files beside the manifests that a construct contributes to its platform's output: reports under `reports/`,
 * bootstrap objects under `bootstrap/`. They are rendered after every construct exists, and are owned by the
 * synthesizer like manifests (rewritten, and removed when no longer produced).
 */
export class Artifacts {
  /** Adds a file to the output of the platform `scope` belongs to. */
  public static add(scope: IConstruct, file: Omit<ArtifactFile, 'owner'>): void {
    Artifacts.list(scope.node.root).push({ ...file, owner: scope });
  }

  /** Adds files whose names depend on the synthesis (e.g. one per shard) in a folder of the platform's output. */
  public static addFolder(scope: IConstruct, folder: Omit<ArtifactFolder, 'owner'>): void {
    Artifacts.folders(scope.node.root).push({ ...folder, owner: scope });
  }

  /** The folders added under a platform root. */
  public static folders(root: IConstruct): ArtifactFolder[] {
    const holder = root as unknown as { [FOLDERS]?: ArtifactFolder[] };
    return (holder[FOLDERS] ??= []);
  }

  /**
   * Renders every artifact of a platform into `files` (path relative to the output folder → content). Refuses a path
   * under `manifests/`, outside the output folder, or written twice.
   */
  public static render(root: IConstruct, context: ArtifactContext, files: Map<string, string>): void {
    const add = (file: string, owner: IConstruct, content: string | undefined) => {
      if (file.startsWith(`${MANIFESTS_DIR}/`) || path.isAbsolute(file) || file.split('/').includes('..')) {
        throw new DataOpsError(`artifact path '${file}' must be relative and outside ${MANIFESTS_DIR}/`, { constructPath: owner.node.path });
      }
      if (files.has(file)) throw new DataOpsError(`two artifacts write '${file}'`, { constructPath: owner.node.path });
      if (content !== undefined) files.set(file, content);
    };
    for (const artifact of Artifacts.list(root)) add(artifact.path, artifact.owner, artifact.render(context));
    for (const folder of Artifacts.folders(root)) {
      for (const [name, content] of folder.render(context)) add(`${folder.dir}/${name}`, folder.owner, content);
    }
  }

  /** The files added under a platform root. */
  public static list(root: IConstruct): ArtifactFile[] {
    const holder = root as unknown as { [ARTIFACTS]?: ArtifactFile[] };
    return (holder[ARTIFACTS] ??= []);
  }
}
