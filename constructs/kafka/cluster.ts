import { Construct } from 'constructs';
import { z } from 'zod';
import { NameRule, validateName } from '../../lib/names';
import { constructRef, propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { KafkaMetricsSource, kafkaMetricsSourceSchema } from './metrics';
import { Policies } from '../../lib/policy/policies';
import { KAFKA_SAFETY_PACK } from './rules/safety-pack';

/** Strimzi API versions: `v1` (Strimzi 1.x serves only v1) or `v1beta2` (Strimzi ≤ 0.48). */
export type StrimziApiVersion = 'v1' | 'v1beta2';

/** A Kafka cluster objects are declared against. */
export interface IKafkaCluster {
  /** The Strimzi `Kafka` resource name (value of the `strimzi.io/cluster` label). */
  readonly clusterName: string;
  /** Namespace the Strimzi Topic and User Operators watch (KafkaTopic/KafkaUser objects go there). */
  readonly namespace: string;
  /** Bootstrap servers clients use, `host:port[,host:port]`. */
  readonly bootstrapServers: string;
  /** Strimzi API version of the objects we emit. */
  readonly apiVersion: StrimziApiVersion;
  /** How clients authenticate against the bootstrap servers. */
  readonly clientAuthentication: 'scram-sha-512' | 'tls' | 'tls-external';
  /** Number of brokers, when known (replication factors above it are refused). */
  readonly brokers?: number;
  /** Whether the bootstrap listener uses TLS (clients then trust the cluster CA). */
  readonly tls: boolean;
  /** Name of the Secret with the cluster CA certificate. */
  readonly caCertSecretName: string;
  /** Namespace the KafkaUser objects (and so their credentials Secrets) go to. */
  readonly userNamespace: string;
  /** A secret store that can read Secrets of the cluster namespace, to copy credentials to app namespaces. */
  readonly credentialsStore?: { readonly name: string; readonly kind: 'SecretStore' | 'ClusterSecretStore' };
  /** Where Prometheus gets this cluster's lag and offset series (alerts use it). Undefined: kafka_exporter as Strimzi deploys it. */
  readonly metrics?: KafkaMetricsSource;
  /** The construct representing the cluster (for error messages and scoping). */
  readonly node: Construct['node'];
}

/** Props of {@link KafkaCluster.fromStrimzi}. */
export interface StrimziClusterProps {
  /** The Strimzi `Kafka` resource name. */
  readonly name: string;
  /** Namespace of the Kafka cluster (where its Topic and User Operators watch). */
  readonly namespace: string;
  /** Bootstrap servers as clients see them, e.g. `main-kafka-bootstrap.kafka:9093`. */
  readonly bootstrapServers: string;
  /**
   * Strimzi API version of emitted objects.
   * @default 'v1'
   */
  readonly apiVersion?: StrimziApiVersion;
  /**
   * Authentication clients use on the bootstrap listener; KafkaUsers default to it.
   * @default 'scram-sha-512'
   */
  readonly clientAuthentication?: 'scram-sha-512' | 'tls' | 'tls-external';
  /**
   * Number of brokers, when known; replication factors above it are refused at synth.
   * @default - unknown, not checked
   */
  readonly brokers?: number;
  /**
   * Whether the bootstrap listener uses TLS; clients then trust the cluster CA Secret `<name>-cluster-ca-cert`.
   * @default - true when the bootstrap port is 9093 (Strimzi's TLS listener), else false
   */
  readonly tls?: boolean;
  /**
   * Namespace for KafkaUser objects. Strimzi's User Operator creates each user's credentials Secret next to its
   * KafkaUser; set this when a User Operator watches your apps' namespace so apps can mount their Secret directly.
   * @default - the cluster namespace
   */
  readonly userNamespace?: string;
  /**
   * An External Secrets store (Kubernetes provider) that reads Secrets from the user namespace. Apps running in another
   * namespace get their credentials and the cluster CA copied in by an ExternalSecret through it.
   * @default - none: apps must run in the user namespace
   */
  readonly credentialsStore?: { readonly name: string; readonly kind?: 'SecretStore' | 'ClusterSecretStore' };
  /**
   * The exporter whose lag and offset series alerts query (`KafkaMetrics.kminion()`, `.burrowExporter()`,
   * `.kafkaLagExporter()`), and the labels that select this cluster's series.
   * @default KafkaMetrics.kafkaExporter() - kafka_exporter as Strimzi deploys it (`spec.kafkaExporter`)
   */
  readonly metrics?: KafkaMetricsSource;
}

const propsSchema = strictPropsSchema<StrimziClusterProps>()({
  name: z.string().min(1),
  namespace: z.string().min(1),
  bootstrapServers: z.string().regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, 'expected host:port[,host:port...]'),
  apiVersion: z.enum(['v1', 'v1beta2']).optional(),
  clientAuthentication: z.enum(['scram-sha-512', 'tls', 'tls-external']).optional(),
  brokers: z.number().int().min(1).optional(),
  tls: z.boolean().optional(),
  userNamespace: z.string().optional(),
  credentialsStore: z.object({ name: z.string().min(1), kind: z.enum(['SecretStore', 'ClusterSecretStore']).optional() }).strict().optional(),
  metrics: kafkaMetricsSourceSchema.optional(),
});

