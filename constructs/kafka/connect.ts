import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { Environment } from '../../lib/platform';
import { NameRule, objectName, validateName } from '../../lib/names';
import { constructRef, propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import {
  KafkaConnect as KafkaConnectL1, KafkaConnectSpecAuthenticationType, KafkaConnectSpecResourcesLimits, KafkaConnectSpecResourcesRequests,
} from '../imports/strimzi-kafka.strimzi.io';
import { SecretValue, secretValueSchema } from '../secrets/reference';
import { IKafkaCluster, kafkaClusterRef } from './cluster';
import { Topic } from './topic';
import { KafkaUser } from './user';
import { useClusterApiVersion } from './strimzi-object';

/** A Kafka Connect cluster that runs KafkaConnector objects. */
export interface IKafkaConnect {
  /** The KafkaConnect resource name (value of the connectors' `strimzi.io/cluster` label). */
  readonly connectName: string;
  /** Namespace of the KafkaConnect resource (connectors go there). */
  readonly namespace: string;
  /** The Kafka cluster Connect talks to. */
  readonly cluster: IKafkaCluster;
  readonly node: Construct['node'];
  /** @internal allows the Connect workers to read a Secret (a connector user's credentials, a config SecretValue) */
  _allowSecret(secretName: string, namespace: string): void;
}

/** zod check of a prop that holds a Connect cluster ({@link IKafkaConnect}): `is required (a KafkaConnect)` / `expected a KafkaConnect`. */
export const kafkaConnectRef = constructRef<IKafkaConnect>((v) => !!v && typeof (v as IKafkaConnect).connectName === 'string', 'a KafkaConnect');

/** Props of {@link KafkaConnect.fromStrimzi}. */
export interface KafkaConnectReferenceProps {
  /** The KafkaConnect resource name. */
  readonly name: string;
  /** Its namespace. @default - the Kafka cluster's namespace */
  readonly namespace?: string;
  /** The Kafka cluster it talks to. */
  readonly cluster: IKafkaCluster;
}

/** Props of {@link KafkaConnect}. */
export interface KafkaConnectProps {
  /** The Kafka cluster Connect talks to. */
  readonly cluster: IKafkaCluster;
  /** Resource name. @default - derived from the construct id */
  readonly name?: string;
  /** Namespace. @default - the Kafka cluster's namespace */
  readonly namespace?: string;
  /** Worker replicas. @default - 3 in production environments, 1 elsewhere */
  readonly replicas?: number;
  /** Kafka version of the Connect image. @default - Strimzi's default */
  readonly version?: string;
  /** Container image with the connector plugins (build your own `FROM quay.io/strimzi/kafka`). @default - Strimzi's image */
  readonly image?: string;
  /**
   * Worker config (not group.id or storage topics, which are derived). Credentials are SecretValues, rendered as
   * `${secrets:<namespace>/<secret>:<key>}` (the workers may read exactly those Secrets). @default - none
   */
  readonly config?: Readonly<Record<string, string | number | boolean | SecretValue>>;
  /** CPU/memory of each worker. @default - requests 500m/1Gi, limits 2/2Gi */
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
}

const DERIVED_KEYS = ['group.id', 'config.storage.topic', 'offset.storage.topic', 'status.storage.topic',
  'config.providers', 'config.providers.secrets.class', 'connector.client.config.override.policy'];

const CONFIG_VALUE_HINT = 'must be a string, number, boolean or SecretValue: pass credentials as secret.envValue(key) '
  + '(rendered as ${secrets:<namespace>/<secret>:<key>}, read by the Connect workers through Strimzi\'s config provider)';

/** zod schema of a Connect worker or connector config value. */
export const configValueSchema = z.union([z.string(), z.number(), z.boolean(), secretValueSchema()], { error: CONFIG_VALUE_HINT });

const propsSchema = strictPropsSchema<KafkaConnectProps>()({
  cluster: kafkaClusterRef,
  name: z.string().optional(),
  namespace: z.string().optional(),
  replicas: z.number().int().min(1).optional(),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'expected a Kafka version such as 4.1.0').optional(),
  image: z.string().min(1).optional(),
  config: z.record(z.string(), configValueSchema).optional(),
  resources: z.strictObject({ requests: z.record(z.string(), z.string()).optional(), limits: z.record(z.string(), z.string()).optional() }).optional(),
});

