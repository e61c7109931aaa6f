import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { z } from 'zod';
import { propsSchema } from '../../lib/validation';
import { Workload, WorkloadProps, workloadPropsShape } from './workload';

/** Props of `renderPodManifest`: a pod, without the NetworkPolicy (which is the owner's business). */
export interface PodManifestProps extends Omit<WorkloadProps, 'networkPolicy' | 'dns' | 'egress' | 'ingress'> {
  /** Namespace written into the manifest. */
  readonly namespace: string;
  /** @default 'Never' */
  readonly restartPolicy?: 'Never' | 'OnFailure' | 'Always';
}

const { dns: _dns, egress: _egress, ingress: _ingress, ...podShape } = workloadPropsShape;
// `networkPolicy` is not a prop: PodWorkload sets it to false (the owner emits the NetworkPolicy).
const schema = propsSchema<PodManifestProps & { readonly networkPolicy?: boolean }>()({
  ...podShape,
  namespace: z.string().min(1),
  restartPolicy: z.enum(['Never', 'OnFailure', 'Always']).optional(),
});

class PodWorkload extends Workload {
  public readonly resource: kplus.Pod;
  constructor(scope: Construct, id: string, props: PodManifestProps) {
    super(scope, id, { ...props, networkPolicy: false }, schema);
    const { podMetadata, select: _select, ...pod } = this.kplusPodProps(props);
    this.resource = new kplus.Pod(this, 'Resource', {
      ...pod,
      metadata: { ...pod.metadata, labels: { ...pod.metadata?.labels, ...podMetadata?.labels }, annotations: podMetadata?.annotations },
      restartPolicy: (props.restartPolicy ?? 'Never') as kplus.RestartPolicy,
    });
    this.finalizePodTemplate(this.resource, '');
  }
}

/**
 * A Pod manifest with the secure defaults of every workload (non-root, read-only root filesystem, no
 * capabilities, seccomp, resources, no token), rendered as plain JSON and NOT emitted as an object: for files
 * such as Airflow's `pod_template_file` that other software turns into pods. Validation errors name `owner`.
 */
export function renderPodManifest(owner: Construct, props: PodManifestProps): Record<string, unknown> {
  const chart = new Chart(new App(), 'PodTemplate', { namespace: props.namespace, disableResourceNameHashes: true });
  // Build under a construct that carries the owner's path, so errors point at the owner.
  const scope = new Construct(chart, owner.node.path.replace(/\//g, '--') || 'Root');
  const pod = new PodWorkload(scope, owner.node.id, props);
  return ApiObject.of(pod.resource).toJson() as Record<string, unknown>;
}
