import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { NameRule, toKubernetesName, validateName } from '../../lib/names';
import { Environment } from '../../lib/platform';
import { ArtifactContext } from '../../lib/synthesizer/artifacts';
import { apiGroupOf, KubeObject } from '../../lib/synthesizer/manifest';
import { propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { AppProject } from '../imports/argocd-argoproj.io';
import { ArgoCdCluster, argoCdClusterSchema, clusterOf } from './argocd-cluster';
import { BOOTSTRAP_DIR, BOOTSTRAP_LABELS, BootstrapObject, compact } from './bootstrap-object';

/** A namespaced kind an Argo CD project may create. */
export interface ArgoCdGroupKind {
  /** API group ('' for the core group). */
  readonly group: string;
  readonly kind: string;
}

/** A cluster-scoped kind (optionally only some names) an Argo CD project may create. */
export interface ArgoCdClusterResource extends ArgoCdGroupKind {
  /** Only objects with this name (Go filepath.Match glob). @default - any name */
  readonly name?: string;
}

/** Props of {@link ArgoCdProject}. */
export interface ArgoCdProjectProps {
  /** The environments whose Applications belong to this project. What they contain is what the project allows. */
  readonly environments: readonly Environment[];
  /** Git repositories the project's Applications may read. */
  readonly sourceRepos: readonly string[];
  /** Name of the AppProject. @default - derived from the construct id */
  readonly name?: string;
  /** Namespace Argo CD runs in. @default 'argocd' */
  readonly namespace?: string;
  /** @default - names the environments */
  readonly description?: string;
  /** Cluster of every environment not listed in `clusters`. @default - the cluster Argo CD runs in */
  readonly cluster?: ArgoCdCluster;
  /** Clusters by environment name. @default - `cluster` for every environment */
  readonly clusters?: { readonly [environment: string]: ArgoCdCluster };
  /**
   * Let the Applications create their destination namespace (sync option `CreateNamespace=true`): allows the
   * cluster-scoped kind Namespace, for exactly the environments' default namespaces.
   * @default false
   */
  readonly allowNamespaceCreation?: boolean;
  /**
   * Namespaced kinds the project may create.
   * @default - the group and kind of every namespaced object of the environments; when they have none, none
   */
  readonly namespaceResourceWhitelist?: readonly ArgoCdGroupKind[];
  /**
   * Cluster-scoped objects the project may create. An empty list forbids every cluster-scoped kind.
   * @default - the cluster-scoped objects the environments contain (by group, kind and name, see `restrictClusterResourceNames`)
   */
  readonly clusterResourceWhitelist?: readonly ArgoCdClusterResource[];
  /**
   * Whitelist derived cluster-scoped objects by name as well as by group and kind, so that the project may create
   * the ClusterRole it declares and no other. Argo CD versions without the `name` field ignore it and allow the kind.
   * @default true
   */
  readonly restrictClusterResourceNames?: boolean;
}

const groupKindSchema = z.object({ group: z.string(), kind: z.string().min(1) }).strict();
const clusterResourceSchema = groupKindSchema.extend({ name: z.string().min(1).optional() });
const propsSchema = strictPropsSchema<ArgoCdProjectProps>()({
  environments: z.array(z.instanceof(Environment)).min(1, { message: 'give at least one environment' }),
  sourceRepos: z.array(z.string().min(1)).min(1, { message: 'give at least one source repository' }),
  name: z.string().optional(),
  namespace: z.string().optional(),
  description: z.string().max(255).optional(),
  cluster: argoCdClusterSchema.optional(),
  clusters: z.record(z.string(), argoCdClusterSchema).optional(),
  allowNamespaceCreation: z.boolean().optional(),
  namespaceResourceWhitelist: z.array(groupKindSchema).optional(),
  clusterResourceWhitelist: z.array(clusterResourceSchema).optional(),
  restrictClusterResourceNames: z.boolean().optional(),
});

/**
 * An Argo CD AppProject that confines the Applications of one or more environments to what the code declares:
 * the source repositories, the destination cluster and namespaces, and the kinds of objects they may create.
 * By default the kinds are derived, when the platform is synthesized, from the objects the environments actually
 * contain: an environment without a ClusterRole yields a project that forbids ClusterRoles, so a compromised
 * repository cannot create one the code never declared.
 *
 * ```ts
 * new ArgoCdProject(platform, 'Payments', { environments: [prod], sourceRepos: ['https://github.com/acme/platform.git'] });
 * ```
 *
 * Written to `bootstrap/argocd/appproject.<name>.yaml`.
 */
export class ArgoCdProject extends BootstrapObject {
  /** The AppProject name (what Applications reference in `spec.project`). */
  public readonly projectName: string;
  /** The namespace Argo CD runs in. */
  public readonly namespace: string;
  /** The environments the project covers. */
  public readonly environments: readonly Environment[];

  private readonly props: ArgoCdProjectProps;
  private readonly extraNamespaced: ArgoCdGroupKind[] = [];
  private readonly extraCluster: ArgoCdClusterResource[] = [];

  constructor(scope: Construct, id: string, props: ArgoCdProjectProps) {
    const name = props.name ?? toKubernetesName(id);
    super(scope, id, `${BOOTSTRAP_DIR}/argocd/appproject.${name}.yaml`);
    validateProps(this, propsSchema, props);
    this.projectName = validateName(this, 'name', name, NameRule.DNS_SUBDOMAIN);
    this.namespace = validateName(this, 'namespace', props.namespace ?? 'argocd', NameRule.DNS_LABEL);
    const known = new Set(props.environments.map((e) => e.name));
    for (const env of Object.keys(props.clusters ?? {})) {
      if (!known.has(env)) throw new ValidationError(this, `clusters.${env}`, `'${env}' is not one of the project's environments (${[...known].join(', ')})`);
    }
    this.environments = props.environments;
    this.props = props;
  }

  /** Allows a namespaced kind besides the derived (or given) ones, e.g. objects a workload creates at runtime. */
  public allowNamespacedResource(group: string, kind: string): void {
    this.extraNamespaced.push(validateProps(this, groupKindSchema, { group, kind }));
  }

  /** Allows a cluster-scoped kind (all names, or the names matching `name`) besides the derived (or given) ones. */
  public allowClusterResource(group: string, kind: string, name?: string): void {
    this.extraCluster.push(compact(validateProps(this, clusterResourceSchema, { group, kind, name })));
  }

  public toManifest(context: ArtifactContext): KubeObject {
    const contents = this.environments.map((env) => ({ env, objects: context.objectsOf(env).map((o) => o.object) }));
    const namespaced = this.props.namespaceResourceWhitelist
      ? [...this.props.namespaceResourceWhitelist]
      : distinctGroupKinds(contents.flatMap(({ objects }) => objects.filter((o) => o.metadata.namespace !== undefined)));
    namespaced.push(...this.extraNamespaced);
    const cluster: ArgoCdClusterResource[] = this.props.clusterResourceWhitelist
      ? [...this.props.clusterResourceWhitelist]
      : contents.flatMap(({ objects }) => objects.filter((o) => o.metadata.namespace === undefined)
        .map((o) => ({ ...groupKindOf(o), name: this.props.restrictClusterResourceNames === false ? undefined : o.metadata.name })));
    if (this.props.allowNamespaceCreation) {
      for (const env of this.environments) cluster.push({ group: '', kind: 'Namespace', name: env.namespace });
    }
    cluster.push(...this.extraCluster);

    const destinations = contents.flatMap(({ env, objects }) => {
      const target = clusterOf(this.props, env);
      const namespaces = new Set([env.namespace, ...objects.map((o) => o.metadata.namespace).filter((n): n is string => n !== undefined)]);
      return [...namespaces].map((namespace) => compact({ name: target.name, namespace, server: target.server }));
    });

    const namespacedList = uniqueSorted(namespaced.map((g) => ({ group: g.group, kind: g.kind })), ['group', 'kind']);
    return AppProject.manifest({
      metadata: {
        name: this.projectName,
        namespace: this.namespace,
        labels: { ...BOOTSTRAP_LABELS },
      },
      spec: {
        description: this.props.description ?? `cdk8s-dataops environment${this.environments.length > 1 ? 's' : ''} ${this.environments.map((e) => e.name).join(', ')}`,
        sourceRepos: [...new Set(this.props.sourceRepos)].sort(),
        destinations: uniqueSorted(destinations, ['server', 'name', 'namespace']),
        clusterResourceWhitelist: coverByKind(uniqueSorted(cluster.map((c) => compact({ group: c.group, kind: c.kind, name: c.name })), ['group', 'kind', 'name'])),
        namespaceResourceWhitelist: namespacedList,
        // An empty namespaceResourceWhitelist allows every namespaced kind; an environment without namespaced
        // objects must allow none.
        namespaceResourceBlacklist: namespacedList.length === 0 ? [{ group: '*', kind: '*' }] : undefined,
      },
    }) as KubeObject;
  }
}

function groupKindOf(o: KubeObject): ArgoCdGroupKind {
  return { group: apiGroupOf(o.apiVersion), kind: o.kind };
}

/** The group and kind of each distinct apiVersion and kind (tens, among tens of thousands of objects). */
function distinctGroupKinds(objects: readonly KubeObject[]): ArgoCdGroupKind[] {
  const seen = new Map<string, ArgoCdGroupKind>();
  for (const o of objects) {
    const key = `${o.apiVersion}\u0000${o.kind}`;
    if (!seen.has(key)) seen.set(key, groupKindOf(o));
  }
  return [...seen.values()];
}

/** Sorted by the given keys, without duplicates. */
function uniqueSorted<T extends { readonly [key: string]: string | undefined }>(items: readonly T[], keys: readonly string[]): T[] {
  const keyOf = (i: T) => keys.map((k) => i[k] ?? '').join('\u0000');
  const unique = new Map(items.map((i) => [keyOf(i), i]));
  return [...unique.values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

/** An entry without a name (the whole kind) makes the named entries of the same kind redundant. */
function coverByKind<T extends ArgoCdClusterResource>(items: readonly T[]): T[] {
  const whole = new Set(items.filter((i) => i.name === undefined).map((i) => `${i.group}/${i.kind}`));
  return items.filter((i) => i.name === undefined || !whole.has(`${i.group}/${i.kind}`));
}
