import * as path from 'node:path';
import { DistFile, looksLikeObject, MANIFEST_EXTENSIONS } from '../dist-files';
import { KUSTOMIZATION_FILES } from './kustomize';
import { FileProblem, ObjectRef } from '../problem';
import { apiGroupOf } from '../../synthesizer/manifest';

/** Options of {@link argoCdDirectoryProblems}. */
export interface ArgoCdRuleOptions {
  /**
   * Whether a kustomization.yaml under the path is intended (Argo CD then builds the folder with Kustomize instead
   * of reading it as a plain directory).
   * @default false
   */
  readonly allowKustomization?: boolean;
}

/** File names that make Argo CD render a folder as a Helm chart. */
const HELM_FILES = ['Chart.yaml'];

/**
 * What an Argo CD Application with a plain directory source (recursive) needs from the files under its path:
 * - only .yaml, .yml and .json files (Argo CD silently ignores the rest, so anything else is a mistake);
 * - no kustomization.yaml (Argo CD would switch to Kustomize) and no Chart.yaml (Helm), unless intended;
 * - every document a Kubernetes object with apiVersion, kind and metadata.name (Argo CD fails the sync otherwise);
 * - one object per file (the output contract: the path of a file names its object), no empty files.
 */
export function argoCdDirectoryProblems(files: readonly DistFile[], options: ArgoCdRuleOptions = {}): FileProblem[] {
  const problems: FileProblem[] = [];
  for (const f of files) {
    const base = path.posix.basename(f.path);
    if (KUSTOMIZATION_FILES.includes(base)) {
      if (!options.allowKustomization) {
        problems.push({ file: f.path, severity: 'error', rule: 'tool-switch',
          message: 'a kustomization file makes Argo CD (and Flux) build this folder with Kustomize instead of reading the objects as they are; remove it, or allow it explicitly' });
      }
      continue; // an intended kustomization file is not an object (kustomize itself checks it)
    }
    if (HELM_FILES.includes(base)) {
      problems.push({ file: f.path, severity: 'error', rule: 'tool-switch',
        message: 'a Chart.yaml makes Argo CD render this folder as a Helm chart; keep charts outside the manifests folder' });
      continue;
    }
    if (!MANIFEST_EXTENSIONS.includes(path.posix.extname(f.path).toLowerCase())) {
      problems.push({ file: f.path, severity: 'error', rule: 'file-type',
        message: 'Argo CD only reads .yaml, .yml and .json files here, so this file is ignored; the manifests folder must hold Kubernetes objects only (move it elsewhere)' });
      continue;
    }
    if (f.parseError !== undefined) {
      problems.push({ file: f.path, severity: 'error', rule: 'parse', message: f.parseError });
      continue;
    }
    const docs = f.documents ?? [];
    if (docs.length === 0) {
      problems.push({ file: f.path, severity: 'warning', rule: 'one-object-per-file', message: 'empty file: it holds no object; remove it' });
      continue;
    }
    if (docs.length > 1) {
      problems.push({ file: f.path, severity: 'error', rule: 'one-object-per-file',
        message: `${docs.length} objects in one file: the output holds one object per file, named after it (split them)` });
    }
    docs.forEach((doc, index) => {
      const missing = missingObjectFields(doc);
      if (missing.length > 0) {
        problems.push({ file: f.path, object: refOf(doc, index), severity: 'error', rule: 'not-an-object',
          message: `not a Kubernetes object (no ${missing.join(', ')}): Argo CD fails the sync and Flux fails the whole Kustomization` });
      }
    });
  }
  return problems;
}

/**
 * The same object (API group, kind, namespace, name) in more than one file of one environment: Argo CD reports
 * it as a shared resource and Kustomize refuses to build.
 */
export function duplicateObjectProblems(files: readonly DistFile[]): FileProblem[] {
  const seen = new Map<string, string>();
  const problems: FileProblem[] = [];
  for (const f of files) {
    (f.documents ?? []).forEach((doc, index) => {
      if (!looksLikeObject(doc) || typeof doc.metadata?.name !== 'string') return;
      const ns = typeof doc.metadata.namespace === 'string' ? doc.metadata.namespace : '';
      const key = `${apiGroupOf(doc.apiVersion)}/${doc.kind}/${ns}/${doc.metadata.name}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, f.path);
      else {
        problems.push({ file: f.path, object: refOf(doc, index), severity: 'error', rule: 'duplicate-object',
          message: `${doc.kind} ${ns ? `${ns}/` : ''}${doc.metadata.name} is also defined in ${first}: Argo CD and Flux would apply one over the other` });
      }
    });
  }
  return problems;
}

function missingObjectFields(doc: unknown): string[] {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return ['apiVersion', 'kind', 'metadata.name'];
  const o = doc as Record<string, any>;
  const missing: string[] = [];
  if (typeof o.apiVersion !== 'string' || !o.apiVersion) missing.push('apiVersion');
  if (typeof o.kind !== 'string' || !o.kind) missing.push('kind');
  if (typeof o.metadata?.name !== 'string' || !o.metadata.name) missing.push('metadata.name');
  return missing;
}

/** Identifies a document of a file for problem reports. */
export function refOf(doc: unknown, index: number): ObjectRef {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { index };
  const o = doc as Record<string, any>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const ref: Record<string, unknown> = { index, apiVersion: str(o.apiVersion), kind: str(o.kind), name: str(o.metadata?.name), namespace: str(o.metadata?.namespace) };
  for (const k of Object.keys(ref)) if (ref[k] === undefined) delete ref[k];
  return ref as unknown as ObjectRef;
}
