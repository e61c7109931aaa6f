import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { DataFlowGraph, IGraphContributor } from '../../lib/graph/graph';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { objectName } from '../../lib/names';
import { propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { KafkaConnector as KafkaConnectorL1, KafkaConnectorSpecState } from '../imports/strimzi-kafka.strimzi.io';
import { SecretValue } from '../secrets/reference';
import { configValue, configValueSchema, IKafkaConnect, kafkaConnectRef } from './connect';
import { IKafkaPrincipal } from './principal';
import { useClusterApiVersion } from './strimzi-object';
import { ITopic } from './topic';
import { topicRef } from './topic-ref';
import { KafkaUser } from './user';

/** Props of {@link KafkaConnector}. */
export interface KafkaConnectorProps {
  /** The Connect cluster that runs the connector. */
  readonly connect: IKafkaConnect;
  /** The connector class, e.g. `io.debezium.connector.postgresql.PostgresConnector`. */
  readonly class: string;
  /** Maximum number of tasks. @default 1 */
  readonly tasksMax?: number;
  /**
   * Connector config. Must not contain `name`, `connector.class` or `tasks.max` (they are props). Credentials are
   * SecretValues (`secret.envValue(key)`), never plain text: they are rendered as Strimzi config-provider
   * references `${secrets:<namespace>/<secret>:<key>}` (the Connect workers' `secrets` provider, Strimzi's
   * KubernetesSecretConfigProvider), and the workers may read exactly those Secrets (a Role per namespace).
   * @default - none
   */
  readonly config?: Readonly<Record<string, string | number | boolean | SecretValue>>;
  /** Desired state. @default 'running' */
  readonly state?: 'running' | 'paused' | 'stopped';
  /** Topics a sink connector consumes (Read, and its consumer group `connect-<name>`). @default - none */
  readonly reads?: readonly ITopic[];
  /** Topics a source connector produces to. @default - none */
  readonly writes?: readonly ITopic[];
  /** Connector name. @default - derived from the construct id */
  readonly name?: string;
  /** Let Strimzi restart failed connectors and tasks. @default true */
  readonly autoRestart?: boolean;
}

const RESERVED = ['name', 'connector.class', 'tasks.max'];

const propsSchema = strictPropsSchema<KafkaConnectorProps>()({
  connect: kafkaConnectRef,
  class: z.string().regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/, 'expected a fully qualified Java class name'),
  tasksMax: z.number().int().min(1).optional(),
  config: z.record(z.string(), configValueSchema).optional(),
  state: z.enum(['running', 'paused', 'stopped']).optional(),
  reads: z.array(topicRef).optional(),
  writes: z.array(topicRef).optional(),
  name: z.string().optional(),
  autoRestart: z.boolean().optional(),
});

const STATES = { running: KafkaConnectorSpecState.RUNNING, paused: KafkaConnectorSpecState.PAUSED, stopped: KafkaConnectorSpecState.STOPPED };


/**
 * A connector run by a Strimzi-managed Connect cluster. It gets its own KafkaUser whose ACLs come from `reads` and
 * `writes`; the connector's clients use that user through per-connector client overrides.
 */
export class KafkaConnector extends Construct implements IKafkaPrincipal, IGraphContributor {
  public readonly connectorName: string;
  public readonly kafkaUser: KafkaUser;
  public readonly connect: IKafkaConnect;
  /** The topics a sink connector consumes. */
  public readonly reads: readonly ITopic[];
  private readonly connectorClass: string;
  private readonly baseConfig: Record<string, string | number | boolean>;
  private readonly transforms: Array<{ alias: string; config: Record<string, string> }> = [];

