import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { ErrorObject } from 'ajv';

/**
 * Kubernetes API versions that clusters no longer serve (the Kubernetes deprecated API migration guide).
 * Key: `group/version` (all its kinds) or `group/version/Kind`; value: the release that removed it.
 * kubernetes-models still ships models for them, so a schema match alone does not prove a cluster accepts the object.
 */
const REMOVED: ReadonlyMap<string, string> = new Map([
  ['extensions/v1beta1', '1.22'], ['apps/v1beta1', '1.16'], ['apps/v1beta2', '1.16'],
  ['admissionregistration.k8s.io/v1beta1/MutatingWebhookConfiguration', '1.22'],
  ['admissionregistration.k8s.io/v1beta1/ValidatingWebhookConfiguration', '1.22'],
  ['apiextensions.k8s.io/v1beta1', '1.22'], ['apiregistration.k8s.io/v1beta1', '1.22'],
  ['authentication.k8s.io/v1beta1', '1.22'], ['authorization.k8s.io/v1beta1', '1.22'],
  ['certificates.k8s.io/v1beta1', '1.22'], ['coordination.k8s.io/v1beta1', '1.22'],
  ['networking.k8s.io/v1beta1', '1.22'], ['rbac.authorization.k8s.io/v1beta1', '1.22'],
  ['scheduling.k8s.io/v1beta1', '1.22'], ['storage.k8s.io/v1beta1', '1.27'],
  ['batch/v1beta1', '1.25'], ['discovery.k8s.io/v1beta1', '1.25'], ['events.k8s.io/v1beta1', '1.25'],
  ['autoscaling/v2beta1', '1.25'], ['policy/v1beta1', '1.25'], ['node.k8s.io/v1beta1', '1.25'],
  ['autoscaling/v2beta2', '1.26'], ['flowcontrol.apiserver.k8s.io/v1beta1', '1.26'],
  ['flowcontrol.apiserver.k8s.io/v1beta2', '1.29'], ['flowcontrol.apiserver.k8s.io/v1beta3', '1.32'],
]);

/** The release that removed `apiVersion` `kind` from Kubernetes, if it was removed. */
export function removedIn(apiVersion: string, kind: string): string | undefined {
  return REMOVED.get(`${apiVersion}/${kind}`) ?? REMOVED.get(apiVersion);
}

/** A Kubernetes built-in kind with its schema check. */
export interface CoreKind {
  readonly apiVersion: string;
  readonly kind: string;
  /** Checks an object; returns the JSON-schema errors, or an empty list. */
  validate(object: unknown): readonly ErrorObject[];
}

interface ModelClass {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly prototype: { validate(this: unknown): void };
}

const GROUP = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const VERSION = /^v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

/**
 * The built-in Kubernetes kinds, from the `kubernetes-models` package (schemas generated from Kubernetes' OpenAPI
 * spec): `apps/v1` `Deployment` is `kubernetes-models/apps/v1/Deployment`, core `v1` `ConfigMap` is
 * `kubernetes-models/v1/ConfigMap`. Models are loaded on first use and cached.
 */
export class KubernetesModels {
  private readonly root: string | undefined;
  private readonly cache = new Map<string, CoreKind | null>();
  private readonly req = createRequire(__filename);

  constructor() {
    try {
      this.root = path.dirname(this.req.resolve('kubernetes-models/package.json'));
    } catch {
      this.root = undefined;
    }
  }

  /** Whether the kubernetes-models package is installed. */
  public get available(): boolean {
    return this.root !== undefined;
  }

  /** The model for apiVersion/kind, or undefined when Kubernetes has no such built-in kind. */
  public find(apiVersion: string, kind: string): CoreKind | undefined {
    const key = `${apiVersion}/${kind}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.load(apiVersion, kind);
    this.cache.set(key, found ?? null);
    return found;
  }

  /** The stable apiVersions (v1, v2, ...) that have this kind, e.g. `Ingress` → `networking.k8s.io/v1`. */
  public stableVersionsOf(kind: string): string[] {
    if (!this.root || !KIND.test(kind)) return [];
    const out: string[] = [];
    for (const group of fs.readdirSync(this.root, { withFileTypes: true })) {
      if (!group.isDirectory() || group.name.startsWith('_')) continue;
      if (/^v\d+$/.test(group.name)) {
        if (this.find(group.name, kind)) out.push(group.name);
        continue;
      }
      for (const version of fs.readdirSync(path.join(this.root, group.name), { withFileTypes: true })) {
        if (version.isDirectory() && /^v\d+$/.test(version.name) && this.find(`${group.name}/${version.name}`, kind)) {
          out.push(`${group.name}/${version.name}`);
        }
      }
    }
    return out.sort();
  }

  private load(apiVersion: string, kind: string): CoreKind | undefined {
    if (!this.root || !KIND.test(kind)) return undefined;
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    if ((group && !GROUP.test(group)) || !VERSION.test(version)) return undefined;
    const file = path.join(this.root, ...(group ? [group] : []), version, `${kind}.js`);
    if (!fs.existsSync(file)) return undefined;
    // kubernetes-models is ESM-only; Node 20.19+ loads it with require() (no top-level await in it).
    const mod = this.req(file) as Record<string, ModelClass>;
    const cls = mod[kind];
    if (!cls || cls.apiVersion !== apiVersion || cls.kind !== kind) return undefined; // a nested type, not a kind
    return {
      apiVersion, kind,
      validate(object: unknown): readonly ErrorObject[] {
        try {
          cls.prototype.validate.call(object);
          return [];
        } catch (e) {
          const errors = (e as { errors?: ErrorObject[] }).errors;
          if (Array.isArray(errors)) return errors;
          throw e;
        }
      },
    };
  }
}
