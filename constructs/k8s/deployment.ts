import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { z } from 'zod';
import { Environment } from '../../lib/platform';
import { Service, ServicePortSpec } from './service';
import { propsSchema } from '../../lib/validation';
import { WorkloadProps, workloadPropsShape, Workload } from './workload';

/** How a Deployment replaces its pods. */
export interface DeploymentStrategySpec {
  /** 'RollingUpdate' (default) or 'Recreate' (all old pods stop before new ones start). @default 'RollingUpdate' */
  readonly type?: 'RollingUpdate' | 'Recreate';
  /** Extra pods during a rolling update (number or percentage). @default '25%' */
  readonly maxSurge?: number | string;
  /** Pods that may be unavailable during a rolling update (number or percentage). @default '25%' */
  readonly maxUnavailable?: number | string;
}

/** Props of {@link Deployment}. */
export interface DeploymentProps extends WorkloadProps {
  /** Number of pods. @default - 2 in production environments, 1 elsewhere */
  readonly replicas?: number;
  /** Update strategy. @default - rolling update, 25% surge / 25% unavailable */
  readonly strategy?: DeploymentStrategySpec;
  /** Seconds a new pod must be ready before it counts as available. @default 0 */
  readonly minReadySeconds?: number;
}

const percentOrNumber = z.union([z.number().int().min(0), z.string().regex(/^[0-9]{1,3}%$/, "use a number or a percentage such as '25%'")]);
const schema = propsSchema<DeploymentProps>()({
  ...workloadPropsShape,
  replicas: z.number().int().min(0).optional(),
  strategy: propsSchema<DeploymentStrategySpec>()({
    type: z.enum(['RollingUpdate', 'Recreate']).optional(),
    maxSurge: percentOrNumber.optional(),
    maxUnavailable: percentOrNumber.optional(),
  }).optional(),
  minReadySeconds: z.number().int().min(0).max(599).optional(),
});

/**
 * A Deployment with secure defaults: non-root, read-only root filesystem with emptyDir scratch space, all
 * capabilities dropped, no privilege escalation, RuntimeDefault seccomp, resource requests and limits, no
 * service account token, and a default-deny NetworkPolicy with explicit allowances.
 *
 * ```ts
 * const app = new Deployment(this, 'OrdersEnricher', {
 *   containers: [{ name: 'app', image: 'ghcr.io/acme/enricher:1.4.2', env: { PASSWORD: creds.envValue('password') } }],
 *   egress: [{ peer: NetworkPeer.namespace('kafka'), ports: [NetworkPort.tcp(9093)] }],
 * });
 * ```
 */
export class Deployment extends Workload {
  /** Number of pods. */
  public readonly replicas: number;

  constructor(scope: Construct, id: string, props: DeploymentProps) {
    super(scope, id, props, schema);
    const p = props;
    this.replicas = p.replicas ?? (Environment.of(this).production ? 2 : 1);
    const s = p.strategy;
    const pct = (v: number | string) => (typeof v === 'number' ? kplus.PercentOrAbsolute.absolute(v) : kplus.PercentOrAbsolute.percent(Number(v.slice(0, -1))));
    const resource = new kplus.Deployment(this, 'Resource', {
      ...this.kplusPodProps(p),
      replicas: this.replicas,
      minReady: Duration.seconds(p.minReadySeconds ?? 0),
      strategy: s?.type === 'Recreate'
        ? kplus.DeploymentStrategy.recreate()
        : kplus.DeploymentStrategy.rollingUpdate({
          maxSurge: s?.maxSurge !== undefined ? pct(s.maxSurge) : undefined,
          maxUnavailable: s?.maxUnavailable !== undefined ? pct(s.maxUnavailable) : undefined,
        }),
    });
    resource.select(kplus.LabelSelector.of({ labels: { ...this.selectorLabels } }));
    this.finalizePodTemplate(resource, '/spec/template');
  }

  /**
   * A ClusterIP Service for these pods, named like the Deployment unless `name` is given.
   * Remember to allow ingress from the clients (`allowIngressFrom`).
   */
  public expose(ports: readonly ServicePortSpec[], options: { readonly id?: string; readonly name?: string } = {}): Service {
    return new Service(this, options.id ?? 'Service', { name: options.name ?? this.name, selectorLabels: this.selectorLabels, ports });
  }
}
