import { ApiObject, Chart, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { objectName } from '../../lib/names';
import { Environment } from '../../lib/platform';
import { instanceOf, propsSchema, validateProps } from '../../lib/validation';
import { SecretValue } from '../secrets/reference';
import { ContainerSpec, containerSpecSchema, EnvValue, toKplusProbe } from './container';
import { IPodSelector, NetworkPeer, networkPeerRef, NetworkPolicy, NetworkPort, NetworkRule, networkRulesSchema } from './network-policy';
import { toKplusResources, withDefaultResources } from './resources';
import { ServiceAccount } from './service-account';
import { Volume, writableVolumeName } from './volumes';
import { Policies } from '../../lib/policy/policies';
import { K8S_SAFETY_PACK } from './rules/safety-pack';

/** Pod-level security settings. The pod always runs with `runAsNonRoot` and the RuntimeDefault seccomp profile. */
export interface PodSecurityProps {
  /** UID of every container unless a container sets its own. @default - the image's USER */
  readonly user?: number;
  /** GID of every container. @default - the image's group */
  readonly group?: number;
  /** Group that owns mounted volumes. @default - not set */
  readonly fsGroup?: number;
}

/** Props shared by every workload (Deployment, Job, CronJob). */
export interface WorkloadProps {
  /** Object name. @default - derived from the construct id */
  readonly name?: string;
  /** The containers (at least one). */
  readonly containers: readonly ContainerSpec[];
  /** Containers that run to completion, in order, before the main containers start. @default - none */
  readonly initContainers?: readonly ContainerSpec[];
  /** Volumes besides the emptyDirs created for `writableDirs`. @default - none */
  readonly volumes?: readonly Volume[];
  /**
   * Labels that identify the pods (the Deployment selector, the NetworkPolicy and Service selector).
   * They must never change once deployed (a Deployment's selector is immutable).
   * @default { 'app.kubernetes.io/name': <name> }
   */
  readonly selectorLabels?: Readonly<Record<string, string>>;
  /** Labels of the object itself. @default - none (the environment's labels apply) */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations of the object itself. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Extra labels of the pods. @default - none */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Annotations of the pods (a change rolls the pods of a Deployment). @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** Service account of the pods. @default - the namespace's default service account (without a token) */
  readonly serviceAccount?: ServiceAccount;
  /**
   * Mount a service account token into the pods. Only pods that call the Kubernetes API need it.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /** Pod security context. @default - runAsNonRoot, seccomp RuntimeDefault */
  readonly securityContext?: PodSecurityProps;
  /** Seconds the pods get to stop after SIGTERM. @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Emit a default-deny NetworkPolicy for the pods (named like the workload) with DNS and the allowances
   * below. Turn off only when the namespace is governed by other policies.
   * @default true
   */
  readonly networkPolicy?: boolean;
  /** DNS peer allowed by the NetworkPolicy; `false` for none. @default NetworkPeer.kubeDns() */
  readonly dns?: NetworkPeer | false;
  /** Egress allowances. @default - DNS only */
  readonly egress?: readonly NetworkRule[];
  /** Ingress allowances. @default - none */
  readonly ingress?: readonly NetworkRule[];
}

const labelsSchema = z.record(
  z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, 'is not a valid label key'),
  z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, 'is not a valid label value (at most 63 letters, digits, - _ .)'),
);

/** zod shape of {@link WorkloadProps}; subclasses spread it into their own {@link propsSchema}. */
export const workloadPropsShape = {
  name: z.string().optional(),
  containers: z.array(containerSpecSchema).min(1, 'at least one container is required'),
  initContainers: z.array(containerSpecSchema).optional(),
  volumes: z.array(instanceOf(Volume, 'Volume')).optional(),
  selectorLabels: labelsSchema.refine((l) => Object.keys(l).length > 0, 'at least one label is required').optional(),
  labels: labelsSchema.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  podLabels: labelsSchema.optional(),
  podAnnotations: z.record(z.string(), z.string()).optional(),
  serviceAccount: z.instanceof(ServiceAccount).optional(),
  automountServiceAccountToken: z.boolean().optional(),
  securityContext: propsSchema<PodSecurityProps>()({
    user: z.number().int().min(1, 'must not be 0 (root)').optional(),
    group: z.number().int().min(0).optional(),
    fsGroup: z.number().int().min(0).optional(),
  }).optional(),
  terminationGracePeriodSeconds: z.number().int().min(0).optional(),
  networkPolicy: z.boolean().optional(),
  dns: z.union([networkPeerRef, z.literal(false)]).optional(),
  egress: networkRulesSchema.optional(),
  ingress: networkRulesSchema.optional(),
};