  constructor(scope: Construct, id: string, props: KafkaConnectorProps) {
    super(scope, id);
    const p = validateProps(this, propsSchema, props);
    this.connect = props.connect;
    this.reads = [...(props.reads ?? [])];
    for (const key of Object.keys(p.config ?? {})) {
      if (RESERVED.includes(key)) {
        const prop = key === 'connector.class' ? 'class' : key === 'tasks.max' ? 'tasksMax' : 'name';
        throw new ValidationError(this, `config["${key}"]`, `set '${key}' with the '${prop}' prop, not in config`);
      }
    }
    this.connectorName = objectName(this, p.name);
    this.connectorClass = p.class;
    const cluster = props.connect.cluster;
    this.kafkaUser = new KafkaUser(this, 'User', { cluster, name: `${this.connectorName}-connector`, authentication: 'scram-sha-512' });
    const group = `connect-${this.connectorName}`;
    for (const t of props.reads ?? []) t.grantRead(this, { consumerGroup: group });
    for (const t of props.writes ?? []) t.grantWrite(this);
    props.connect._allowSecret(this.kafkaUser.secretName, cluster.userNamespace);

    const jaas = `\${secrets:${cluster.userNamespace}/${this.kafkaUser.secretName}:sasl.jaas.config}`;
    const overrides: Record<string, string> = {};
    for (const client of ['consumer', 'producer', 'admin']) {
      overrides[`${client}.override.sasl.mechanism`] = 'SCRAM-SHA-512';
      overrides[`${client}.override.sasl.jaas.config`] = jaas;
    }
    const config = Object.fromEntries(Object.entries(p.config ?? {}).map(([k, v]) => [k, configValue(props.connect, v)]));
    this.baseConfig = { ...overrides, ...config };
    const l1 = new KafkaConnectorL1(this, 'Resource', {
      metadata: {
        name: this.connectorName,
        namespace: props.connect.namespace,
        labels: { 'strimzi.io/cluster': props.connect.connectName },
      },
      spec: {
        class: p.class,
        tasksMax: p.tasksMax ?? 1,
        state: STATES[p.state ?? 'running'],
        autoRestart: p.autoRestart === false ? undefined : { enabled: true },
        config: Lazy.any({ produce: () => this.config }),
      },
    });
    useClusterApiVersion(l1, cluster);
  }

  /**
   * Appends a Single Message Transform to the connector's chain (`transforms` = the aliases in the order added, after
   * any the `config` prop declares), e.g. `addTransform('maskPii', { type: 'org.apache.kafka.connect.transforms.MaskField$Value', fields: 'email' })`.
   * Keys of `config` are the transform's own settings, written as `transforms.<alias>.<key>`.
   */
  public addTransform(alias: string, config: Readonly<Record<string, string>> & { readonly type: string }): void {
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(alias)) throw new ValidationError(this, `transforms.${alias}`, `'${alias}' is not a transform alias: use letters, digits, '_' or '-'`);
    const declared = String(this.baseConfig.transforms ?? '').split(',').map((t) => t.trim()).filter(Boolean);
    if (declared.includes(alias) || this.transforms.some((t) => t.alias === alias)) {
      throw new ValidationError(this, `transforms.${alias}`, `the connector already has a transform '${alias}'`);
    }
    this.transforms.push({ alias, config: { ...config } });
  }

  /** The connector's effective config (sorted keys), including client overrides and added transforms. */
  public get config(): Record<string, string | number | boolean> {
    const config: Record<string, string | number | boolean> = { ...this.baseConfig };
    if (this.transforms.length > 0) {
      const declared = String(config.transforms ?? '').split(',').map((t) => t.trim()).filter(Boolean);
      config.transforms = [...declared, ...this.transforms.map((t) => t.alias)].join(',');
      for (const t of this.transforms) for (const [k, v] of Object.entries(t.config)) config[`transforms.${t.alias}.${k}`] = v;
    }
    return Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
  }

  /** The id of this connector's node in the data-flow graph. */
  public get graphNodeId(): string {
    return `connector:${this.connect.namespace}/${this.connectorName}`;
  }

  public addToGraph(graph: DataFlowGraph): void {
    graph.addNode({ id: this.graphNodeId, role: 'process', kind: 'connector', name: this.connectorName,
      group: graph.addGroup(DataFlowGraph.groupOf(this)), details: { class: this.connectorClass.split('.').pop()!, connect: this.connect.connectName } });
  }
}
