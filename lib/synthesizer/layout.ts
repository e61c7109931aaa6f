import { KubeObject } from './manifest';

/** Folder (under the output folder) that holds the Kubernetes objects Argo CD and Flux read. */
export const MANIFESTS_DIR = 'manifests';
/** Folder name used for cluster-scoped objects inside an environment. */
export const CLUSTER_DIR = '_cluster';

/**
 * Where an object is written: `manifests/<env>/<namespace or _cluster>/<kind>.<name>.yaml`.
 * The path depends only on the object's identity, so moving a construct never renames its file.
 */
export function manifestPath(environment: string, o: KubeObject): string {
  const ns = o.metadata.namespace ?? CLUSTER_DIR;
  return `${MANIFESTS_DIR}/${environment}/${ns}/${o.kind.toLowerCase()}.${o.metadata.name}.yaml`;
}
