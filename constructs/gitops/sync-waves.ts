import { IConstruct } from 'constructs';

/**
 * The order in which Argo CD applies the classes of objects of a data platform (lowest wave first; Argo CD
 * waits for every object of a wave to be healthy before it starts the next).
 */
export enum SyncWave {
  /** Namespaces, CRDs, RBAC, quotas, network policies: what everything else is created in or relies on. */
  PREREQUISITES = -10,
  /**
   * Secret stores, ExternalSecrets, SealedSecrets and configuration that workloads mount. An ExternalSecret that
   * copies a Secret an operator creates (a KafkaUser's credentials) goes one wave after its producer instead.
   */
  SECRETS = -5,
  /** The data infrastructure workloads use: topics, their users (ACLs, quotas), schemas, datasets. */
  DATA = 0,
  /** Integrations that move data between systems (connector clusters and connectors): they need the data wave. */
  INTEGRATIONS = 5,
  /** Deployments, StatefulSets, Jobs, CronJobs, Services and their monitoring. */
  WORKLOADS = 10,
}

const WAVES = Symbol.for('cdk8s-dataops.gitops.sync-waves');

/**
 * The kind → sync wave table of one platform. A domain declares the waves of the kinds it emits on the platform its
 * constructs belong to, when they are created (the Kafka domain: KafkaTopic and KafkaUser in {@link SyncWave.DATA}),
 * so the table holds exactly what the platform uses and nothing depends on which modules happen to be imported:
 *
 * ```ts
 * SyncWaves.of(this).register('example.com/Widget', SyncWave.WORKLOADS);
 * ```
 */
export class SyncWaves {
  /** The table of the platform `scope` belongs to. */
  public static of(scope: IConstruct): SyncWaves {
    const holder = scope.node.root as unknown as { [WAVES]?: SyncWaves };
    return (holder[WAVES] ??= new SyncWaves());
  }

  private readonly waves = new Map<string, number>();

  private constructor() {}

  /**
   * Assigns a wave to a kind: a bare kind (`Widget`) or `group/Kind` (`example.com/Widget`) when the kind name alone is
   * ambiguous; the group-qualified entry wins.
   */
  public register(kind: string, wave: SyncWave | number): void {
    setWave(this.waves, kind, wave);
  }

  /** The wave of a kind (`apiGroup` '' for the core group): this platform's, else {@link registerSyncWave}'s, else the defaults. */
  public waveOf(apiGroup: string, kind: string): number | undefined {
    const qualified = `${apiGroup}/${kind}`;
    return this.waves.get(qualified) ?? waves.get(qualified) ?? this.waves.get(kind) ?? waves.get(kind);
  }

  /** This platform's kind → wave table with the process-wide entries, sorted by wave then kind. */
  public table(): ReadonlyArray<{ readonly kind: string; readonly wave: number }> {
    return sortedTable(new Map([...waves, ...this.waves]));
  }
}

const waves = new Map<string, number>();

/**
 * Assigns an Argo CD sync wave to a kind for every platform in this process (call it in your app; a construct library
 * declares its kinds on the platform with {@link SyncWaves.of}). `kind` is either a bare kind (`Widget`) or
 * `group/Kind` (`example.com/Widget`) when the kind name alone is ambiguous; the group-qualified entry wins:
 *
 * ```ts
 * registerSyncWave('AirflowDeployment', SyncWave.WORKLOADS);
 * ```
 */
export function registerSyncWave(kind: string, wave: SyncWave | number): void {
  setWave(waves, kind, wave);
}

function setWave(table: Map<string, number>, kind: string, wave: number): void {
  if (!Number.isInteger(wave)) throw new RangeError(`sync wave of '${kind}' must be an integer, got ${wave}`);
  table.set(kind, wave);
}

/**
 * The process-wide sync wave of a kind (`apiGroup` '' for the core group), or undefined when it has no class. The waves a
 * platform's domains declare are in {@link SyncWaves.of}.
 */
export function syncWaveOf(apiGroup: string, kind: string): number | undefined {
  return waves.get(`${apiGroup}/${kind}`) ?? waves.get(kind);
}

/** The process-wide kind → wave table, sorted by wave then kind (for documentation and reports). */
export function syncWaveTable(): ReadonlyArray<{ readonly kind: string; readonly wave: number }> {
  return sortedTable(waves);
}

function sortedTable(table: ReadonlyMap<string, number>): Array<{ readonly kind: string; readonly wave: number }> {
  return [...table].map(([kind, wave]) => ({ kind, wave })).sort((a, b) => a.wave - b.wave || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}

/** Kubernetes' own kinds and the ecosystem kinds every platform may use, by the class they belong to. */
const defaults: Partial<Record<SyncWave, readonly string[]>> = {
  [SyncWave.PREREQUISITES]: [
    'Namespace', 'apiextensions.k8s.io/CustomResourceDefinition', 'ServiceAccount',
    'rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/RoleBinding',
    'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
    'ResourceQuota', 'LimitRange', 'networking.k8s.io/NetworkPolicy', 'scheduling.k8s.io/PriorityClass',
    'storage.k8s.io/StorageClass', 'PersistentVolumeClaim',
  ],
  [SyncWave.SECRETS]: [
    'external-secrets.io/SecretStore', 'external-secrets.io/ClusterSecretStore', 'external-secrets.io/ExternalSecret',
    'bitnami.com/SealedSecret', 'Secret', 'ConfigMap',
  ],
  [SyncWave.WORKLOADS]: [
    'apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'batch/Job', 'batch/CronJob', 'Pod', 'Service',
    'networking.k8s.io/Ingress', 'autoscaling/HorizontalPodAutoscaler', 'policy/PodDisruptionBudget',
    'monitoring.coreos.com/ServiceMonitor', 'monitoring.coreos.com/PodMonitor', 'monitoring.coreos.com/PrometheusRule',
  ],
};
for (const [wave, kinds] of Object.entries(defaults)) {
  for (const kind of kinds) registerSyncWave(kind.includes('/') ? kind : `/${kind}`, Number(wave));
}
