import { KubeObject } from '../../../lib/synthesizer/manifest';

/** Kinds that carry a pod template. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'] as const;

/** A container as the rules read it. */
export interface ContainerSpec {
  readonly name: string;
  readonly image?: string;
  readonly env?: readonly { readonly name: string; readonly value?: unknown; readonly valueFrom?: unknown }[];
  readonly securityContext?: Record<string, any>;
  readonly resources?: { readonly requests?: Record<string, unknown>; readonly limits?: Record<string, unknown> };
}

/** The pod spec of a workload object and the path to it (`spec.template.spec`). */
export function podSpecOf(o: KubeObject): { spec: Record<string, any>; path: string } | undefined {
  const s = o.spec as Record<string, any> | undefined;
  if (!s) return undefined;
  if (o.kind === 'Pod') return { spec: s, path: 'spec' };
  if (o.kind === 'CronJob') return s.jobTemplate?.spec?.template?.spec ? { spec: s.jobTemplate.spec.template.spec, path: 'spec.jobTemplate.spec.template.spec' } : undefined;
  return s.template?.spec ? { spec: s.template.spec, path: 'spec.template.spec' } : undefined;
}

/** The pod template's labels of a workload object. */
export function podLabelsOf(o: KubeObject): Record<string, string> {
  const s = o.spec as Record<string, any> | undefined;
  if (o.kind === 'Pod') return o.metadata.labels ?? {};
  if (o.kind === 'CronJob') return s?.jobTemplate?.spec?.template?.metadata?.labels ?? {};
  return s?.template?.metadata?.labels ?? {};
}

/** Containers and init containers with the field path of each. */
export function containersOf(o: KubeObject): { container: ContainerSpec; path: string }[] {
  const pod = podSpecOf(o);
  if (!pod) return [];
  const out: { container: ContainerSpec; path: string }[] = [];
  for (const list of ['initContainers', 'containers']) {
    for (const c of (pod.spec[list] ?? []) as ContainerSpec[]) out.push({ container: c, path: `${pod.path}.${list}[name=${c.name}]` });
  }
  return out;
}
