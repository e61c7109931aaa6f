import { refOf } from '../consumers/argocd';
import { DistFile, looksLikeObject } from '../dist-files';
import { ObjectRef } from '../problem';
import { ApiObject, ApplyResult, KubeApi } from './kube-api';

/** Options of {@link applyFiles}. */
export interface ApplyFilesOptions {
  /** The field manager of every apply. @default 'cdk8s-dataops' */
  readonly fieldManager?: string;
  /** Only a server-side dry run (`dryRun=All`): nothing is stored. @default true */
  readonly dryRun?: boolean;
  /** Applies in flight at the same time. @default 8 */
  readonly concurrency?: number;
}

/** What the server did with one object of one file. */
export interface ObjectOutcome {
  /** The file, relative to the output folder, with '/' separators. */
  readonly file: string;
  readonly object: ObjectRef;
  /**
   * `accepted`; `rejected` (the message says why); `not-checked` (a dry run of an object in a namespace that does not
   * exist on the cluster: the server cannot validate it without storing the namespace).
   */
  readonly outcome: 'accepted' | 'rejected' | 'not-checked';
  /** The server's message (rejected, not-checked). */
  readonly message?: string;
  /** The object as the server returned it (accepted). */
  readonly live?: ApplyResult['object'];
  /** The object as it is in the file. */
  readonly desired: ApiObject;
}

/**
 * Server-side applies every Kubernetes object of the files (a `manifests/<env>` folder as Argo CD or Flux applies
 * it) with strict field validation, in two stages as both do: cluster definitions (CustomResourceDefinitions,
 * Namespaces, ClusterRoles) first, then the rest. By default a dry run (`dryRun=All`): the server runs defaulting,
 * validation and admission and stores nothing, so it is safe against a real cluster.
 */
export async function applyFiles(api: KubeApi, files: readonly DistFile[], options: ApplyFilesOptions = {}): Promise<ObjectOutcome[]> {
  const dryRun = options.dryRun ?? true;
  const objects: Array<{ file: string; index: number; doc: ApiObject }> = [];
  for (const f of files) {
    (f.documents ?? []).forEach((doc, index) => {
      if (looksLikeObject(doc) && doc.metadata && typeof doc.metadata.name === 'string') objects.push({ file: f.path, index, doc: doc as ApiObject });
    });
  }
  const first = objects.filter((o) => isClusterDefinition(o.doc));
  const rest = objects.filter((o) => !isClusterDefinition(o.doc));
  const outcomes = new Map<(typeof objects)[number], ObjectOutcome>();
  for (const stage of [first, rest]) {
    await inParallel(stage, options.concurrency ?? 8, async (o) => {
      const result = await api.apply(o.doc, { fieldManager: options.fieldManager ?? 'cdk8s-dataops', dryRun });
      outcomes.set(o, outcomeOf(o.file, refOf(o.doc, o.index), o.doc, result, dryRun));
    });
    if (stage === first && first.some((o) => o.doc.kind === 'CustomResourceDefinition')) api.refresh();
  }
  return objects.map((o) => outcomes.get(o)!);
}

function outcomeOf(file: string, object: ObjectRef, desired: ApiObject, result: ApplyResult, dryRun: boolean): ObjectOutcome {
  if (result.ok) return { file, object, outcome: 'accepted', live: result.object, desired };
  const missingNamespace = result.status === 404 && /namespaces? "[^"]+" not found/.test(result.message ?? '');
  if (dryRun && missingNamespace) {
    return { file, object, outcome: 'not-checked', message: `${result.message} on the cluster: a dry run cannot check objects in it`, desired };
  }
  return { file, object, outcome: 'rejected', message: result.message, desired };
}

/** What Flux (fluxcd/pkg/ssa `IsClusterDefinition`) and Argo CD apply before everything else. */
function isClusterDefinition(o: ApiObject): boolean {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return (o.kind === 'CustomResourceDefinition' && group === 'apiextensions.k8s.io') ||
    (o.kind === 'Namespace' && group === '') ||
    (o.kind === 'ClusterRole' && group === 'rbac.authorization.k8s.io');
}

async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
