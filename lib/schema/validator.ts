import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { problemsFromAjv } from './ajv-errors';
import { BUNDLED_CRDS_DIR, displayPath } from './bundled';
import { KubernetesModels, removedIn } from './core-models';
import { CrdDefinition, CrdHandle, CrdSourceProblem, loadCrdDirs, readCrd } from './crds';
import { checkMetadata } from './metadata';
import { createAjv, structuralToJsonSchema } from './openapi';
import { error, Problem, warning } from './problem';
import { isClusterScoped } from '../synthesizer/kinds';
import { apiGroupOf } from '../synthesizer/manifest';

/** Options of {@link SchemaValidator}. */
export interface SchemaValidatorOptions {
  /**
   * Folders with CustomResourceDefinition YAML files (searched recursively). When two files define the same
   * group and kind, the later folder wins, so a folder of your own can override a bundled CRD.
   * @default [BUNDLED_CRDS_DIR] - the upstream CRDs shipped with the package
   */
  readonly crdDirs?: readonly string[];
  /**
   * Whether an object whose kind has neither a CRD nor a Kubernetes built-in model is an error.
   * @default false - it is a warning (listed, never silently ignored)
   */
  readonly strictUnknown?: boolean;
}

/**
 * Checks Kubernetes objects the way a cluster would accept them, without a cluster:
 * - custom resources against the `openAPIV3Schema` of their CRD version (which must exist and be served);
 * - built-in kinds against Kubernetes' own schemas (the `kubernetes-models` package), and against the list of
 *   API versions Kubernetes removed;
 * - every object's metadata (name, namespace, labels, annotations);
 * - kinds known to neither are reported as unknown.
 *
 * CRD files are read once when the validator is created; each CRD version's schema is compiled on first use
 * and cached, so validating many objects costs little more than validating one of each kind.
 *
 * @example
 * const validator = new SchemaValidator();
 * for (const p of validator.validate(topic)) console.log(`${p.field}: ${p.message}`);
 */
export class SchemaValidator {
  /** CRD files that could not be read (their kinds are then unknown). */
  public readonly sourceProblems: CrdSourceProblem[] = [];
  private readonly crds = new Map<string, CrdHandle>();
  private readonly compiled = new Map<string, ValidateFunction | string>();
  private readonly strictUnknown: boolean;
  private readonly models = new KubernetesModels();
  private ajvInstance?: Ajv;

  constructor(options: SchemaValidatorOptions = {}) {
    this.strictUnknown = options.strictUnknown ?? false;
    const loaded = loadCrdDirs(options.crdDirs ?? [BUNDLED_CRDS_DIR], displayPath);
    this.sourceProblems.push(...loaded.problems);
    for (const crd of loaded.crds) this.crds.set(`${crd.group}/${crd.kind}`, crd);
  }

  /**
   * Adds a CRD (a CustomResourceDefinition object, e.g. one found in the output folder); objects of its kind are
   * then checked against it. Returns an error message when the object is not a usable CRD.
   */
  public addCrd(crd: unknown, source: string): string | undefined {
    const def = readCrd(crd, source);
    if (typeof def === 'string') return def;
    const key = `${def.group}/${def.kind}`;
    this.crds.set(key, { group: def.group, kind: def.kind, source, load: () => def });
    for (const k of [...this.compiled.keys()]) if (k.startsWith(`${key}/`)) this.compiled.delete(k);
    return undefined;
  }

  /** The CRD for a group and kind, if one is loaded. */
  public crdFor(group: string, kind: string): CrdDefinition | undefined {
    const def = this.crds.get(`${group}/${kind}`)?.load();
    return typeof def === 'string' ? undefined : def;
  }

  /** The problems of one object (an empty list when a cluster would accept it). */
  public validate(object: unknown): Problem[] {
    if (object === null || typeof object !== 'object' || Array.isArray(object)) {
      return [error('not-an-object', `is not a Kubernetes object (a YAML mapping with apiVersion, kind and metadata); got ${Array.isArray(object) ? 'a list' : typeof object}`)];
    }
    const o = object as Record<string, unknown>;
    const head: Problem[] = [];
    if (typeof o.apiVersion !== 'string' || !o.apiVersion) head.push(error('not-an-object', 'is required: a Kubernetes object needs apiVersion, kind and metadata.name', 'apiVersion'));
    if (typeof o.kind !== 'string' || !o.kind) head.push(error('not-an-object', 'is required: a Kubernetes object needs apiVersion, kind and metadata.name', 'kind'));
    if (head.length > 0) return head;
    const apiVersion = o.apiVersion as string;
    const kind = o.kind as string;
    const group = apiGroupOf(apiVersion);
    const meta = checkMetadata(o, group, kind);

    const handle = this.crds.get(`${group}/${kind}`);
    let typed: Problem[];
    let clusterScoped: boolean | undefined;
    if (handle) {
      const crd = handle.load();
      if (typeof crd === 'string') {
        typed = [warning('schema-source', `not checked: the CRD for ${group}/${kind} cannot be read (${crd})`)];
      } else {
        typed = this.validateCustom(o, crd, apiVersion);
        clusterScoped = crd.scope === 'Cluster';
      }
    } else {
      const core = this.models.find(apiVersion, kind);
      if (core) {
        typed = [];
        const removed = removedIn(apiVersion, kind);
        const stable = () => this.models.stableVersionsOf(kind).filter((v) => v !== apiVersion);
        if (removed) {
          const use = stable();
          typed.push(error('removed-api', `${apiVersion} ${kind} was removed in Kubernetes ${removed}${use.length ? `; use apiVersion ${use.join(' or ')}` : ''}`, 'apiVersion'));
        } else if (/(alpha|beta)\d+$/.test(apiVersion)) {
          const use = stable();
          typed.push(warning('removed-api', `${apiVersion} is a pre-release Kubernetes API that clusters serve only when enabled${use.length ? `; prefer apiVersion ${use.join(' or ')}` : ''}`, 'apiVersion'));
        }
        typed.push(...problemsFromAjv(core.validate(o), o));
        clusterScoped = isClusterScoped(group, kind);
      } else {
        typed = [this.unknownKind(apiVersion, kind)];
      }
    }
    if (clusterScoped !== undefined) typed.push(...scopeProblems(o, kind, clusterScoped));
    // metadata problems the kind's schema also reports (e.g. a label value that is not a string) are listed once
    const metaFields = new Set(meta.map((p) => p.field));
    return [...meta, ...typed.filter((p) => !(p.rule === 'schema' && p.field && metaFields.has(p.field)))];
  }

