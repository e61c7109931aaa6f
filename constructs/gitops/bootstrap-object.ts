import { Construct } from 'constructs';
import { ArtifactContext, Artifacts } from '../../lib/synthesizer/artifacts';
import { KubeObject } from '../../lib/synthesizer/manifest';
import { toYaml } from '../../lib/synthesizer/yaml';

/** Folder (under the output folder) of the objects that make a cluster follow the manifests. */
export const BOOTSTRAP_DIR = 'bootstrap';

/** Labels every bootstrap object carries. */
export const BOOTSTRAP_LABELS: Readonly<Record<string, string>> = { 'app.kubernetes.io/managed-by': 'cdk8s-dataops' };

/**
 * An object that is applied once to a cluster (by a person, or by an app-of-apps) to make it follow the
 * manifests: an Argo CD Application or AppProject, a Flux GitRepository or Kustomization. It is not a
 * Kubernetes object of an environment: it is written to `bootstrap/<tool>/...yaml`, never into the folder it
 * watches, and rendered when the platform is synthesized, so it sees every construct of the platform.
 */
export abstract class BootstrapObject extends Construct {
  /** Path of its file relative to the output folder, e.g. `bootstrap/argocd/application.prod.yaml`. */
  public readonly file: string;

  protected constructor(scope: Construct, id: string, file: string) {
    super(scope, id);
    this.file = file;
    Artifacts.add(this, { path: file, render: (context) => (this.isWritten(context) ? toYaml(this.toManifest(context)) : undefined) });
  }

  /**
   * Whether the object is written in this synthesis (an environment's Application is replaced by an ApplicationSet of
   * its shards when the environment is sharded).
   * @param _context the synthesis
   */
  protected isWritten(_context: ArtifactContext): boolean {
    return true;
  }

  /**
   * The object as written to its file.
   * @param context the synthesis (its output folder locates the manifests in the repository)
   */
  public abstract toManifest(context: ArtifactContext): KubeObject;
}

/** Removes keys whose value is undefined (the generated L1 helpers keep `metadata` as given). */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A duration in milliseconds as a Go duration string (`90000` → `1m30s`), as Argo CD and Flux expect. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
}
