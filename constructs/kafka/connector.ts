import { Construct } from 'constructs';
import { DataFlowGraph, IGraphContributor } from '../../lib/graph/graph';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { objectName } from '../../lib/names';
import { validateProps } from '../../lib/validation';
import { KafkaConnector as KafkaConnectorL1 } from '../imports/strimzi-kafka.strimzi.io';
import { IKafkaConnect } from './connect';
import { IKafkaPrincipal } from './principal';
import { useClusterApiVersion } from './strimzi-object';
import { ITopic } from './topic';
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
   * Connector config. Must not contain `name`, `connector.class` or `tasks.max` (they are props), nor credentials
   * in plain text: reference Secrets with `${secrets:<namespace>/<secret>:<key>}`.
   * @default - none
   */
  readonly config?: Record<string, string | number | boolean>;
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

const propsSchema = z.object({
  connect: z.custom<IKafkaConnect>((v) => !!v && typeof (v as IKafkaConnect).connectName === 'string', 'expected a KafkaConnect'),
  class: z.string().regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/, 'expected a fully qualified Java class name'),
  tasksMax: z.number().int().min(1).optional(),
  config: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  state: z.enum(['running', 'paused', 'stopped']).optional(),
  reads: z.array(z.any()).optional(),
  writes: z.array(z.any()).optional(),
  name: z.string().optional(),
  autoRestart: z.boolean().optional(),
}).strict();

/**
 * A connector run by a Strimzi-managed Connect cluster. It gets its own KafkaUser whose ACLs come from `reads` and
 * `writes`; the connector's clients use that user through per-connector client overrides.
 */
export class KafkaConnector extends Construct implements IKafkaPrincipal, IGraphContributor {
  public readonly connectorName: string;
  public readonly kafkaUser: KafkaUser;
  public readonly connect: IKafkaConnect;
  private readonly connectorClass: string;

  constructor(scope: Construct, id: string, props: KafkaConnectorProps) {
    super(scope, id);
    const p = validateProps(this, propsSchema, props);
    this.connect = props.connect;
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
    props.connect._allowSecret(this.kafkaUser.secretName);

    const jaas = `\${secrets:${cluster.userNamespace}/${this.kafkaUser.secretName}:sasl.jaas.config}`;
    const overrides: Record<string, string> = {};
    for (const client of ['consumer', 'producer', 'admin']) {
      overrides[`${client}.override.sasl.mechanism`] = 'SCRAM-SHA-512';
      overrides[`${client}.override.sasl.jaas.config`] = jaas;
    }
    const config = { ...overrides, ...p.config };
    const l1 = new KafkaConnectorL1(this, 'Resource', {
      metadata: {
        name: this.connectorName,
        namespace: props.connect.namespace,
        labels: { 'strimzi.io/cluster': props.connect.connectName },
      },
      spec: {
        class: p.class,
        tasksMax: p.tasksMax ?? 1,
        state: (p.state ?? 'running') as any,
        autoRestart: p.autoRestart === false ? undefined : { enabled: true },
        config: Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b))),
      },
    });
    useClusterApiVersion(l1, cluster);
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
