/**
 * The vocabulary of the live (pull-model) Kafka reconciler: desired and actual topics, ACL bindings in
 * Strimzi's terms, and the mapping to the Kafka protocol's numeric codes.
 */

/** What happens to an object on the cluster once it is removed from the code (Strimzi annotation value). */
export type LiveRemovalPolicy = 'retain' | 'destroy';

/** Resource types a Strimzi ACL rule can name. */
export type LiveAclResourceType = 'topic' | 'group' | 'cluster' | 'transactionalId';

/** Kafka ACL operations in Strimzi casing. */
export type LiveAclOperation = 'All' | 'Read' | 'Write' | 'Create' | 'Delete' | 'Alter' | 'Describe' | 'ClusterAction'
  | 'DescribeConfigs' | 'AlterConfigs' | 'IdempotentWrite';

/**
 * One Kafka ACL binding (the unit Kafka stores): a principal may (or may not) do one operation on one
 * resource pattern from one host. A Strimzi rule with several operations expands to several bindings.
 */
export interface AclBinding {
  /** `User:orders-app`, `User:CN=orders-app`. */
  readonly principal: string;
  readonly resourceType: LiveAclResourceType;
  /** The resource name or prefix; `kafka-cluster` for the cluster resource. */
  readonly resourceName: string;
  readonly patternType: 'literal' | 'prefix';
  readonly operation: LiveAclOperation;
  readonly host: string;
  readonly permission: 'allow' | 'deny';
}

/** A topic as the dist declares it (a Strimzi KafkaTopic). */
export interface DesiredTopic {
  /** The Kafka topic name (`spec.topicName`, else `metadata.name`). */
  readonly name: string;
  /** `spec.partitions`; undefined lets the broker default (`num.partitions`) decide. */
  readonly partitions?: number;
  /** `spec.replicas`; undefined lets the broker default (`default.replication.factor`) decide. */
  readonly replicas?: number;
  /** `spec.config`, values as strings exactly as the broker will store them. */
  readonly config: Readonly<Record<string, string>>;
  readonly removalPolicy: LiveRemovalPolicy;
  /** The dist file it came from (for messages). */
  readonly file: string;
}

/** Client quotas of a user, as declared (not applied by the pull model: kafkajs has no client-quota API). */
export interface DesiredQuotas {
  readonly producerByteRate?: number;
  readonly consumerByteRate?: number;
  readonly requestPercentage?: number;
  readonly controllerMutationRate?: number;
}

/** A principal as the dist declares it (a Strimzi KafkaUser). */
export interface DesiredUser {
  /** `metadata.name`. */
  readonly name: string;
  /** The principal the broker sees. */
  readonly principal: string;
  readonly authentication: 'scram-sha-512' | 'tls' | 'tls-external' | 'none';
  /**
   * The user's ACL bindings; undefined when the KafkaUser has no `authorization` (then its ACLs are not
   * managed at all, as with Strimzi's User Operator).
   */
  readonly acls?: readonly AclBinding[];
  readonly quotas?: DesiredQuotas;
  readonly removalPolicy: LiveRemovalPolicy;
  readonly file: string;
}