/** The check of a prop that refers to a Kafka cluster: a missing one is reported as required. */
export const kafkaClusterRef = constructRef<IKafkaCluster>((v) => !!v && typeof (v as IKafkaCluster).clusterName === 'string', 'a KafkaCluster');

/**
 * A Kafka cluster run by Strimzi. It emits nothing itself; topics, users and connectors refer to it.
 *
 * ```ts
 * const cluster = KafkaCluster.fromStrimzi(env, 'kafka', { name: 'main', namespace: 'kafka',
 *   bootstrapServers: 'main-kafka-bootstrap.kafka:9093' });
 * ```
 */
export class KafkaCluster extends Construct implements IKafkaCluster {
  /** References a Strimzi-managed cluster. */
  public static fromStrimzi(scope: Construct, id: string, props: StrimziClusterProps): KafkaCluster {
    return new KafkaCluster(scope, id, props);
  }

  public readonly clusterName: string;
  public readonly namespace: string;
  public readonly bootstrapServers: string;
  public readonly apiVersion: StrimziApiVersion;
  public readonly clientAuthentication: 'scram-sha-512' | 'tls' | 'tls-external';
  public readonly brokers?: number;
  public readonly tls: boolean;
  public readonly userNamespace: string;
  public readonly credentialsStore?: { readonly name: string; readonly kind: 'SecretStore' | 'ClusterSecretStore' };
  public readonly metrics?: KafkaMetricsSource;

  private constructor(scope: Construct, id: string, props: StrimziClusterProps) {
    super(scope, id);
    Policies.require(this, KAFKA_SAFETY_PACK);
    const p = validateProps(this, propsSchema, props);
    this.clusterName = validateName(this, 'name', p.name, NameRule.DNS_LABEL);
    this.namespace = validateName(this, 'namespace', p.namespace, NameRule.DNS_LABEL);
    this.bootstrapServers = p.bootstrapServers;
    this.apiVersion = p.apiVersion ?? 'v1';
    this.clientAuthentication = p.clientAuthentication ?? 'scram-sha-512';
    this.brokers = p.brokers;
    this.tls = p.tls ?? p.bootstrapServers.split(',').every((hp) => hp.endsWith(':9093'));
    this.userNamespace = validateName(this, 'userNamespace', p.userNamespace ?? this.namespace, NameRule.DNS_LABEL);
    this.credentialsStore = p.credentialsStore ? { name: p.credentialsStore.name, kind: p.credentialsStore.kind ?? 'ClusterSecretStore' } : undefined;
    this.metrics = p.metrics;
  }

  /** Name of the Secret with the cluster CA certificate that Strimzi creates (`<name>-cluster-ca-cert`). */
  public get caCertSecretName(): string {
    return `${this.clusterName}-cluster-ca-cert`;
  }
}

/** `kafka.strimzi.io/<version>` for a cluster. */
export function strimziApiVersion(cluster: IKafkaCluster): string {
  return `kafka.strimzi.io/${cluster.apiVersion}`;
}

/** The ports of the bootstrap servers (for NetworkPolicy egress). */
export function bootstrapPorts(cluster: IKafkaCluster): number[] {
  return [...new Set(cluster.bootstrapServers.split(',').map((hp) => Number(hp.slice(hp.lastIndexOf(':') + 1))))].sort((a, b) => a - b);
}

/** The labels every Strimzi object of a cluster carries. */
export function strimziLabels(cluster: IKafkaCluster): Readonly<Record<string, string>> {
  // One shared map per cluster (an object's metadata copies it): one per object was 3 MB at 50,000 topics.
  let labels = labelsOfClusters.get(cluster);
  if (labels?.['strimzi.io/cluster'] !== cluster.clusterName) {
    labels = Object.freeze({ 'strimzi.io/cluster': cluster.clusterName });
    labelsOfClusters.set(cluster, labels);
  }
  return labels;
}

const labelsOfClusters = new WeakMap<IKafkaCluster, Readonly<Record<string, string>>>();