/**
 * A Kafka Connect cluster run by Strimzi, with connectors managed as KafkaConnector objects
 * (`strimzi.io/use-connector-resources: "true"`). Its workers get their own KafkaUser with exactly the ACLs Connect
 * needs (its group and its three compacted storage topics, declared as Topics), and each connector runs with its own
 * KafkaUser (per-connector client overrides, credentials read through Strimzi's KubernetesSecretConfigProvider).
 */
export class KafkaConnect extends Construct implements IKafkaConnect {
  /** A KafkaConnect that exists outside this code. It must run with `strimzi.io/use-connector-resources: "true"`,
   * `connector.client.config.override.policy: All` and the `secrets` KubernetesSecretConfigProvider, and may read
   * the connector users' Secrets. */
  public static fromStrimzi(scope: Construct, id: string, props: KafkaConnectReferenceProps): IKafkaConnect {
    return new ImportedKafkaConnect(scope, id, props);
  }

  public readonly connectName: string;
  public readonly namespace: string;
  public readonly cluster: IKafkaCluster;
  /** The KafkaUser the workers authenticate as. */
  public readonly workerUser: KafkaUser;
  /** Secrets the workers may read, by namespace. */
  private readonly readableSecrets = new Map<string, Set<string>>();

  constructor(scope: Construct, id: string, props: KafkaConnectProps) {
    super(scope, id);
    const p = validateProps(this, propsSchema, props);
    this.cluster = props.cluster;
    this.connectName = objectName(this, p.name, NameRule.DNS_LABEL);
    this.namespace = validateName(this, 'namespace', p.namespace ?? props.cluster.namespace, NameRule.DNS_LABEL);
    for (const key of Object.keys(p.config ?? {})) {
      if (DERIVED_KEYS.includes(key)) throw new ValidationError(this, `config["${key}"]`, `'${key}' is derived by KafkaConnect; remove it from config`);
    }
    const production = Environment.tryOf(this)?.production ?? false;
    const groupId = `${this.connectName}-connect`;
    const storage = {
      config: new Topic(this, 'ConfigsTopic', { cluster: props.cluster, topicName: `${this.connectName}-connect-configs`, partitions: 1, config: { cleanupPolicy: 'compact' } }),
      offset: new Topic(this, 'OffsetsTopic', { cluster: props.cluster, topicName: `${this.connectName}-connect-offsets`, partitions: 25, config: { cleanupPolicy: 'compact' } }),
      status: new Topic(this, 'StatusTopic', { cluster: props.cluster, topicName: `${this.connectName}-connect-status`, partitions: 5, config: { cleanupPolicy: 'compact' } }),
    };
    this.workerUser = new KafkaUser(this, 'WorkerUser', { cluster: props.cluster, name: `${this.connectName}-connect` });
    for (const t of Object.values(storage)) {
      t._hideFromLineage();
      t.grantReadWrite(this.workerUser);
      this.workerUser.addAcl({ resourceType: 'topic', name: t.topicName, operations: ['DescribeConfigs'] });
    }
    this.workerUser.addAcl({ resourceType: 'group', name: groupId, operations: ['Read'] });

    // The Role for the connector users' Secrets always exists (an empty one without connectors).
    this.secretsRole(props.cluster.userNamespace);
    const workerConfig: Record<string, string | number | boolean> = {
      ...Object.fromEntries(Object.entries(p.config ?? {}).map(([k, v]) => [k, configValue(this, v)])),
      'config.providers': 'secrets',
      'config.providers.secrets.class': 'io.strimzi.kafka.KubernetesSecretConfigProvider',
      'connector.client.config.override.policy': 'All',
      'config.storage.replication.factor': -1,
      'offset.storage.replication.factor': -1,
      'status.storage.replication.factor': -1,
    };
    const v1 = props.cluster.apiVersion === 'v1';
    const storageSpec = {
      groupId, configStorageTopic: storage.config.topicName, offsetStorageTopic: storage.offset.topicName, statusStorageTopic: storage.status.topicName,
    };
    if (!v1) {
      Object.assign(workerConfig, { 'group.id': groupId, 'config.storage.topic': storageSpec.configStorageTopic,
        'offset.storage.topic': storageSpec.offsetStorageTopic, 'status.storage.topic': storageSpec.statusStorageTopic });
    }
    const l1 = new KafkaConnectL1(this, 'Resource', {
      metadata: {
        name: this.connectName,
        namespace: this.namespace,
        annotations: { 'strimzi.io/use-connector-resources': 'true' },
      },
      spec: {
        replicas: p.replicas ?? (production ? 3 : 1),
        version: p.version,
        image: p.image,
        bootstrapServers: props.cluster.bootstrapServers,
        ...(v1 ? storageSpec : {}) as typeof storageSpec,
        tls: props.cluster.tls ? { trustedCertificates: [{ secretName: props.cluster.caCertSecretName, pattern: '*.crt' }] } : undefined,
        authentication: this.workerUser.authentication === 'scram-sha-512'
          ? { type: KafkaConnectSpecAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512, username: this.workerUser.userName, passwordSecret: { secretName: this.workerUser.secretName, password: 'password' } }
          : { type: KafkaConnectSpecAuthenticationType.TLS, certificateAndKey: { secretName: this.workerUser.secretName, certificate: 'user.crt', key: 'user.key' } },
        config: Object.fromEntries(Object.entries(workerConfig).sort(([a], [b]) => a.localeCompare(b))),
        resources: {
          requests: quantities({ cpu: '500m', memory: '1Gi', ...p.resources?.requests }, KafkaConnectSpecResourcesRequests.fromString),
          limits: quantities({ cpu: '2', memory: '2Gi', ...p.resources?.limits }, KafkaConnectSpecResourcesLimits.fromString),
        },
      },
    });
    useClusterApiVersion(l1, props.cluster);
  }

