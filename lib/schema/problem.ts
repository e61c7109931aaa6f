/** How bad a problem is: errors fail `synth validate`; warnings are listed and fail nothing. */
export type Severity = 'error' | 'warning';

/** Identifiers of the checks, stable for scripts (`synth validate --json`) and tests. */
export type RuleId =
  /** The object does not match the schema of its kind (CRD openAPIV3Schema or Kubernetes' own). */
  | 'schema'
  /** The CRD exists, but not with the object's apiVersion (or that version is not served). */
  | 'not-served'
  /** The version is served but deprecated by the CRD. */
  | 'deprecated'
  /** A Kubernetes API version that was removed from Kubernetes (or is pre-release). */
  | 'removed-api'
  /** No CRD and no Kubernetes model for apiVersion/kind. */
  | 'unknown-kind'
  /** metadata: name, namespace, labels or annotations are missing or malformed. */
  | 'metadata'
  /** A namespaced kind without a namespace, or a cluster-scoped kind with one. */
  | 'scope'
  /** The file is not valid YAML/JSON. */
  | 'parse'
  /** A document is not a Kubernetes object (apiVersion, kind, metadata.name). */
  | 'not-an-object'
  /** A file under manifests/ that Argo CD or Flux would not read (wrong extension). */
  | 'file-type'
  /** More than one object in a file, or an empty file. */
  | 'one-object-per-file'
  /** A kustomization.yaml or Chart.yaml that switches Argo CD to Kustomize or Helm. */
  | 'tool-switch'
  /** The same object (group, kind, namespace, name) in two files. */
  | 'duplicate-object'
  /** `kubectl kustomize` (what Flux' kustomize-controller runs) cannot build an environment folder. */
  | 'kustomize-build'
  /** A CRD file that cannot be read or compiled. */
  | 'schema-source';

/** One thing wrong with one object (or file). */
export interface Problem {
  readonly severity: Severity;
  readonly rule: RuleId;
  /** The field as a path, e.g. `spec.template.spec.containers[0].image`; absent for whole-object problems. */
  readonly field?: string;
  /** What is wrong, for people. */
  readonly message: string;
}

/** Which object of a file a problem is about. */
export interface ObjectRef {
  /** 0-based position of the document in its file. */
  readonly index: number;
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
}

/** A problem with where it was found. */
export interface FileProblem extends Problem {
  /** The file, relative to the validated folder, with '/' separators. */
  readonly file: string;
  /** The object in the file, when the problem is about one. */
  readonly object?: ObjectRef;
}

/** Creates an error problem. */
export function error(rule: RuleId, message: string, field?: string): Problem {
  return field === undefined ? { severity: 'error', rule, message } : { severity: 'error', rule, field, message };
}

/** Creates a warning problem. */
export function warning(rule: RuleId, message: string, field?: string): Problem {
  return field === undefined ? { severity: 'warning', rule, message } : { severity: 'warning', rule, field, message };
}

/** `file: field: message` (the field part only when there is one), as `synth validate` prints it. */
export function formatProblem(p: FileProblem): string {
  const where = p.object && p.object.index > 0 ? `${p.file}#${p.object.index + 1}` : p.file;
  return p.field ? `${where}: ${p.field}: ${p.message}` : `${where}: ${p.message}`;
}
