import { IConstruct } from 'constructs';
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
}

const ARTIFACTS = Symbol.for('cdk8s-dataops.artifacts');

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

  /** The files added under a platform root. */
  public static list(root: IConstruct): ArtifactFile[] {
    const holder = root as unknown as { [ARTIFACTS]?: ArtifactFile[] };
    return (holder[ARTIFACTS] ??= []);
  }
}
