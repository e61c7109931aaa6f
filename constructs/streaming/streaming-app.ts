import { Construct } from 'constructs';
import { z } from 'zod';
import { DataFlowGraph, IGraphContributor } from '../../lib/graph/graph';
import { objectName, NameRule } from '../../lib/names';
import { propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { ContainerSettings, containerSettingsShape, EnvValue, ProbeSpec } from '../k8s/container';
import { Deployment } from '../k8s/deployment';
import { NetworkRule, networkRulesSchema } from '../k8s/network-policy';
import { ResourceRequirements } from '../k8s/resources';
import { IKafkaCluster, kafkaClusterRef } from '../kafka/cluster';
import { kafkaClientWiring } from '../kafka/client-credentials';
import { IKafkaPrincipal } from '../kafka/principal';
import { ITopic } from '../kafka/topic';
import { topicRef } from '../kafka/topic-ref';
import { KafkaUser } from '../kafka/user';

/**
 * Props of {@link StreamingApp}: the Kafka side (cluster, topics, group) and the settings of its one container
 * ({@link ContainerSettings}: image, command, env, resources, probes, ...).
 */
export interface StreamingAppProps extends ContainerSettings {
  /** Container image, pinned by tag or digest. */
  readonly image: string;
  /** The Kafka cluster the app talks to. */
  readonly cluster: IKafkaCluster;
  /** Topics the app consumes (Read on each, Read on its consumer group). @default - none */
  readonly reads?: readonly ITopic[];
  /** Topics the app produces to. @default - none */
  readonly writes?: readonly ITopic[];
  /** Consumer group id (also `KAFKA_GROUP_ID`). @default - the app name, when the app reads */
  readonly consumerGroup?: string;
  /**
   * Transactional id prefix for exactly-once producers (Write/Describe on the prefix).
   * @default - not transactional
   */
  readonly transactionalIdPrefix?: string;
  /** Name of the app (Deployment, KafkaUser, Kafka client id). @default - derived from the construct id */
  readonly name?: string;
  /** Pods. @default - 2 in production environments, 1 elsewhere */
  readonly replicas?: number;
  /**
   * Extra environment variables: plain values, or a SecretValue (`secret.envValue(key)`, rendered as a
   * `secretKeyRef`) for anything secret. @default - none
   */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** CPU and memory. @default - requests 100m/256Mi, limits 500m/256Mi */
  readonly resources?: ResourceRequirements;
  /** Port the app serves (metrics, health) on; exposed as container port 'http'. @default - none */
  readonly port?: number;
  /** Readiness probe. @default - HTTP GET /health on `port` when a port is set, else none */
  readonly readinessProbe?: ProbeSpec;
  /** Network egress besides Kafka and DNS. @default - none */
  readonly egress?: readonly NetworkRule[];
  /** Network ingress. @default - none */
  readonly ingress?: readonly NetworkRule[];
}

const propsSchema = strictPropsSchema<StreamingAppProps>()({
  ...containerSettingsShape,
  image: z.string().regex(/^[^\s:@]+(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/, 'expected an image reference such as ghcr.io/acme/app:1.2.3')
    .refine((i) => /[:@]/.test(i.split('/').pop()!), 'pin the image with a tag or digest'),
  cluster: kafkaClusterRef,
  reads: z.array(topicRef).optional(),
  writes: z.array(topicRef).optional(),
  consumerGroup: z.string().min(1).max(249).optional(),
  transactionalIdPrefix: z.string().min(1).optional(),
  name: z.string().optional(),
  replicas: z.number().int().min(0).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  egress: networkRulesSchema.optional(),
  ingress: networkRulesSchema.optional(),
});

/**
 * A Kafka streaming application and its access, declared together: a Deployment with secure defaults whose
 * KafkaUser, ACLs (least privilege, from `reads` and `writes`), credentials (mounted from Strimzi's Secrets) and
 * NetworkPolicy (Kafka and DNS only, unless declared) are derived.
 *
 * ```ts
 * new StreamingApp(pipeline, 'enricher', { image: 'ghcr.io/acme/enricher:1.4.2', cluster,
 *   reads: [orders], writes: [enriched] });
 * ```
 */
export class StreamingApp extends Construct implements IKafkaPrincipal, IGraphContributor {
  public readonly appName: string;
  public readonly kafkaUser: KafkaUser;
  public readonly deployment: Deployment;
  public readonly consumerGroup?: string;
  private readonly image: string;

  constructor(scope: Construct, id: string, props: StreamingAppProps) {
    super(scope, id);
    const p = validateProps(this, propsSchema, props);
    this.appName = objectName(this, p.name, NameRule.DNS_LABEL);
    this.image = p.image;
    const reads = props.reads ?? [];
    const writes = props.writes ?? [];
    this.consumerGroup = reads.length > 0 ? (p.consumerGroup ?? this.appName) : p.consumerGroup;
    this.kafkaUser = new KafkaUser(this, 'KafkaUser', { cluster: props.cluster, name: this.appName });
    for (const t of reads) t.grantRead(this, { consumerGroup: this.consumerGroup });
    for (const t of writes) t.grantWrite(this, { transactionalId: p.transactionalIdPrefix, transactionalIdIsPrefix: true });

    const kafka = kafkaClientWiring(this, this.kafkaUser);
    const env: Record<string, EnvValue> = {
      ...kafka.env,
      KAFKA_CLIENT_ID: this.appName,
      ...(this.consumerGroup ? { KAFKA_GROUP_ID: this.consumerGroup } : {}),
      ...(reads.length ? { KAFKA_INPUT_TOPICS: reads.map((t) => t.topicName).join(',') } : {}),
      ...(writes.length ? { KAFKA_OUTPUT_TOPICS: writes.map((t) => t.topicName).join(',') } : {}),
      ...(p.transactionalIdPrefix ? { KAFKA_TRANSACTIONAL_ID_PREFIX: p.transactionalIdPrefix } : {}),
      ...props.env,
    };
    this.deployment = new Deployment(this, 'Deployment', {
      name: this.appName,
      replicas: p.replicas,
      volumes: kafka.volumes,
      containers: [{
        name: 'app',
        image: p.image,
        command: p.command,
        args: p.args,
        workingDir: p.workingDir,
        env,
        resources: props.resources,
        ports: p.port ? [{ name: 'http', port: p.port }] : undefined,
        readinessProbe: props.readinessProbe ?? (p.port ? { httpGet: { path: '/health', port: p.port } } : undefined),
        livenessProbe: props.livenessProbe,
        startupProbe: props.startupProbe,
        mounts: kafka.mounts,
        writableDirs: p.writableDirs ?? ['/tmp'],
        imagePullPolicy: p.imagePullPolicy,
        user: p.user,
        group: p.group,
      }],
      egress: [...kafka.egress, ...(props.egress ?? [])],
      ingress: props.ingress ? [...props.ingress] : undefined,
    });
  }

  /** The id of this app's node in the data-flow graph. */
  public get graphNodeId(): string {
    return `app:${this.deployment.namespace}/${this.appName}`;
  }

  public addToGraph(graph: DataFlowGraph): void {
    graph.addNode({ id: this.graphNodeId, role: 'process', kind: 'streaming app', name: this.appName,
      group: graph.addGroup(DataFlowGraph.groupOf(this)), details: { image: this.image, replicas: this.deployment.replicas } });
  }
}
