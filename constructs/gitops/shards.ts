import { KubeObject } from '../../lib/synthesizer/manifest';

/** Label with the shard name on the Applications and Kustomizations of a sharded environment. */
export const SHARD_LABEL = 'dataops.cdk8s.io/shard';

/**
 * The ApplicationSet that replaces an environment's Application when the environment is sharded (see `Sharding`): a Git
 * directory generator over `<path>/manifests/<env>/*` makes one Application per shard folder, named
 * `<application>-<shard>`, with everything else of the Application as it is (project, destination, sync policy,
 * notifications). Shards that appear or go away in Git are picked up without a change to this object; the Applications
 * have no resources finalizer, and `preserveResourcesOnDeletion` keeps it that way.
 *
 * `application` is the environment's Application as it would be written (`argoproj.io/v1alpha1` Application).
 */
export function shardApplicationSet(application: KubeObject): KubeObject {
  const { name, namespace, labels, annotations } = application.metadata;
  const spec = application.spec as { source: { repoURL: string; targetRevision: string; path: string } & Record<string, unknown> } & Record<string, unknown>;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name, namespace, labels },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ git: { repoURL: spec.source.repoURL, revision: spec.source.targetRevision, directories: [{ path: `${spec.source.path}/*` }] } }],
      template: {
        metadata: {
          name: `${name}-{{.path.basename}}`,
          labels: { ...labels, [SHARD_LABEL]: '{{.path.basename}}' },
          ...(annotations ? { annotations } : {}),
        },
        spec: { ...spec, source: { ...spec.source, path: '{{.path.path}}' } },
      },
      syncPolicy: { preserveResourcesOnDeletion: true },
    },
  };
}

/**
 * The Kustomization of one shard of a sharded environment: the environment's Kustomization with its name suffixed by
 * the shard and its path narrowed to the shard's folder.
 */
export function shardKustomization(kustomization: KubeObject, shard: string): KubeObject {
  const spec = kustomization.spec as { path: string } & Record<string, unknown>;
  return {
    ...kustomization,
    metadata: { ...kustomization.metadata, name: `${kustomization.metadata.name}-${shard}`, labels: { ...kustomization.metadata.labels, [SHARD_LABEL]: shard } },
    spec: { ...spec, path: `${spec.path}/${shard}` },
  };
}
