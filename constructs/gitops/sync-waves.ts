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
  /** Kafka topics, users (ACLs, quotas) and schemas. */
  KAFKA = 0,
  /** Kafka Connect clusters and their connectors (they need topics and users). */
  CONNECTORS = 5,
  /** Deployments, StatefulSets, Jobs, CronJobs, Services and their monitoring. */
  WORKLOADS = 10,
}

const waves = new Map<string, number>();

/**
 * Assigns an Argo CD sync wave to a kind, for every platform in this process. `kind` is either a bare kind
 * (`KafkaTopic`) or `group/Kind` (`kafka.strimzi.io/KafkaTopic`) when the kind name alone is ambiguous; the
 * group-qualified entry wins. Domain modules register their kinds next to the constructs that emit them:
 *
 * ```ts
 * registerSyncWave('AirflowDeployment', SyncWave.WORKLOADS);
 * ```
 */
export function registerSyncWave(kind: string, wave: SyncWave | number): void {
  if (!Number.isInteger(wave)) throw new RangeError(`sync wave of '${kind}' must be an integer, got ${wave}`);
  waves.set(kind, wave);
}

/** The registered sync wave of a kind (`apiGroup` '' for the core group), or undefined when it has no class. */
export function syncWaveOf(apiGroup: string, kind: string): number | undefined {
  return waves.get(`${apiGroup}/${kind}`) ?? waves.get(kind);
}

/** The kind → wave table, sorted by wave then kind (for documentation and reports). */
export function syncWaveTable(): ReadonlyArray<{ readonly kind: string; readonly wave: number }> {
  return [...waves].map(([kind, wave]) => ({ kind, wave })).sort((a, b) => a.wave - b.wave || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}

const defaults: Record<SyncWave, readonly string[]> = {
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
  [SyncWave.KAFKA]: ['kafka.strimzi.io/KafkaTopic', 'kafka.strimzi.io/KafkaUser'],
  [SyncWave.CONNECTORS]: ['kafka.strimzi.io/KafkaConnect', 'kafka.strimzi.io/KafkaConnector', 'kafka.strimzi.io/KafkaMirrorMaker2'],
  [SyncWave.WORKLOADS]: [
    'apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'batch/Job', 'batch/CronJob', 'Pod', 'Service',
    'networking.k8s.io/Ingress', 'autoscaling/HorizontalPodAutoscaler', 'policy/PodDisruptionBudget',
    'monitoring.coreos.com/ServiceMonitor', 'monitoring.coreos.com/PodMonitor', 'monitoring.coreos.com/PrometheusRule',
  ],
};
for (const [wave, kinds] of Object.entries(defaults)) {
  for (const kind of kinds) registerSyncWave(kind.includes('/') ? kind : `/${kind}`, Number(wave));
}
