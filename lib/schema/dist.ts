import * as fs from 'node:fs';
import * as path from 'node:path';
import { argoCdDirectoryProblems, duplicateObjectProblems, refOf } from './consumers/argocd';
import { FluxBuildOptions, fluxBuilds, fluxDirectoryProblems } from './consumers/flux';
import { KubectlNotFoundError } from './consumers/kustomize';
import { DistFile, looksLikeObject, readDistFiles } from './dist-files';
import { FileProblem } from './problem';
import { SchemaValidator, SchemaValidatorOptions } from './validator';
import { DataOpsError } from '../errors';
import { MANIFESTS_DIR } from '../synthesizer/layout';

/** Options of {@link validateDist}. */
export interface ValidateDistOptions extends SchemaValidatorOptions, FluxBuildOptions {
  /** The validator to use (its CRD folders and strictness then apply). @default - a new SchemaValidator from these options */
  readonly validator?: SchemaValidator;
  /** Only these environments (folders under `manifests/`). @default - all */
  readonly environments?: readonly string[];
  /**
   * Build each environment folder with `kubectl kustomize` as Flux' kustomize-controller would.
   * @default true
   */
  readonly kustomize?: boolean;
  /** Whether kustomization.yaml files under `manifests/` are intended (see `argoCdDirectoryProblems`). @default false */
  readonly allowKustomization?: boolean;
}

/** What {@link validateDist} found. */
export interface Report {
  /** The validated folder (absolute). */
  readonly outdir: string;
  /** The environments checked (folders under `manifests/`). */
  readonly environments: readonly string[];
  /** Files checked: every file under `manifests/`, and the files elsewhere that hold Kubernetes objects. */
  readonly files: number;
  /** Kubernetes objects checked against their schema. */
  readonly objects: number;
  /** Every problem, sorted by file. */
  readonly problems: readonly FileProblem[];
  readonly errors: number;
  readonly warnings: number;
  /** Per environment folder: objects built by `kubectl kustomize` (absent when the build was skipped). */
  readonly kustomize?: ReadonlyArray<{ readonly folder: string; readonly objects: number; readonly generated: boolean }>;
  /** Wall-clock time of the validation, in milliseconds. */
  readonly durationMs: number;
}

/**
 * Checks an output folder as its consumers will see it, without a cluster:
 * - every Kubernetes object (under `manifests/`, and any object elsewhere, e.g. `bootstrap/`) against its schema
 *   ({@link SchemaValidator}); CRDs found in the folder are used for their kinds;
 * - each `manifests/<env>` folder as an Argo CD directory source and a Flux Kustomization path would read it
 *   (file types, one object per file, no stray non-objects, no duplicates, no tool switch);
 * - each environment folder built with `kubectl kustomize` the way kustomize-controller builds it (optional).
 *
 * Nothing is written to the folder.
 */
export async function validateDist(outdir: string, options: ValidateDistOptions = {}): Promise<Report> {
  const started = performance.now();
  const root = path.resolve(outdir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new DataOpsError(`${outdir} does not exist or is not a folder; run 'npx synth' first, or point to the output folder with --out`);
  }
  const validator = options.validator ?? new SchemaValidator(options);
  const all = readDistFiles(root);
  const manifestsPrefix = `${MANIFESTS_DIR}/`;
  const envOf = (f: DistFile) => (f.path.startsWith(manifestsPrefix) ? f.path.split('/')[1] : undefined);
  const available = [...new Set(all.map((f) => (f.path.split('/').length > 2 ? envOf(f) : undefined)).filter((e): e is string => !!e))].sort();
  if (options.environments) {
    const missing = options.environments.filter((e) => !available.includes(e));
    if (missing.length) {
      throw new DataOpsError(`no environment ${missing.join(', ')} in ${path.join(outdir, MANIFESTS_DIR)} (found: ${available.join(', ') || 'none'})`);
    }
  }
  const environments = options.environments ? [...options.environments].sort() : available;
  const files = all.filter((f) => {
    const env = envOf(f);
    return env === undefined || !options.environments || options.environments.includes(env);
  });

  const problems: FileProblem[] = [];
  for (const p of validator.sourceProblems) problems.push({ file: p.file, severity: 'warning', rule: 'schema-source', message: `CRD file not used: ${p.message}` });

  // CRDs shipped in the output itself describe their own kinds.
  for (const f of files) {
    for (const doc of f.documents ?? []) {
      if (looksLikeObject(doc) && doc.kind === 'CustomResourceDefinition' && doc.apiVersion.startsWith('apiextensions.k8s.io/')) validator.addCrd(doc, f.path);
    }
  }

  // The consumers' view of manifests/.
  const manifests = files.filter((f) => f.path.startsWith(manifestsPrefix));
  for (const f of manifests) {
    if (f.path.split('/').length === 2) {
      problems.push({ file: f.path, severity: 'warning', rule: 'file-type', message: `outside every environment folder (${MANIFESTS_DIR}/<env>/): no environment's Argo CD Application or Flux Kustomization applies it` });
    }
  }
  problems.push(...argoCdDirectoryProblems(manifests, { allowKustomization: options.allowKustomization }));
  problems.push(...fluxDirectoryProblems(manifests));
  for (const env of environments) problems.push(...duplicateObjectProblems(manifests.filter((f) => envOf(f) === env)));

  // Schemas.
  let objects = 0;
  const checked = new Set<string>(manifests.map((f) => f.path));
  for (const f of files) {
    const inManifests = f.path.startsWith(manifestsPrefix);
    (f.documents ?? []).forEach((doc, index) => {
      // Outside manifests/, only files that hold Kubernetes objects are checked (reports are not objects).
      if (!looksLikeObject(doc)) return; // under manifests/, the consumer rules report it
      if (!inManifests && typeof (doc as any).metadata !== 'object') return;
      objects++;
      checked.add(f.path);
      const object = refOf(doc, index);
      for (const p of validator.validate(doc)) problems.push({ ...p, file: f.path, object });
    });
    if (!inManifests && f.parseError !== undefined && /\.ya?ml$/.test(f.path)) {
      problems.push({ file: f.path, severity: 'warning', rule: 'parse', message: f.parseError });
    }
  }

  // Flux: build each environment as kustomize-controller would.
  let kustomize: Report['kustomize'];
  if (options.kustomize !== false) {
    try {
      const builds = await fluxBuilds(root, environments.map((e) => `${MANIFESTS_DIR}/${e}`), options);
      kustomize = builds.map(({ folder, objects: n, generated }) => ({ folder, objects: n, generated }));
      for (const b of builds) problems.push(...b.problems);
    } catch (e) {
      if (!(e instanceof KubectlNotFoundError)) throw e;
      problems.push({ file: MANIFESTS_DIR, severity: 'error', rule: 'kustomize-build', message: `${e.message} (synth validate --no-kustomize)` });
    }
  }

  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.object?.index ?? -1) - (b.object?.index ?? -1)));
  const errors = problems.filter((p) => p.severity === 'error').length;
  return {
    outdir: root, environments, files: checked.size, objects, problems, errors, warnings: problems.length - errors,
    ...(kustomize ? { kustomize } : {}), durationMs: performance.now() - started,
  };
}
