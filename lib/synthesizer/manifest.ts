/** A Kubernetes object as plain JSON, the unit the synthesizer writes. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** An object produced by synthesis, with where it came from and where it goes. */
export interface SynthesizedObject {
  /** The environment (folder under `manifests/`). */
  readonly environment: string;
  /** Path of the construct that made the object, for error messages. */
  readonly constructPath: string;
  /** File path relative to the output folder, e.g. `manifests/prod/payments/kafkatopic.orders.yaml`. */
  readonly file: string;
  /** The resolved object. */
  readonly object: KubeObject;
}

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → ''). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** A stable identity for an object across versions of its apiVersion: group/kind/namespace/name. */
export function objectKey(o: KubeObject): string {
  return `${apiGroupOf(o.apiVersion)}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}