/** Everything the dist declares for one Kafka cluster of one environment. */
export interface DesiredState {
  readonly env: string;
  /** The `strimzi.io/cluster` label value. */
  readonly cluster: string;
  /** The dist folder it was read from. */
  readonly source: string;
  readonly topics: readonly DesiredTopic[];
  readonly users: readonly DesiredUser[];
  /** Objects read but skipped, with the reason (e.g. `strimzi.io/managed: "false"`). */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

/** One config entry of a topic as the broker reports it. */
export interface ActualConfigEntry {
  /** The value; null for sensitive entries (the broker never returns them). */
  readonly value: string | null;
  /** True when it is a topic-level override (config source TOPIC_CONFIG); false for broker/static defaults. */
  readonly override: boolean;
  readonly sensitive: boolean;
}

/** A topic as it exists on the cluster. */
export interface ActualTopic {
  readonly name: string;
  readonly partitions: number;
  /** Replication factor (replicas of partition 0, the largest seen). */
  readonly replicationFactor: number;
  /** Every config entry (when configs were read for this topic). */
  readonly config?: ReadonlyMap<string, ActualConfigEntry>;
}

/** What was read from the cluster. */
export interface ActualState {
  readonly topics: ReadonlyMap<string, ActualTopic>;
  /** ACL bindings the model can express. */
  readonly acls: readonly AclBinding[];
  /** ACL bindings with resource types or operations outside Strimzi's vocabulary (never touched). */
  readonly foreignAcls: readonly string[];
  readonly brokerCount: number;
  /** Broker defaults needed to create topics without explicit partitions/replicas. */
  readonly brokerDefaults?: { readonly numPartitions: number; readonly defaultReplicationFactor: number };
}

// ---------------------------------------------------------------------------------------------
// Kafka protocol codes (kafkajs exposes them as TypeScript enums in its types; the values are the protocol's)

/** Kafka protocol resource type codes. */
export const RESOURCE_TYPE_CODE: Readonly<Record<LiveAclResourceType, number>> = { topic: 2, group: 3, cluster: 4, transactionalId: 5 };
/** Kafka protocol operation codes. */
export const OPERATION_CODE: Readonly<Record<LiveAclOperation, number>> = {
  All: 2, Read: 3, Write: 4, Create: 5, Delete: 6, Alter: 7, Describe: 8, ClusterAction: 9,
  DescribeConfigs: 10, AlterConfigs: 11, IdempotentWrite: 12,
};
/** Kafka protocol permission codes. */
export const PERMISSION_CODE: Readonly<Record<'allow' | 'deny', number>> = { deny: 2, allow: 3 };
/** Kafka protocol pattern type codes. */
export const PATTERN_CODE: Readonly<Record<'literal' | 'prefix', number>> = { literal: 3, prefix: 4 };

function invert<K extends string>(m: Readonly<Record<K, number>>): ReadonlyMap<number, K> {
  return new Map(Object.entries(m).map(([k, v]) => [v as number, k as K]));
}
export const RESOURCE_TYPE_BY_CODE = invert(RESOURCE_TYPE_CODE);
export const OPERATION_BY_CODE = invert(OPERATION_CODE);
export const PERMISSION_BY_CODE = invert(PERMISSION_CODE);
export const PATTERN_BY_CODE = invert(PATTERN_CODE);

/** The name of Kafka's single cluster resource. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';

/** A stable identity for a binding (also its sort key). */
export function aclKey(a: AclBinding): string {
  return JSON.stringify([a.principal, a.permission, a.operation, a.resourceType, a.patternType, a.resourceName, a.host]);
}

/** Parses {@link aclKey} back into a binding; undefined when the text is not a key. */
export function parseAclKey(key: string): AclBinding | undefined {
  let parts: unknown;
  try {
    parts = JSON.parse(key);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parts) || parts.length !== 7 || !parts.every((p) => typeof p === 'string')) return undefined;
  const [principal, permission, operation, resourceType, patternType, resourceName, host] = parts as string[];
  if (!(permission in PERMISSION_CODE) || !(operation in OPERATION_CODE) || !(resourceType in RESOURCE_TYPE_CODE) || !(patternType in PATTERN_CODE)) return undefined;
  return {
    principal,
    permission: permission as AclBinding['permission'],
    operation: operation as LiveAclOperation,
    resourceType: resourceType as LiveAclResourceType,
    patternType: patternType as AclBinding['patternType'],
    resourceName,
    host,
  };
}

/** `User:orders-app ALLOW Read topic:payments.orders.v1 (literal) from *` */
export function formatAcl(a: AclBinding): string {
  const pattern = a.patternType === 'prefix' ? ' (prefix)' : '';
  return `${a.principal} ${a.permission.toUpperCase()} ${a.operation} ${a.resourceType}:${a.resourceName}${pattern}${a.host === '*' ? '' : ` from ${a.host}`}`;
}

/** Topics Kafka itself uses (and our own state topic): never listed, planned or imported. */
export function isInternalTopic(name: string): boolean {
  return name.startsWith('__');
}

/** Code-unit order (locale-independent, so output is the same on every machine). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
