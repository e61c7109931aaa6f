import { Construct, IConstruct } from 'constructs';
import { DataFlowGraph, IGraphContributor } from '../../lib/graph/graph';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { Environment } from '../../lib/platform';
import { toKubernetesName, validateName } from '../../lib/names';
import { propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { RemovalPolicy, removalPolicyAnnotations } from '../core/removal-policy';
import { KafkaTopic } from '../imports/strimzi-kafka.strimzi.io';
import { IKafkaCluster, kafkaClusterRef, strimziLabels } from './cluster';
import { IKafkaPrincipal } from './principal';
import { useClusterApiVersion } from './strimzi-object';
import { TopicThroughputAlert, TopicThroughputAlertOptions } from './topic-throughput-alert';
import { BrokerConfig, KNOWN_TOPIC_CONFIGS, TopicConfig, topicConfigSchema, toBrokerConfig } from './topic-config';

/** Options of {@link ITopic.grantRead}. */
export interface GrantReadOptions {
  /** Consumer group the reader joins (Read on the group). @default - no group ACL (for assign()-based consumers) */
  readonly consumerGroup?: string;
  /** Whether `consumerGroup` is a prefix. @default false */
  readonly consumerGroupIsPrefix?: boolean;
}

/** Options of {@link ITopic.grantWrite}. */
export interface GrantWriteOptions {
  /** Transactional id the producer uses (Write and Describe on it). @default - none (not a transactional producer) */
  readonly transactionalId?: string;
  /** Whether `transactionalId` is a prefix. @default false */
  readonly transactionalIdIsPrefix?: boolean;
}

/** Who reads and writes a topic, as declared by grants (used by the data-flow graph). */
export interface TopicAccess {
  readonly principal: IKafkaPrincipal;
  readonly access: 'read' | 'write';
  /** The consumer group a reader joins, when granted with one (lag alerts are per group). */
  readonly consumerGroup?: string;
  /** Whether `consumerGroup` is a prefix. */
  readonly consumerGroupIsPrefix?: boolean;
}

/** A topic (or a prefix of topics) that permissions can be granted on. */
export interface ITopic extends IConstruct {
  /** The Kafka topic name (or prefix, when `isPrefix`). */
  readonly topicName: string;
  /** Whether this stands for every topic whose name starts with `topicName`. */
  readonly isPrefix: boolean;
  readonly cluster: IKafkaCluster;
  /** The grants made on this topic, in order. */
  readonly accesses: readonly TopicAccess[];
  /** Allows consuming: Read and Describe on the topic, Read on the consumer group when given. */
  grantRead(grantee: IKafkaPrincipal, options?: GrantReadOptions): void;
  /** Allows producing: Write and Describe on the topic, Write and Describe on the transactional id when given. */
  grantWrite(grantee: IKafkaPrincipal, options?: GrantWriteOptions): void;
  /** Allows both. */
  grantReadWrite(grantee: IKafkaPrincipal, options?: GrantReadOptions & GrantWriteOptions): void;
  /**
   * Lets another pipeline (or any construct scope) read this topic; without it, reads across pipelines fail synth.
   */
  shareWith(consumer: IConstruct): void;
  /** Whether code under `scope` may read this topic across pipeline boundaries. */
  isSharedWith(scope: IConstruct): boolean;
  /**
   * Alerts when the topic receives fewer (`min`) or more (`max`) messages per second than expected for `for`: a
   * PrometheusRule on the end offsets the cluster's exporter reports (see {@link TopicThroughputAlert}).
   */
  alertOnThroughput(options: TopicThroughputAlertOptions): TopicThroughputAlert;
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;

/** OpenLineage naming for Kafka: namespace `kafka://<first bootstrap host:port>` (one string per cluster, not per topic). */
function catalogNamespace(cluster: IKafkaCluster): string {
  const servers = cluster.bootstrapServers;
  const known = catalogNamespaces.get(cluster);
  if (known?.servers === servers) return known.namespace;
  const namespace = `kafka://${servers.split(',')[0]}`;
  catalogNamespaces.set(cluster, { servers, namespace });
  return namespace;
}

const catalogNamespaces = new WeakMap<IKafkaCluster, { servers: string; namespace: string }>();

/** Checks a Kafka topic name: `[a-zA-Z0-9._-]`, at most 249 characters, not '.' or '..'. */
export function validateTopicName(scope: Construct | string, field: string, name: string, prefix = false): string {
  if (name.length === 0 || name.length > 249 || !TOPIC_NAME.test(name) || (!prefix && (name === '.' || name === '..'))) {
    throw new ValidationError(scope, field, `'${name.length > 60 ? `${name.slice(0, 60)}…` : name}' is not a valid Kafka topic name${prefix ? ' prefix' : ''}: ` +
      `use 1 to 249 characters of a-z, A-Z, 0-9, '.', '_' and '-'${prefix ? '' : ", not '.' or '..'"} (length ${name.length})`);
  }
  return name;
}

abstract class TopicBase extends Construct implements ITopic, IGraphContributor {
  public abstract readonly topicName: string;
  public abstract readonly isPrefix: boolean;
  public abstract readonly cluster: IKafkaCluster;
  /** Replaced, not pushed to, on each grant: exactly as long as its 1–3 entries (a pushed-to array reserves 17). */
  private grants: readonly TopicAccess[] = [];
  private readonly sharedWith: IConstruct[] = [];
  protected isPublic = false;
  private inLineage = true;

  /** @internal infrastructure topics (Connect's storage topics) stay out of the lineage graph */
  public _hideFromLineage(): void {
    this.inLineage = false;
  }

  public shareWith(consumer: IConstruct): void {
    if (!this.sharedWith.includes(consumer)) this.sharedWith.push(consumer);
  }

  public isSharedWith(scope: IConstruct): boolean {
    return this.isPublic || scope.node.scopes.some((s) => this.sharedWith.includes(s));
  }

  public alertOnThroughput(options: TopicThroughputAlertOptions): TopicThroughputAlert {
    const count = this.node.children.filter((c) => c instanceof TopicThroughputAlert).length;
    return new TopicThroughputAlert(this, count === 0 ? 'ThroughputAlert' : `ThroughputAlert${count + 1}`, this, options);
  }

  /** The id of this topic's node in the data-flow graph. */
  public get graphNodeId(): string {
    return `topic:${this.cluster.clusterName}/${this.topicName}${this.isPrefix ? '*' : ''}`;
  }

  public addToGraph(graph: DataFlowGraph): void {
    if (!this.inLineage) return;
    const self = this.graphNodeId;
    graph.addNode({
      id: self, role: 'dataset', kind: this.graphKind, name: this.isPrefix ? `${this.topicName}*` : this.topicName,
      group: graph.addGroup(DataFlowGraph.groupOf(this)), details: this.graphDetails,
      catalog: this.isPrefix ? undefined : { namespace: catalogNamespace(this.cluster), name: this.topicName },
    });
    for (const { principal, access } of this.grants) {
      let id = principal.graphNodeId;
      if (id === undefined) {
        const user = principal.kafkaUser;
        id = `kafkauser:${user.cluster.clusterName}/${user.userName}`;
        graph.addNode({ id, role: 'process', kind: 'kafka user', name: user.userName, group: graph.addGroup(DataFlowGraph.groupOf(user)) });
      }
      if (access === 'read') graph.addEdge(self, id);
      else graph.addEdge(id, self);
    }
  }

  protected get graphKind(): string {
    return this.isPrefix ? 'topic prefix' : 'topic (external)';
  }

  protected get graphDetails(): Record<string, string | number> | undefined {
    return undefined;
  }

  public get accesses(): readonly TopicAccess[] {
    return this.grants;
  }

  public grantRead(grantee: IKafkaPrincipal, options: GrantReadOptions = {}): void {
    this.checkSameCluster(grantee);
    const user = grantee.kafkaUser;
    user.addAcl({ resourceType: 'topic', name: this.topicName, patternType: this.pattern, operations: ['Read', 'Describe'] });
    if (options.consumerGroup !== undefined) {
      user.addAcl({ resourceType: 'group', name: options.consumerGroup, patternType: options.consumerGroupIsPrefix ? 'prefix' : 'literal', operations: ['Read'] });
    }
    this.record(grantee, 'read', options.consumerGroup, options.consumerGroupIsPrefix);
  }

  public grantWrite(grantee: IKafkaPrincipal, options: GrantWriteOptions = {}): void {
    this.checkSameCluster(grantee);
    const user = grantee.kafkaUser;
    user.addAcl({ resourceType: 'topic', name: this.topicName, patternType: this.pattern, operations: ['Write', 'Describe'] });
    if (options.transactionalId !== undefined) {
      user.addAcl({ resourceType: 'transactionalId', name: options.transactionalId, patternType: options.transactionalIdIsPrefix ? 'prefix' : 'literal', operations: ['Write', 'Describe'] });
    }
    this.record(grantee, 'write');
  }

  public grantReadWrite(grantee: IKafkaPrincipal, options: GrantReadOptions & GrantWriteOptions = {}): void {
    this.grantRead(grantee, options);
    this.grantWrite(grantee, options);
  }

  private get pattern(): 'literal' | 'prefix' {
    return this.isPrefix ? 'prefix' : 'literal';
  }

  private record(principal: IKafkaPrincipal, access: 'read' | 'write', consumerGroup?: string, consumerGroupIsPrefix?: boolean): void {
    if (this.grants.some((g) => g.principal === principal && g.access === access)) return;
    this.grants = this.grants.concat(consumerGroup === undefined ? { principal, access } : { principal, access, consumerGroup, consumerGroupIsPrefix: consumerGroupIsPrefix ?? false });
  }

  private checkSameCluster(grantee: IKafkaPrincipal): void {
    const user = grantee.kafkaUser;
    if (user.cluster !== this.cluster) {
      throw new ValidationError(this, 'grant', `cannot grant on topic '${this.topicName}' of cluster '${this.cluster.clusterName}' ` +
        `to ${user.node.path}, a user of cluster '${user.cluster.clusterName}'`);
    }
    const a = Environment.tryOf(this);
    const b = Environment.tryOf(user);
    if (a && b && a !== b) {
      throw new ValidationError(this, 'grant', `cannot grant on topic '${this.topicName}' of environment '${a.name}' to ${user.node.path} in environment '${b.name}'`);
    }
  }
}

/** Props of {@link Topic}. */
export interface TopicProps {
  /** The cluster the topic lives on. */
  readonly cluster: IKafkaCluster;
  /** The Kafka topic name, e.g. `payments.orders.v1`. The KafkaTopic object name is derived from it. */
  readonly topicName: string;
  /** Number of partitions; it can only ever grow. @default 3 */
  readonly partitions?: number;
  /** Replication factor. @default - 3 in production environments, 1 elsewhere */
  readonly replicas?: number;
  /** Typed topic configuration. @default - broker defaults (plus min.insync.replicas 2 in production with 3+ replicas) */
  readonly config?: TopicConfig;
  /**
   * Other topic configs by their real broker names (e.g. `'segment.jitter.ms': 60000`). Keys must be Kafka topic
   * configs and must not repeat a typed `config` key.
   * @default - none
   */
  readonly extraConfig?: Record<string, string | number | boolean>;
  /**
   * Whether GitOps may delete the topic (and its data) when it is removed from the code.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Whether every pipeline may read this topic. Otherwise only its own pipeline and those it is shared with
   * (`topic.shareWith(pipeline)`).
   * @default false
   */
  readonly public?: boolean;
  /**
   * Accepts `min.insync.replicas` above `replicas`, which Kafka allows (common on single-broker dev clusters) but
   * which makes every acks=all write fail; synth refuses it otherwise. The value is the reason, kept in the code
   * for reviewers (e.g. `'imported as found; dev cluster with one broker'`). `synth kafka import` writes it for
   * topics found that way, so the imported code represents the cluster exactly.
   * @default - refused
   */
  readonly acknowledgeMinInsyncAboveReplicas?: string;
}

const propsSchema = strictPropsSchema<TopicProps>()({
  cluster: kafkaClusterRef,
  topicName: z.string(),
  partitions: z.number().int().min(1).max(100_000).optional(),
  replicas: z.number().int().min(1).max(32_767).optional(),
  config: topicConfigSchema.optional(),
  extraConfig: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  removalPolicy: z.enum(RemovalPolicy).optional(),
  public: z.boolean().optional(),
  acknowledgeMinInsyncAboveReplicas: z.string().trim().min(10, 'give the reason (at least 10 characters)').optional(),
});

/**
 * A Kafka topic managed by Strimzi's Topic Operator (a KafkaTopic object in the cluster's namespace).
 *
 * ```ts
 * const orders = new Topic(env, 'orders', { cluster, topicName: 'payments.orders.v1', partitions: 12,
 *   config: { retention: '7d', cleanupPolicy: 'delete' } });
 * orders.grantWrite(producer);
 * ```
 */
export class Topic extends TopicBase {
  /** A topic that exists outside this code: grants work, nothing is emitted for the topic itself. */
  public static fromName(scope: Construct, id: string, cluster: IKafkaCluster, topicName: string): ITopic {
    return new ImportedTopic(scope, id, cluster, topicName, false);
  }

  /** Every topic whose name starts with `prefix` (for domain-wide grants); nothing is emitted for the topics. */
  public static prefix(scope: Construct, id: string, cluster: IKafkaCluster, prefix: string): ITopic {
    return new ImportedTopic(scope, id, cluster, prefix, true);
  }

  public readonly topicName: string;
  public readonly isPrefix = false;
  public readonly cluster: IKafkaCluster;
  public readonly partitions: number;
  public readonly replicas: number;
  /** The effective broker configs (typed config, extraConfig and environment defaults), by broker name. */
  public readonly config: Readonly<BrokerConfig>;
  public readonly removalPolicy: RemovalPolicy;
  /** The KafkaTopic object name. */
  public readonly resourceName: string;

  constructor(scope: Construct, id: string, props: TopicProps) {
    super(scope, id);
    const p = validateProps(this, propsSchema, props);
    this.cluster = props.cluster;
    this.topicName = validateTopicName(this, 'topicName', p.topicName);
    const env = Environment.tryOf(this);
    this.partitions = p.partitions ?? 3;
    this.replicas = p.replicas ?? (env?.production ? 3 : 1);
    if (props.cluster.brokers !== undefined && this.replicas > props.cluster.brokers) {
      throw new ValidationError(this, 'replicas', `${this.replicas} replicas but cluster '${props.cluster.clusterName}' has ${props.cluster.brokers} broker(s); use at most ${props.cluster.brokers}`);
    }
    const typed = toBrokerConfig(p.config ?? {});
    const extra = p.extraConfig ?? {};
    for (const key of Object.keys(extra)) {
      if (!KNOWN_TOPIC_CONFIGS.has(key)) {
        throw new ValidationError(this, `extraConfig["${key}"]`, `'${key}' is not a Kafka topic config; see https://kafka.apache.org/documentation/#topicconfigs`);
      }
      if (key in typed) throw new ValidationError(this, `extraConfig["${key}"]`, `'${key}' is already set by the typed config; set it in one place`);
    }
    const config: BrokerConfig = { ...typed, ...extra };
    if (config['min.insync.replicas'] === undefined && env?.production && this.replicas >= 3) config['min.insync.replicas'] = 2;
    const minIsr = Number(config['min.insync.replicas']);
    if (config['min.insync.replicas'] !== undefined && minIsr > this.replicas && p.acknowledgeMinInsyncAboveReplicas === undefined) {
      throw new ValidationError(this, 'config.minInsyncReplicas', `min.insync.replicas ${minIsr} is above the replication factor ${this.replicas}: every acks=all write would fail ` +
        '(if the cluster really is set up like this, say why in acknowledgeMinInsyncAboveReplicas)');
    }
    this.config = Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
    this.removalPolicy = p.removalPolicy ?? RemovalPolicy.RETAIN;
    this.isPublic = p.public ?? false;
    this.resourceName = toKubernetesName(this.topicName, true).slice(0, 253).replace(/[-.]+$/, '');
    validateName(this, 'topicName', this.resourceName);

    const l1 = new KafkaTopic(this, 'Resource', {
      metadata: {
        name: this.resourceName,
        namespace: props.cluster.namespace,
        labels: strimziLabels(props.cluster),
        annotations: removalPolicyAnnotations(this.removalPolicy),
      },
      spec: {
        topicName: this.topicName,
        partitions: this.partitions,
        replicas: this.replicas,
        config: Object.keys(this.config).length > 0 ? this.config : undefined,
      },
    });
    useClusterApiVersion(l1, props.cluster);
  }

  protected override get graphKind(): string {
    return 'topic';
  }

  protected override get graphDetails(): Record<string, string | number> {
    return { partitions: this.partitions, replicas: this.replicas };
  }
}

class ImportedTopic extends TopicBase {
  public readonly topicName: string;
  public readonly isPrefix: boolean;
  public readonly cluster: IKafkaCluster;

  constructor(scope: Construct, id: string, cluster: IKafkaCluster, name: string, isPrefix: boolean) {
    super(scope, id);
    this.cluster = cluster;
    this.isPrefix = isPrefix;
    this.topicName = validateTopicName(this, isPrefix ? 'prefix' : 'topicName', name, isPrefix);
  }
}