  private validateCustom(o: Record<string, unknown>, crd: CrdDefinition, apiVersion: string): Problem[] {
    const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
    const v = crd.versions.find((x) => x.name === version);
    const served = crd.versions.filter((x) => x.served).map((x) => `${crd.group}/${x.name}`);
    if (!v || !v.served) {
      return [error('not-served', `${apiVersion} ${crd.kind} is not served by the CRD in ${crd.source}` +
        ` (${v ? 'the version exists but is not served' : 'no such version'}; served: ${served.join(', ') || 'none'})`, 'apiVersion')];
    }
    const problems: Problem[] = [];
    if (v.deprecated) {
      problems.push(warning('deprecated', `${apiVersion} ${crd.kind} is deprecated by the CRD in ${crd.source}` +
        (v.deprecationWarning ? `: ${v.deprecationWarning}` : ''), 'apiVersion'));
    }
    if (v.schema === undefined) return problems;
    const check = this.compile(crd, v.name, v.schema);
    if (typeof check === 'string') {
      problems.push(warning('schema-source', `not checked: the schema of ${apiVersion} ${crd.kind} in ${crd.source} does not compile (${check})`));
      return problems;
    }
    if (!check(o)) problems.push(...problemsFromAjv(check.errors, o));
    return problems;
  }

  private compile(crd: CrdDefinition, version: string, schema: unknown): ValidateFunction | string {
    const key = `${crd.group}/${crd.kind}/${version}`;
    let fn = this.compiled.get(key);
    if (fn === undefined) {
      try {
        fn = this.ajv.compile(structuralToJsonSchema(schema));
      } catch (e) {
        fn = (e as Error).message.split('\n')[0];
      }
      this.compiled.set(key, fn);
    }
    return fn;
  }

  private get ajv(): Ajv {
    return (this.ajvInstance ??= createAjv());
  }

  private unknownKind(apiVersion: string, kind: string): Problem {
    const group = apiGroupOf(apiVersion);
    const hints: string[] = [];
    const sameKind = [...this.crds.values()].filter((c) => c.kind === kind);
    for (const c of sameKind) {
      const def = c.load();
      const served = typeof def === 'string' ? [] : def.versions.filter((x) => x.served).map((x) => `${c.group}/${x.name}`);
      hints.push(`the CRD in ${c.source} defines ${kind} in group ${c.group}${served.length ? ` (apiVersion ${served.join(' or ')})` : ''}`);
    }
    const stable = this.models.stableVersionsOf(kind);
    if (stable.length) hints.push(`Kubernetes serves ${kind} as apiVersion ${stable.join(' or ')}`);
    const sameGroup = [...this.crds.values()].filter((c) => c.group === group && group !== '').map((c) => c.kind);
    if (sameGroup.length && sameKind.length === 0) hints.push(`the CRDs of group ${group} define ${sameGroup.sort().join(', ')}`);
    const message = `unknown kind: no CRD and no Kubernetes built-in kind for ${apiVersion} ${kind}, so it was not checked` +
      (hints.length ? ` (${hints.join('; ')})` : '; add its CRD to a CRD folder (--crds) to check it');
    return this.strictUnknown ? error('unknown-kind', message, 'kind') : warning('unknown-kind', message, 'kind');
  }
}

function scopeProblems(o: Record<string, unknown>, kind: string, clusterScoped: boolean): Problem[] {
  const ns = (o.metadata as Record<string, unknown> | undefined)?.namespace;
  if (clusterScoped && ns !== undefined) {
    return [warning('scope', `${kind} is cluster-scoped: the namespace is ignored; remove it`, 'metadata.namespace')];
  }
  if (!clusterScoped && (ns === undefined || ns === '')) {
    return [warning('scope', `${kind} is namespaced but has no namespace: it lands in whatever namespace Argo CD or Flux default to`, 'metadata.namespace')];
  }
  return [];
}