/** zod schema of {@link WorkloadProps}. */
export const workloadPropsSchema = propsSchema<WorkloadProps>()(workloadPropsShape);

const ADDRESS_LABEL = 'cdk8s.io/metadata.addr';

/**
 * The common part of {@link Deployment}, {@link Job} and {@link CronJob}: turns validated props into a
 * cdk8s-plus-27 pod with secure defaults and stable names, and owns the workload's NetworkPolicy.
 * This (with its subclasses) is the only code that knows about cdk8s-plus-27 workloads.
 */
export abstract class Workload extends Construct implements IPodSelector {
  /** Name of the object. */
  public readonly name: string;
  /** Namespace of the pods. */
  public readonly namespace: string;
  /** Labels that select the pods. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** The default-deny NetworkPolicy of the pods (undefined when `networkPolicy: false`). */
  public readonly networkPolicy?: NetworkPolicy;

  private readonly volumes = new Map<string, { readonly spec: Volume; readonly kplus: kplus.Volume }>();
  private readonly secrets = new Map<string, kplus.ISecret>();

  /**
   * Validates `props` with `schema` (the subclass's schema, an extension of `workloadPropsSchema`) before
   * anything is built, so a bad value fails naming this construct and the field.
   */
  protected constructor(scope: Construct, id: string, props: WorkloadProps, schema: z.ZodType = workloadPropsSchema) {
    super(scope, id);
    Policies.require(this, K8S_SAFETY_PACK);
    validateProps(this, schema, props);
    this.name = objectName(this, props.name);
    this.namespace = Environment.tryOf(this)?.namespace ?? Chart.of(this).namespace ?? 'default';
    this.selectorLabels = { ...(props.selectorLabels ?? { 'app.kubernetes.io/name': this.name.slice(0, 63).replace(/[-.]+$/, '') }) };
    if (props.networkPolicy !== false) {
      this.networkPolicy = new NetworkPolicy(this, 'NetworkPolicy', {
        name: this.name, selectorLabels: this.selectorLabels, dns: props.dns, egress: props.egress, ingress: props.ingress,
      });
    }
  }

  /** Allows the pods to connect to `peer` (on `ports`, default all). */
  public allowEgressTo(peer: NetworkPeer, ports?: readonly NetworkPort[]): void {
    this.requireNetworkPolicy('allowEgressTo').allowEgress(peer, ports);
  }

  /** Allows `peer` to connect to the pods (on `ports`, default all). */
  public allowIngressFrom(peer: NetworkPeer, ports?: readonly NetworkPort[]): void {
    this.requireNetworkPolicy('allowIngressFrom').allowIngress(peer, ports);
  }

  /** The pods of this workload as a network peer. */
  public asPeer(): NetworkPeer {
    return NetworkPeer.workload(this);
  }

