import { looksLikeObject, type DistFile } from '../../../lib/schema/dist-files';
import { KubeApi } from '../../../lib/schema/server/kube-api';

/**
 * Creates the namespaces the files' objects live in that the files do not create themselves: on a real cluster
 * they exist before Argo CD or Flux applies an environment (the platform team's namespaces, the operators'
 * namespaces; Argo CD's `CreateNamespace=true` creates only the Application's destination namespace, Flux creates
 * none). Returns their names.
 */
export async function createReferencedNamespaces(api: KubeApi, files: readonly DistFile[]): Promise<string[]> {
  const used = new Set<string>();
  const created = new Set<string>();
  for (const f of files) {
    for (const doc of f.documents ?? []) {
      if (!looksLikeObject(doc)) continue;
      const meta = (doc.metadata ?? {}) as { name?: string; namespace?: string };
      if (doc.kind === 'Namespace' && doc.apiVersion === 'v1' && meta.name) created.add(meta.name);
      if (meta.namespace) used.add(meta.namespace);
    }
  }
  const names = [...used].filter((n) => !created.has(n)).sort();
  for (const name of names) {
    const r = await api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { fieldManager: 'cluster-admin' });
    if (!r.ok) throw new Error(`namespace ${name}: ${r.message}`);
  }
  return names;
}

/** `group/Kind` of every object of the files (`apps/Deployment`, `/ConfigMap`), for `startControlPlane({ onlyKinds })`. */
export function kindsOf(files: readonly DistFile[]): Set<string> {
  const kinds = new Set<string>();
  for (const f of files) {
    for (const doc of f.documents ?? []) {
      if (looksLikeObject(doc)) kinds.add(`${doc.apiVersion.includes('/') ? doc.apiVersion.split('/')[0] : ''}/${doc.kind}`);
    }
  }
  return kinds;
}