  /** @internal */
  public _allowSecret(secretName: string, namespace: string): void {
    this.secretsRole(namespace).add(secretName);
  }

  /**
   * The Role (and RoleBinding) in `namespace` that lets the Connect workers (ServiceAccount `<name>-connect`) get
   * exactly the Secrets the config provider resolves there; created on first use. Returns its Secret names.
   */
  private secretsRole(namespace: string): Set<string> {
    let names = this.readableSecrets.get(namespace);
    if (names) return names;
    names = new Set<string>();
    this.readableSecrets.set(namespace, names);
    const secrets = names;
    const role = `${this.connectName}-connect-connector-secrets`;
    // The first (the connector users' namespace) keeps the ids it always had, so its objects keep their names.
    const suffix = this.readableSecrets.size === 1 ? '' : `-${namespace}`;
    new ApiObject(this, `SecretsRole${suffix}`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role',
      metadata: { name: role, namespace },
      // An empty resourceNames list would mean every Secret: without Secrets to read there is no rule at all.
      rules: Lazy.any({ produce: () => (secrets.size === 0 ? [] : [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [...secrets].sort() }]) }),
    });
    new ApiObject(this, `SecretsRoleBinding${suffix}`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding',
      metadata: { name: role, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
      subjects: [{ kind: 'ServiceAccount', name: `${this.connectName}-connect`, namespace: this.namespace }],
    });
    return names;
  }
}

/**
 * A Connect worker or connector config value: a SecretValue becomes a reference to Strimzi's `secrets` config
 * provider (`${secrets:<namespace>/<secret>:<key>}`, KubernetesSecretConfigProvider), and the workers of `connect`
 * may read that Secret.
 */
export function configValue(connect: IKafkaConnect, value: string | number | boolean | SecretValue): string | number | boolean {
  if (!SecretValue.isSecretValue(value)) return value;
  const namespace = value.reference.namespace;
  connect._allowSecret(value.secretName, namespace);
  return `\${secrets:${namespace}/${value.secretName}:${value.key}}`;
}

/** Kubernetes quantities as the generated L1's int-or-string values. */
function quantities<T>(values: Record<string, string>, wrap: (v: string) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, wrap(v)]));
}

class ImportedKafkaConnect extends Construct implements IKafkaConnect {
  public readonly connectName: string;
  public readonly namespace: string;
  public readonly cluster: IKafkaCluster;

  constructor(scope: Construct, id: string, props: KafkaConnectReferenceProps) {
    super(scope, id);
    this.connectName = validateName(this, 'name', props.name, NameRule.DNS_LABEL);
    this.namespace = validateName(this, 'namespace', props.namespace ?? props.cluster.namespace, NameRule.DNS_LABEL);
    this.cluster = props.cluster;
  }

  /** @internal the imported Connect's own RBAC must allow this; nothing is emitted. */
  public _allowSecret(_secretName: string, _namespace: string): void {}
}