  /** Pod props for cdk8s-plus-27, from validated props. */
  protected kplusPodProps(props: WorkloadProps): kplus.WorkloadProps {
    for (const [i, v] of (props.volumes ?? []).entries()) {
      v.validate(this, `volumes[${i}]`);
      if (this.volumes.has(v.name)) throw new ValidationError(this, `volumes[${i}]`, `two volumes are named '${v.name}'`);
      this.volumes.set(v.name, { spec: v, kplus: v.toKplus(this, `Volume-${v.name}`) });
    }
    const containers = props.containers.map((c, i) => this.kplusContainer(c, `containers[${i}]`));
    const initContainers = (props.initContainers ?? []).map((c, i) => this.kplusContainer(c, `initContainers[${i}]`));
    const names = [...props.containers, ...(props.initContainers ?? [])].map((c) => c.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new ValidationError(this, 'containers', `two containers are named '${dup}'`);
    return {
      metadata: { name: this.name, labels: props.labels ? { ...props.labels } : undefined, annotations: props.annotations ? { ...props.annotations } : undefined },
      podMetadata: {
        labels: { ...this.selectorLabels, ...props.podLabels },
        annotations: props.podAnnotations ? { ...props.podAnnotations } : undefined,
      },
      select: false,
      containers,
      initContainers,
      volumes: [...this.volumes.values()].map((v) => v.kplus),
      serviceAccount: props.serviceAccount?.toKplus(),
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      securityContext: {
        ensureNonRoot: true,
        user: props.securityContext?.user,
        group: props.securityContext?.group,
        fsGroup: props.securityContext?.fsGroup,
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
      },
      terminationGracePeriod: Duration.seconds(props.terminationGracePeriodSeconds ?? 30),
    };
  }

  /**
   * Final touches on the emitted object that cdk8s-plus-27 cannot express: no per-path hash label on the pods
   * (names and labels stay stable when a construct moves) and the RuntimeDefault seccomp profile.
   * @param templatePath JSON pointer of the pod template, e.g. '/spec/template'
   */
  protected finalizePodTemplate(resource: Construct, templatePath: string): void {
    const obj = ApiObject.of(resource);
    obj.addJsonPatch(
      JsonPatch.remove(`${templatePath}/metadata/labels/${ADDRESS_LABEL.replace(/\//g, '~1')}`),
      JsonPatch.add(`${templatePath}/spec/securityContext/seccompProfile`, { type: 'RuntimeDefault' }),
    );
  }

  private kplusContainer(c: ContainerSpec, field: string): kplus.ContainerProps {
    const mounts: kplus.VolumeMount[] = [];
    for (const [i, m] of (c.mounts ?? []).entries()) {
      const v = this.volumes.get(m.volume);
      if (!v) {
        throw new ValidationError(this, `${field}.mounts[${i}].volume`, `no volume named '${m.volume}'; volumes: ${[...this.volumes.keys()].join(', ') || 'none'}`);
      }
      mounts.push({ volume: v.kplus, path: m.path, readOnly: m.readOnly ?? !v.spec.writable, subPath: m.subPath });
    }
    for (const dir of c.writableDirs ?? ['/tmp']) {
      const name = writableVolumeName(dir);
      let v = this.volumes.get(name);
      if (!v) {
        const spec = Volume.emptyDir(name);
        v = { spec, kplus: spec.toKplus(this, `Volume-${name}`) };
        this.volumes.set(name, v);
      } else if (!v.spec.writable) {
        throw new ValidationError(this, `${field}.writableDirs`, `'${dir}' needs an emptyDir volume named '${name}', but that volume is not an emptyDir`);
      }
      mounts.push({ volume: v.kplus, path: dir, readOnly: false });
    }
    const paths = mounts.map((m) => m.path);
    const dupPath = paths.find((p, i) => paths.indexOf(p) !== i);
    if (dupPath) throw new ValidationError(this, `${field}.mounts`, `two volumes are mounted at '${dupPath}'`);

    return {
      name: c.name,
      image: c.image,
      command: c.command ? [...c.command] : undefined,
      args: c.args ? [...c.args] : undefined,
      workingDir: c.workingDir,
      envVariables: this.kplusEnv(c.env ?? {}),
      ports: c.ports?.map((p) => ({ name: p.name, number: p.port, protocol: p.protocol === 'UDP' ? kplus.Protocol.UDP : kplus.Protocol.TCP })),
      resources: toKplusResources(withDefaultResources(c.resources)),
      readiness: c.readinessProbe ? toKplusProbe(c.readinessProbe) : undefined,
      liveness: c.livenessProbe ? toKplusProbe(c.livenessProbe) : undefined,
      startup: c.startupProbe ? toKplusProbe(c.startupProbe) : undefined,
      volumeMounts: mounts,
      imagePullPolicy: (c.imagePullPolicy ?? 'IfNotPresent') as kplus.ImagePullPolicy,
      securityContext: {
        ensureNonRoot: true,
        privileged: false,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        // cdk8s-plus-27's Capability enum has no ALL (and prefixes names with CAP_); Kubernetes expects 'ALL'.
        capabilities: { drop: ['ALL' as kplus.Capability] },
        user: c.user,
        group: c.group,
      },
    };
  }

  private kplusEnv(env: Readonly<Record<string, EnvValue>>): Record<string, kplus.EnvValue> {
    const out: Record<string, kplus.EnvValue> = {};
    for (const [name, value] of Object.entries(env)) {
      if (typeof value === 'string') out[name] = kplus.EnvValue.fromValue(value);
      else if (SecretValue.isSecretValue(value)) out[name] = kplus.EnvValue.fromSecretValue({ secret: this.kplusSecret(value.secretName), key: value.key });
      else out[name] = kplus.EnvValue.fromFieldRef(value.fieldPath as kplus.EnvFieldPaths);
    }
    return out;
  }

  private kplusSecret(name: string): kplus.ISecret {
    let s = this.secrets.get(name);
    if (!s) {
      s = kplus.Secret.fromSecretName(this, `Secret-${name}`, name);
      this.secrets.set(name, s);
    }
    return s;
  }

  private requireNetworkPolicy(method: string): NetworkPolicy {
    if (!this.networkPolicy) throw new ValidationError(this, 'networkPolicy', `${method}() needs the workload's NetworkPolicy, but it was turned off (networkPolicy: false)`);
    return this.networkPolicy;
  }
}
