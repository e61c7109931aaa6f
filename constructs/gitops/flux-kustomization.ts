import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { NameRule, toKubernetesName, validateName } from '../../lib/names';
import { Environment } from '../../lib/platform';
import { ArtifactContext, Artifacts } from '../../lib/synthesizer/artifacts';
import { KubeObject } from '../../lib/synthesizer/manifest';
import { toYaml } from '../../lib/synthesizer/yaml';
import { propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { DurationInput, durationSchema } from '../core/duration';
import { Kustomization, KustomizationSpecDeletionPolicy, KustomizationSpecSourceRefKind } from '../imports/flux-kustomize.toolkit.fluxcd.io';
import { ENVIRONMENT_LABEL } from './application';
import { BOOTSTRAP_DIR, BOOTSTRAP_LABELS, BootstrapObject, compact, goDuration } from './bootstrap-object';
import { FluxGitRepository } from './flux-git-repository';
import { manifestsPathOf, repositoryPathOf, repositoryPathSchema } from './repository';
import { shardKustomization } from './shards';

/** An object Flux waits for before it reports the Kustomization ready. */
export interface FluxHealthCheck {
  /** @default - any version */
  readonly apiVersion?: string;
  readonly kind: string;
  readonly name: string;
  /** @default - the Kustomization's namespace */
  readonly namespace?: string;
}

/** A Kustomization that must be ready first: one of ours, or `name` / `namespace/name` of one defined elsewhere. */
export type FluxDependency = FluxKustomization | string;

/** What happens to the objects when the Kustomization itself is deleted. */
export enum FluxDeletionPolicy {
  /** Keep the objects running (the platform outlives its bootstrap object). */
  ORPHAN = 'Orphan',
  /** Delete the objects (except those annotated `kustomize.toolkit.fluxcd.io/prune: disabled`) when `prune` is on. */
  MIRROR_PRUNE = 'MirrorPrune',
  /** Delete the objects (except those annotated `kustomize.toolkit.fluxcd.io/prune: disabled`). */
  DELETE = 'Delete',
}

/** Props of {@link FluxKustomization}. */
export interface FluxKustomizationProps {
  /** The environment whose manifests (`<path>/manifests/<env>`) the Kustomization applies. */
  readonly environment: Environment;
  /** The source of the manifests. */
  readonly source: FluxGitRepository;
  /** Path of the output folder in the repository. @default - the output folder's path below the root of its Git working tree */
  readonly path?: string;
  /** Name of the Kustomization. @default - derived from the construct id */
  readonly name?: string;
  /** Namespace Flux runs in. @default - the source's namespace */
  readonly namespace?: string;
  /** How often the cluster is reconciled with Git (drift is corrected at this pace). @default '10m' */
  readonly interval?: DurationInput;
  /** How soon a failed reconciliation is retried. @default '1m' */
  readonly retryInterval?: DurationInput;
  /** How long applying and waiting for health may take. @default '5m' */
  readonly timeout?: DurationInput;
  /** Delete objects removed from Git (objects annotated `kustomize.toolkit.fluxcd.io/prune: disabled` are kept). @default true */
  readonly prune?: boolean;
  /**
   * Wait for every applied object to become ready (kstatus) before reporting ready; Kustomizations that depend on
   * this one start only then. Replaced by `healthChecks` when those are given.
   * @default - true, unless `healthChecks` are given
   */
  readonly wait?: boolean;
  /** Only these objects are waited for. @default - none (see `wait`) */
  readonly healthChecks?: readonly FluxHealthCheck[];
  /**
   * Kustomizations that must be ready first, typically the operators whose CRDs the environment uses (Strimzi,
   * External Secrets) when they are installed by Flux too.
   * @default - none
   */
  readonly dependsOn?: readonly FluxDependency[];
  /** Apply as this ServiceAccount (in `namespace`) instead of the controller's own (multi-tenant clusters). @default - the controller's account */
  readonly serviceAccountName?: string;
  /** What happens to the objects when the Kustomization is deleted. @default FluxDeletionPolicy.ORPHAN */
  readonly deletionPolicy?: FluxDeletionPolicy;
}

const propsSchema = strictPropsSchema<FluxKustomizationProps>()({
  environment: z.instanceof(Environment),
  source: z.instanceof(FluxGitRepository),
  path: repositoryPathSchema.optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  interval: durationSchema.optional(),
  retryInterval: durationSchema.optional(),
  timeout: durationSchema.optional(),
  prune: z.boolean().optional(),
  wait: z.boolean().optional(),
  healthChecks: z.array(z.object({
    apiVersion: z.string().optional(), kind: z.string().min(1), name: z.string().min(1), namespace: z.string().optional(),
  }).strict()).optional(),
  dependsOn: z.array(z.union([z.string().regex(/^([a-z0-9-]+\/)?[a-z0-9][a-z0-9.-]*$/, { message: "must be 'name' or 'namespace/name'" }), z.custom<FluxKustomization>((v) => v instanceof FluxKustomization)])).optional(),
  serviceAccountName: z.string().optional(),
  deletionPolicy: z.enum(FluxDeletionPolicy).optional(),
});

/**
 * A Flux `Kustomization` (kustomize.toolkit.fluxcd.io/v1) that applies one environment's manifests from a
 * {@link FluxGitRepository}: prune on (objects annotated `prune: disabled` are kept), waiting for the objects'
 * health, retried, ordered after the Kustomizations it depends on. The folder has no kustomization.yaml;
 * kustomize-controller generates one over every file in it, and applies CRDs and Namespaces before the rest.
 *
 * Ordering with Flux: inside an environment, kustomize-controller's staged apply (CRDs and Namespaces first, then
 * everything) and its retries do what Argo CD's waves do; `dependsOn` orders the environment after what lives
 * outside its folder, such as the operators whose CRDs it uses. The folder is deliberately not split into an
 * `<env>-prerequisites` Kustomization: a Kustomization cannot leave out a subfolder, so two Kustomizations would
 * own (and fight over, and prune) the same `_cluster/` objects.
 *
 * Written to `bootstrap/flux/<env>/kustomization.<name>.yaml` (apply the folder to the environment's cluster).
 */
export class FluxKustomization extends BootstrapObject {
  /** The Kustomization name. */
  public readonly kustomizationName: string;
  /** The namespace Flux runs in. */
  public readonly namespace: string;
  /** The environment it applies. */
  public readonly environment: Environment;

  private readonly props: z.output<typeof propsSchema>;
  private readonly dependencies: FluxDependency[] = [];

  constructor(scope: Construct, id: string, props: FluxKustomizationProps) {
    const name = props.name ?? toKubernetesName(id);
    super(scope, id, `${BOOTSTRAP_DIR}/flux/${props.environment.name}/kustomization.${name}.yaml`);
    this.props = validateProps(this, propsSchema, props);
    this.kustomizationName = validateName(this, 'name', name, NameRule.DNS_SUBDOMAIN);
    this.namespace = validateName(this, 'namespace', props.namespace ?? props.source.namespace, NameRule.DNS_LABEL);
    this.environment = props.environment;
    if (props.wait === true && props.healthChecks && props.healthChecks.length > 0) {
      throw new ValidationError(this, 'wait', "Flux ignores 'healthChecks' when 'wait' is true; give one or the other");
    }
    if (props.serviceAccountName !== undefined) validateName(this, 'serviceAccountName', props.serviceAccountName);
    for (const d of props.dependsOn ?? []) this.addDependency(d);
    // A sharded environment gets one Kustomization per shard in place of this one.
    Artifacts.addFolder(this, {
      dir: `${BOOTSTRAP_DIR}/flux/${props.environment.name}`,
      render: (context) => {
        const shards = context.shardsOf(this.environment) ?? [];
        const base = shards.length > 0 ? this.toManifest(context) : undefined;
        return new Map(shards.map((shard) => [`kustomization.${name}-${shard}.yaml`, toYaml(shardKustomization(base!, shard))]));
      },
    });
  }

  protected isWritten(context: ArtifactContext): boolean {
    return context.shardsOf(this.environment) === undefined;
  }

  /** Makes this Kustomization wait until `dependency` is ready. */
  public addDependency(dependency: FluxDependency): void {
    if (dependency === this) throw new ValidationError(this, 'dependsOn', 'a Kustomization cannot depend on itself');
    this.dependencies.push(dependency);
  }

  public toManifest(context: ArtifactContext): KubeObject {
    const outputPath = this.props.path ?? repositoryPathOf(context.outdir);
    const healthChecks = this.props.healthChecks ?? [];
    const dependsOn = this.dependencies.map((d) => {
      if (d instanceof FluxKustomization) return compact({ name: d.kustomizationName, namespace: d.namespace === this.namespace ? undefined : d.namespace });
      const [a, b] = d.split('/');
      return b === undefined ? { name: a } : { name: b, namespace: a };
    });
    return Kustomization.manifest({
      metadata: {
        name: this.kustomizationName,
        namespace: this.namespace,
        labels: { ...BOOTSTRAP_LABELS, [ENVIRONMENT_LABEL]: this.environment.name },
      },
      spec: {
        interval: goDuration(this.props.interval ?? 600_000),
        retryInterval: goDuration(this.props.retryInterval ?? 60_000),
        timeout: goDuration(this.props.timeout ?? 300_000),
        sourceRef: compact({
          kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY,
          name: this.props.source.repositoryName,
          namespace: this.props.source.namespace === this.namespace ? undefined : this.props.source.namespace,
        }),
        path: `./${manifestsPathOf(outputPath, this.environment.name)}`,
        prune: this.props.prune ?? true,
        wait: healthChecks.length > 0 ? undefined : (this.props.wait ?? true),
        healthChecks: healthChecks.length > 0 ? healthChecks.map((h) => ({ ...h })) : undefined,
        dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
        serviceAccountName: this.props.serviceAccountName,
        deletionPolicy: (this.props.deletionPolicy ?? FluxDeletionPolicy.ORPHAN) as unknown as KustomizationSpecDeletionPolicy,
      },
    }) as KubeObject;
  }
}
