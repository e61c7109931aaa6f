import { Construct } from 'constructs';
import { z } from 'zod';
import { DataOpsError, ValidationError } from '../../lib/errors';
import { NameRule, validateName } from '../../lib/names';
import { DataPlatform, Environment } from '../../lib/platform';
import { Sharding, ShardBudget } from '../../lib/synthesizer/shards';
import { propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { DurationInput, durationSchema } from '../core/duration';
import { ArgoCdApplication } from './application';
import { ArgoCdApplicationSet } from './application-set';
import { ArgoCdCluster, argoCdClusterSchema } from './argocd-cluster';
import { ArgoCdSyncPolicyOptions, syncPolicySchemaShape } from './argocd-sync-policy';
import { FluxGitRef, FluxGitRepository } from './flux-git-repository';
import { FluxDeletionPolicy, FluxDependency, FluxHealthCheck, FluxKustomization } from './flux-kustomization';
import { enableDeliveryOrdering } from './ordering';
import { ArgoCdProject } from './project';
import { repositoryPathSchema, repoUrlSchema } from './repository';

/** Which GitOps tool reconciles the platform. */
export type GitOpsTool = 'argocd' | 'flux' | 'both';

/** Argo CD options of {@link GitOps}. */
export interface GitOpsArgoCdOptions extends ArgoCdSyncPolicyOptions {
  /** Namespace Argo CD runs in. @default 'argocd' */
  readonly namespace?: string;
  /**
   * One ApplicationSet (Git directory generator over `<path>/manifests/*`) instead of one Application per
   * environment; then one AppProject covers all environments.
   * @default false
   */
  readonly applicationSet?: boolean;
  /**
   * The AppProject of the Applications: the name of an existing project, or `undefined` to generate one per
   * environment (one in total with `applicationSet`) allowing exactly what the environment contains.
   * @default - generated {@link ArgoCdProject}s
   */
  readonly project?: string;
  /** Cluster of every environment not listed in `clusters`. @default - the cluster Argo CD runs in */
  readonly cluster?: ArgoCdCluster;
  /** Clusters by environment name. @default - `cluster` for every environment */
  readonly clusters?: { readonly [environment: string]: ArgoCdCluster };
}

/** Flux options of {@link GitOps}. */
export interface GitOpsFluxOptions {
  /** Namespace Flux runs in. @default 'flux-system' */
  readonly namespace?: string;
  /** The Git reference to follow when `targetRevision` is not enough (a tag, a semver range). @default - from `targetRevision` */
  readonly ref?: FluxGitRef;
  /** Secret (in `namespace`) with the credentials of a private repository. @default - none (a public repository) */
  readonly secretName?: string;
  /** How often Flux fetches the repository. @default '1m' */
  readonly sourceInterval?: DurationInput;
  /** How often each environment is reconciled. @default '10m' */
  readonly interval?: DurationInput;
  /** How soon a failed reconciliation is retried. @default '1m' */
  readonly retryInterval?: DurationInput;
  /** How long applying and waiting for health may take. @default '5m' */
  readonly timeout?: DurationInput;
  /** Wait for every object to be ready. @default - true, unless `healthChecks` are given */
  readonly wait?: boolean;
  /** Only these objects are waited for, by environment name. @default - none (see `wait`) */
  readonly healthChecks?: { readonly [environment: string]: readonly FluxHealthCheck[] };
  /**
   * Kustomizations every environment waits for, typically the operators whose CRDs the manifests use
   * (`'strimzi'`, `'external-secrets'`, or `'namespace/name'`).
   * @default - none
   */
  readonly dependsOn?: readonly FluxDependency[];
  /** Apply as this ServiceAccount instead of the controller's own. @default - the controller's account */
  readonly serviceAccountName?: string;
  /** What happens to the objects when a Kustomization is deleted. @default FluxDeletionPolicy.ORPHAN */
  readonly deletionPolicy?: FluxDeletionPolicy;
}

/** Props of {@link GitOps}. */
export interface GitOpsProps {
  /** URL of the Git repository the output folder is committed to. */
  readonly repoURL: string;
  /** Branch (or full reference, or commit) the clusters follow. @default 'main' */
  readonly targetRevision?: string;
  /** Argo CD, Flux, or both. */
  readonly tool: GitOpsTool;
  /**
   * Path of the output folder in the repository, e.g. 'dist' or 'platform/dist'.
   * @default - the output folder's path below the root of the Git working tree it is in (computed at synthesis)
   */
  readonly path?: string;
  /**
   * Prefix of the bootstrap objects' names: Applications, AppProjects and Kustomizations are named
   * `<name>-<env>`, the ApplicationSet and GitRepository `<name>`.
   * @default 'data-platform'
   */
  readonly name?: string;
  /** The environments to deliver. @default - every environment of the platform */
  readonly environments?: readonly Environment[];
  /**
   * Add the ordering annotations to every object of the environments: Argo CD sync waves by kind
   * ({@link registerSyncWave}), one-shot Jobs as hooks (and Flux force), server-side apply for objects too large
   * for client-side apply.
   * @default true
   */
  readonly ordering?: boolean;
  /**
   * How large one Application (one Flux Kustomization) may grow. An environment over it is split into shards
   * (`manifests/<env>/<shard>/...`, one per top-level construct such as a pipeline), delivered by an ApplicationSet of
   * one Application per shard and one Kustomization per shard; smaller environments keep one Application each.
   * @default - 2,000 objects and 8 MiB of manifests
   */
  readonly shards?: ShardBudget;
  /** Argo CD options. @default - defaults */
  readonly argocd?: GitOpsArgoCdOptions;
  /** Flux options. @default - defaults */
  readonly flux?: GitOpsFluxOptions;
}

const propsSchema = strictPropsSchema<GitOpsProps>()({
  repoURL: repoUrlSchema,
  targetRevision: z.string().min(1).optional(),
  tool: z.enum(['argocd', 'flux', 'both']),
  path: repositoryPathSchema.optional(),
  name: z.string().optional(),
  environments: z.array(z.instanceof(Environment)).optional(),
  ordering: z.boolean().optional(),
  shards: z.object({ maxObjects: z.number().int().positive().optional(), maxBytes: z.number().int().positive().optional() }).strict().optional(),
  argocd: z.object({
    ...syncPolicySchemaShape,
    namespace: z.string().optional(),
    applicationSet: z.boolean().optional(),
    project: z.string().min(1).optional(),
    cluster: argoCdClusterSchema.optional(),
    clusters: z.record(z.string(), argoCdClusterSchema).optional(),
  }).strict().optional(),
  flux: z.object({
    namespace: z.string().optional(),
    ref: z.any().optional(),
    secretName: z.string().optional(),
    sourceInterval: durationSchema.optional(),
    interval: durationSchema.optional(),
    retryInterval: durationSchema.optional(),
    timeout: durationSchema.optional(),
    wait: z.boolean().optional(),
    healthChecks: z.record(z.string(), z.array(z.any())).optional(),
    dependsOn: z.array(z.any()).optional(),
    serviceAccountName: z.string().optional(),
    deletionPolicy: z.enum(FluxDeletionPolicy).optional(),
  }).strict().optional(),
});

/**
 * Makes clusters follow the platform's output in Git, with Argo CD, Flux or both: per environment, the objects
 * that make a cluster reconcile `<path>/manifests/<env>`, written to `bootstrap/` (never into the folder they
 * watch) to be applied once:
 *
 * - Argo CD: an {@link ArgoCdApplication} and a derived {@link ArgoCdProject} per environment in
 *   `bootstrap/argocd/`, or one {@link ArgoCdApplicationSet} and one project (`argocd.applicationSet`);
 * - Flux: a {@link FluxGitRepository} and a {@link FluxKustomization} per environment in `bootstrap/flux/<env>/`.
 *
 * It also orders delivery (see `ordering`). Create it after the environments:
 *
 * ```ts
 * new GitOps(platform, { repoURL: 'https://github.com/acme/data-platform.git', tool: 'argocd' });
 * ```
 */
export class GitOps extends Construct {
  /** The delivered environments. */
  public readonly environments: readonly Environment[];
  /** The GitOps tool(s). */
  public readonly tool: GitOpsTool;
  /** Argo CD Applications by environment name (empty with `applicationSet` or for Flux only). */
  public readonly applications: Readonly<Record<string, ArgoCdApplication>> = {};
  /** The ApplicationSet, with `argocd.applicationSet`. */
  public readonly applicationSet?: ArgoCdApplicationSet;
  /** Generated AppProjects by environment name (with `applicationSet`, the one project under every name). */
  public readonly projects: Readonly<Record<string, ArgoCdProject>> = {};
  /** Flux Kustomizations by environment name. */
  public readonly kustomizations: Readonly<Record<string, FluxKustomization>> = {};
  /** Flux GitRepositories by environment name (the same object, written to each environment's folder). */
  public readonly gitRepositories: Readonly<Record<string, FluxGitRepository>> = {};

  constructor(scope: DataPlatform, props: GitOpsProps);
  constructor(scope: DataPlatform, id: string, props: GitOpsProps);
  constructor(scope: DataPlatform, idOrProps: string | GitOpsProps, maybeProps?: GitOpsProps) {
    const id = typeof idOrProps === 'string' ? idOrProps : 'GitOps';
    const props = (typeof idOrProps === 'string' ? maybeProps : idOrProps) as GitOpsProps;
    super(scope, id);
    if (!(scope instanceof DataPlatform)) {
      throw new ValidationError(this, undefined, 'GitOps is created directly under the DataPlatform (new GitOps(platform, { ... }))');
    }
    const p = validateProps(this, propsSchema, props);
    const name = validateName(this, 'name', props.name ?? 'data-platform', NameRule.DNS_LABEL);
    const envs = props.environments ?? scope.environments;
    if (envs.length === 0) {
      throw new ValidationError(this, 'environments', 'there is no environment to deliver; create the environments before GitOps');
    }
    this.environments = envs;
    this.tool = props.tool;
    const argocd = props.tool === 'argocd' || props.tool === 'both';
    const flux = props.tool === 'flux' || props.tool === 'both';
    const known = new Set(envs.map((e) => e.name));
    for (const [field, byEnv] of [['argocd.clusters', props.argocd?.clusters], ['flux.healthChecks', props.flux?.healthChecks]] as const) {
      for (const env of Object.keys(byEnv ?? {})) {
        if (!known.has(env)) throw new ValidationError(this, `${field}.${env}`, `'${env}' is not a delivered environment (${[...known].join(', ')})`);
      }
    }

    if (props.shards) Sharding.configure(scope, props.shards);
    if (props.ordering ?? true) {
      for (const env of envs) enableDeliveryOrdering(env, { argocd, flux });
    }
    if (props.environments === undefined) {
      // Environments defined after this construct would silently lack their bootstrap objects.
      this.node.addValidation({
        validate: () => scope.environments.filter((e) => !envs.includes(e)).map((e) =>
          `environment '${e.name}' was defined after GitOps and is not delivered; create GitOps after all environments, or list them in 'environments'`),
      });
    }

    const common = { repoURL: props.repoURL, targetRevision: props.targetRevision, path: p.path };
    if (argocd) this.addArgoCd(name, envs, common, props.argocd ?? {});
    if (flux) this.addFlux(name, envs, common, props.flux ?? {});
  }

  /** The Argo CD Application of an environment (not with `applicationSet`). */
  public application(environment: Environment | string): ArgoCdApplication {
    const name = typeof environment === 'string' ? environment : environment.name;
    const app = this.applications[name];
    if (!app) {
      throw new DataOpsError(this.applicationSet
        ? 'with argocd.applicationSet there is no Application per environment; use applicationSet.addNotification or subscribeToDeliveryNotifications'
        : `no Argo CD Application for environment '${name}' (tool '${this.tool}'; Applications: ${Object.keys(this.applications).join(', ') || 'none'})`, { constructPath: this.node.path });
    }
    return app;
  }

  private addArgoCd(name: string, envs: readonly Environment[], common: { repoURL: string; targetRevision?: string; path?: string }, o: GitOpsArgoCdOptions): void {
    const sync: ArgoCdSyncPolicyOptions = { prune: o.prune, selfHeal: o.selfHeal, createNamespace: o.createNamespace, retry: o.retry, syncOptions: o.syncOptions };
    const projectProps = (environments: readonly Environment[]) => ({
      environments, sourceRepos: [common.repoURL], namespace: o.namespace, cluster: o.cluster,
      clusters: o.clusters && Object.fromEntries(Object.entries(o.clusters).filter(([env]) => environments.some((e) => e.name === env))),
      allowNamespaceCreation: o.createNamespace ?? true,
    });
    const projects = this.projects as Record<string, ArgoCdProject>;
    if (o.applicationSet) {
      const project = o.project ?? new ArgoCdProject(this, 'Project', { ...projectProps(envs), name });
      if (typeof project !== 'string') for (const env of envs) projects[env.name] = project;
      (this as { applicationSet?: ArgoCdApplicationSet }).applicationSet = new ArgoCdApplicationSet(this, 'ApplicationSet', {
        ...common, ...sync, environments: envs, project, name, namespace: o.namespace, cluster: o.cluster, clusters: o.clusters,
      });
      return;
    }
    const apps = this.applications as Record<string, ArgoCdApplication>;
    for (const env of envs) {
      const project = o.project ?? new ArgoCdProject(this, `Project-${env.name}`, { ...projectProps([env]), name: `${name}-${env.name}` });
      if (typeof project !== 'string') projects[env.name] = project;
      apps[env.name] = new ArgoCdApplication(this, `Application-${env.name}`, {
        ...common, ...sync, environment: env, project, name: `${name}-${env.name}`, namespace: o.namespace, cluster: o.clusters?.[env.name] ?? o.cluster,
      });
    }
  }

  private addFlux(name: string, envs: readonly Environment[], common: { repoURL: string; targetRevision?: string; path?: string }, o: GitOpsFluxOptions): void {
    const repos = this.gitRepositories as Record<string, FluxGitRepository>;
    const kustomizations = this.kustomizations as Record<string, FluxKustomization>;
    for (const env of envs) {
      const source = new FluxGitRepository(this, `GitRepository-${env.name}`, {
        ...common, name, environment: env, namespace: o.namespace, ref: o.ref, secretName: o.secretName, interval: o.sourceInterval,
      });
      repos[env.name] = source;
      kustomizations[env.name] = new FluxKustomization(this, `Kustomization-${env.name}`, {
        environment: env, source, path: common.path, name: `${name}-${env.name}`, interval: o.interval, retryInterval: o.retryInterval,
        timeout: o.timeout, wait: o.wait, healthChecks: o.healthChecks?.[env.name], dependsOn: o.dependsOn,
        serviceAccountName: o.serviceAccountName, deletionPolicy: o.deletionPolicy,
      });
    }
  }
}
