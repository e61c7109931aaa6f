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
  const root = existingFolder(outdir);
  const validator = options.validator ?? new SchemaValidator(options);
  const { environments, files } = selectEnvironments(root, readDistFiles(root), options.environments, outdir);
  const manifests = files.filter((f) => f.path.startsWith(MANIFESTS_PREFIX));

  const problems: FileProblem[] = [];
  for (const p of validator.sourceProblems) problems.push({ file: p.file, severity: 'warning', rule: 'schema-source', message: `CRD file not used: ${p.message}` });
  addShippedCrds(validator, files);
  problems.push(...consumerProblems(manifests, environments, options));
  const schemas = schemaProblems(validator, files);
  problems.push(...schemas.problems);
  const flux = options.kustomize === false ? undefined : await fluxBuildProblems(root, environments, options);
  if (flux) problems.push(...flux.problems);

  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.object?.index ?? -1) - (b.object?.index ?? -1)));
  const errors = problems.filter((p) => p.severity === 'error').length;
  return {
    outdir: root, environments, files: schemas.files, objects: schemas.objects, problems, errors, warnings: problems.length - errors,
    ...(flux?.kustomize ? { kustomize: flux.kustomize } : {}), durationMs: performance.now() - started,
  };
}

const MANIFESTS_PREFIX = `${MANIFESTS_DIR}/`;

/** The environment of a file under `manifests/<env>/`, else undefined. */
function environmentOf(f: DistFile): string | undefined {
  return f.path.startsWith(MANIFESTS_PREFIX) ? f.path.split('/')[1] : undefined;
}

/** The absolute path of an output folder; a DataOpsError (exit 2) when it does not exist. */
export function existingFolder(outdir: string): string {
  const root = path.resolve(outdir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new DataOpsError(`${outdir} does not exist or is not a folder; run 'npx synth' first, or point to the output folder with --out`);
  }
  return root;
}

/**
 * The environments to check (folders under `manifests/`: all, or the requested ones, which must exist) and the files
 * that belong to them or to no environment.
 */
export function selectEnvironments(root: string, all: readonly DistFile[], requested: readonly string[] | undefined, shown = root): { environments: string[]; files: DistFile[] } {
  const available = [...new Set(all.map((f) => (f.path.split('/').length > 2 ? environmentOf(f) : undefined)).filter((e): e is string => !!e))].sort();
  if (requested) {
    const missing = requested.filter((e) => !available.includes(e));
    if (missing.length) {
      throw new DataOpsError(`no environment ${missing.join(', ')} in ${path.join(shown, MANIFESTS_DIR)} (found: ${available.join(', ') || 'none'})`);
    }
  }
  const environments = requested ? [...requested].sort() : available;
  const files = all.filter((f) => {
    const env = environmentOf(f);
    return env === undefined || !requested || requested.includes(env);
  });
  return { environments, files };
}

/** CRDs shipped in the output itself describe their own kinds. */
function addShippedCrds(validator: SchemaValidator, files: readonly DistFile[]): void {
  for (const f of files) {
    for (const doc of f.documents ?? []) {
      if (looksLikeObject(doc) && doc.kind === 'CustomResourceDefinition' && doc.apiVersion.startsWith('apiextensions.k8s.io/')) validator.addCrd(doc, f.path);
    }
  }
}

/** The consumers' view of `manifests/`: files outside environments, Argo CD's and Flux' directory rules, duplicates. */
function consumerProblems(manifests: readonly DistFile[], environments: readonly string[], options: ValidateDistOptions): FileProblem[] {
  const problems: FileProblem[] = [];
  for (const f of manifests) {
    if (f.path.split('/').length === 2) {
      problems.push({ file: f.path, severity: 'warning', rule: 'file-type', message: `outside every environment folder (${MANIFESTS_DIR}/<env>/): no environment's Argo CD Application or Flux Kustomization applies it` });
    }
  }
  problems.push(...argoCdDirectoryProblems(manifests, { allowKustomization: options.allowKustomization }));
  problems.push(...fluxDirectoryProblems(manifests));
  for (const env of environments) problems.push(...duplicateObjectProblems(manifests.filter((f) => environmentOf(f) === env)));
  return problems;
}

/** Every object against its schema: all under `manifests/`, and files elsewhere that hold Kubernetes objects. */
function schemaProblems(validator: SchemaValidator, files: readonly DistFile[]): { problems: FileProblem[]; objects: number; files: number } {
  const problems: FileProblem[] = [];
  let objects = 0;
  const checked = new Set<string>(files.filter((f) => f.path.startsWith(MANIFESTS_PREFIX)).map((f) => f.path));
  for (const f of files) {
    const inManifests = f.path.startsWith(MANIFESTS_PREFIX);
    (f.documents ?? []).forEach((doc, index) => {
      // Outside manifests/, only files that hold Kubernetes objects are checked (reports are not objects).
      if (!looksLikeObject(doc)) return; // under manifests/, the consumer rules report it
      if (!inManifests && typeof (doc as any).metadata !== 'object') return;
      const found = validator.validate(doc);
      // Outside manifests/, a kind that neither Kubernetes nor a bundled CRD knows is another tool's resource (for
      // example a gateway's own configuration, applied by that tool's CLI): it is not a Kubernetes object to check.
      if (!inManifests && found.some((p) => p.rule === 'unknown-kind')) return;
      objects++;
      checked.add(f.path);
      const object = refOf(doc, index);
      for (const p of found) problems.push({ ...p, file: f.path, object });
    });
    if (!inManifests && f.parseError !== undefined && /\.ya?ml$/.test(f.path)) {
      problems.push({ file: f.path, severity: 'warning', rule: 'parse', message: f.parseError });
    }
  }
  return { problems, objects, files: checked.size };
}

/** Flux: each environment built as kustomize-controller would (kubectl kustomize with the generated kustomization). */
async function fluxBuildProblems(root: string, environments: readonly string[], options: FluxBuildOptions): Promise<{ problems: FileProblem[]; kustomize?: Report['kustomize'] }> {
  try {
    const builds = await fluxBuilds(root, environments.map((e) => `${MANIFESTS_DIR}/${e}`), options);
    return { problems: builds.flatMap((b) => b.problems), kustomize: builds.map(({ folder, objects, generated }) => ({ folder, objects, generated })) };
  } catch (e) {
    if (!(e instanceof KubectlNotFoundError)) throw e;
    return { problems: [{ file: MANIFESTS_DIR, severity: 'error', rule: 'kustomize-build', message: `${e.message} (synth validate --no-kustomize)` }] };
  }
}
