import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateKustomization, kustomizeBuild, KustomizeBuildOptions } from './kustomize';
import { DistFile } from '../dist-files';
import { FileProblem } from '../problem';

/**
 * What Flux' kustomize-controller needs from the files under a Kustomization's path, beyond what Argo CD needs
 * (see `argoCdDirectoryProblems`, which also covers "every YAML is a Kubernetes object"): when the path has no
 * kustomization.yaml, the controller generates one listing the .yaml/.yml files only, so a .json object is
 * silently not applied by Flux although Argo CD applies it.
 */
export function fluxDirectoryProblems(files: readonly DistFile[]): FileProblem[] {
  return files.filter((f) => path.posix.extname(f.path).toLowerCase() === '.json').map((f) => ({
    file: f.path, severity: 'error' as const, rule: 'file-type' as const,
    message: 'Flux does not apply .json files (kustomize-controller lists only .yaml/.yml files when it generates the kustomization): write it as .yaml',
  }));
}

/** Options of {@link fluxBuilds}. */
export interface FluxBuildOptions extends KustomizeBuildOptions {
  /** How many folders to build at the same time. @default os.availableParallelism() */
  readonly parallel?: number;
}

/** The result of building one folder as kustomize-controller would. */
export interface FluxBuild {
  /** The folder, relative to the output folder (e.g. `manifests/prod`). */
  readonly folder: string;
  /** Whether kustomize-controller generated the kustomization (the folder has none of its own). */
  readonly generated: boolean;
  /** Objects the build produced. */
  readonly objects: number;
  /** Problems found (a failed build). */
  readonly problems: readonly FileProblem[];
}

/**
 * Builds each folder with `kubectl kustomize` (kustomize v5.5, as embedded in kubectl 1.32 — what
 * kustomize-controller runs) the way a Flux Kustomization with `spec.path` pointing at it would: a temporary copy
 * of the folder gets the kustomization.yaml the controller generates when there is none ({@link
 * generateKustomization}), then it is built without load restrictions or plugins. The output folder itself is
 * never written to.
 *
 * @param outdir the output folder
 * @param folders folders relative to `outdir`, e.g. `['manifests/dev', 'manifests/prod']`
 * @throws KubectlNotFoundError when kubectl cannot be run
 */
export async function fluxBuilds(outdir: string, folders: readonly string[], options: FluxBuildOptions = {}): Promise<FluxBuild[]> {
  if (folders.length === 0) return [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dataops-flux-'));
  try {
    const build = async (folder: string): Promise<FluxBuild> => {
      const copy = path.join(tmp, ...folder.split('/'));
      fs.mkdirSync(path.dirname(copy), { recursive: true });
      fs.cpSync(path.join(outdir, folder), copy, { recursive: true, dereference: true });
      const generated = generateKustomization(copy) === 'created';
      const result = await kustomizeBuild(copy, options);
      if (result.ok) return { folder, generated, objects: result.objects, problems: [] };
      const file = result.file ? `${folder}/${result.file}` : folder;
      const problem: FileProblem = {
        file, severity: 'error', rule: 'kustomize-build',
        message: `kubectl kustomize${generated ? ' (with the kustomization Flux generates)' : ''} fails, so Flux cannot apply ${folder}: ${result.error?.split(`${copy}/`).join('')}`,
      };
      return { folder, generated, objects: 0, problems: [problem] };
    };
    // Builds run side by side, one per core.
    const results: FluxBuild[] = new Array(folders.length);
    let next = 0;
    const worker = async () => {
      while (next < folders.length) {
        const i = next++;
        results[i] = await build(folders[i]);
      }
    };
    const parallel = Math.max(1, Math.min(options.parallel ?? os.availableParallelism(), folders.length));
    await Promise.all(Array.from({ length: parallel }, worker));
    return results;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
