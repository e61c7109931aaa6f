import { Construct } from 'constructs';
import { ValidationError } from '../../lib/errors';
import { Environment } from '../../lib/platform';
import { EnvValue, MountSpec } from '../k8s/container';
import { NetworkPeer, NetworkPort, NetworkRule } from '../k8s/network-policy';
import { Volume } from '../k8s/volumes';
import { SecretReference } from '../secrets/reference';
import { Secrets } from '../secrets/secrets';
import { bootstrapPorts } from './cluster';
import { KafkaUser } from './user';

/** What a Kafka client pod needs: environment variables, volumes, mounts and network egress. */
export interface KafkaClientWiring {
  readonly env: Record<string, EnvValue>;
  readonly volumes: Volume[];
  readonly mounts: MountSpec[];
  readonly egress: NetworkRule[];
}

/** Where the cluster CA and the user's certificates are mounted in client pods. */
export const KAFKA_CA_DIR = '/etc/kafka/ca';
export const KAFKA_USER_DIR = '/etc/kafka/user';

/**
 * Wires a pod to Kafka as `user`, with the standard variables client code reads:
 *
 * | variable | value |
 * | --- | --- |
 * | `KAFKA_BOOTSTRAP_SERVERS` | the cluster's bootstrap servers |
 * | `KAFKA_SECURITY_PROTOCOL` | `SASL_SSL`, `SASL_PLAINTEXT` or `SSL` |
 * | `KAFKA_SASL_MECHANISM`, `KAFKA_SASL_USERNAME`, `KAFKA_SASL_PASSWORD`, `KAFKA_SASL_JAAS_CONFIG` | SCRAM users |
 * | `KAFKA_SSL_CA_LOCATION`, `KAFKA_SSL_TRUSTSTORE_LOCATION`, `KAFKA_SSL_TRUSTSTORE_PASSWORD`, `KAFKA_SSL_TRUSTSTORE_TYPE` | TLS listeners |
 * | `KAFKA_SSL_CERTIFICATE_LOCATION`, `KAFKA_SSL_KEY_LOCATION`, `KAFKA_SSL_KEYSTORE_LOCATION`, `KAFKA_SSL_KEYSTORE_PASSWORD` | TLS users |
 *
 * Strimzi creates the user's Secret next to the KafkaUser and the CA Secret in the cluster namespace. A pod in
 * that namespace mounts them directly; elsewhere an ExternalSecret copies them through the cluster's
 * `credentialsStore`, and without one this fails with what to set.
 */
export function kafkaClientWiring(scope: Construct, user: KafkaUser): KafkaClientWiring {
  const cluster = user.cluster;
  const namespace = Environment.of(scope).namespace;
  const scram = user.authentication === 'scram-sha-512';
  const userKeys = scram ? ['password', 'sasl.jaas.config'] : ['user.crt', 'user.key', 'user.p12', 'user.password'];
  const caKeys = cluster.tls ? ['ca.crt', 'ca.p12', 'ca.password'] : [];

  let userSecret: SecretReference;
  let caSecret: SecretReference | undefined;
  const local = namespace === cluster.userNamespace && (caKeys.length === 0 || namespace === cluster.namespace);
  if (local) {
    userSecret = Secrets.fromSecretName(scope, 'KafkaUserSecret', user.secretName, { keys: userKeys });
    if (caKeys.length > 0) caSecret = Secrets.fromSecretName(scope, 'KafkaCaSecret', cluster.caCertSecretName, { keys: caKeys });
  } else if (cluster.credentialsStore && (caKeys.length === 0 || cluster.userNamespace === cluster.namespace)) {
    const keys: Record<string, string> = {};
    for (const k of userKeys) keys[k] = `${user.secretName}#${k}`;
    for (const k of caKeys) keys[k] = `${cluster.caCertSecretName}#${k}`;
    userSecret = Secrets.fromExternal(scope, 'KafkaCredentials', { name: `${user.secretName}-kafka`, store: cluster.credentialsStore, keys });
    if (caKeys.length > 0) caSecret = userSecret;
  } else {
    throw new ValidationError(scope, 'cluster', `Strimzi creates the credentials of KafkaUser '${user.userName}' in namespace ` +
      `'${cluster.userNamespace}'${caKeys.length ? ` and the cluster CA in '${cluster.namespace}'` : ''}, but this pod runs in '${namespace}'. ` +
      `Set 'credentialsStore' on the KafkaCluster (an External Secrets store that reads '${cluster.namespace}') or 'userNamespace: "${namespace}"' ` +
      'when a User Operator watches this namespace');
  }

  const env: Record<string, EnvValue> = { KAFKA_BOOTSTRAP_SERVERS: cluster.bootstrapServers };
  env.KAFKA_SECURITY_PROTOCOL = scram ? (cluster.tls ? 'SASL_SSL' : 'SASL_PLAINTEXT') : 'SSL';
  const volumes: Volume[] = [];
  const mounts: MountSpec[] = [];
  if (scram) {
    env.KAFKA_SASL_MECHANISM = 'SCRAM-SHA-512';
    env.KAFKA_SASL_USERNAME = user.userName;
    env.KAFKA_SASL_PASSWORD = userSecret.envValue('password');
    env.KAFKA_SASL_JAAS_CONFIG = userSecret.envValue('sasl.jaas.config');
  } else {
    volumes.push(Volume.secret('kafka-user', userSecret, { items: { 'user.crt': 'user.crt', 'user.key': 'user.key', 'user.p12': 'user.p12' } }));
    mounts.push({ volume: 'kafka-user', path: KAFKA_USER_DIR });
    env.KAFKA_SSL_CERTIFICATE_LOCATION = `${KAFKA_USER_DIR}/user.crt`;
    env.KAFKA_SSL_KEY_LOCATION = `${KAFKA_USER_DIR}/user.key`;
    env.KAFKA_SSL_KEYSTORE_LOCATION = `${KAFKA_USER_DIR}/user.p12`;
    env.KAFKA_SSL_KEYSTORE_PASSWORD = userSecret.envValue('user.password');
  }
  if (caSecret) {
    volumes.push(Volume.secret('kafka-ca', caSecret, { items: { 'ca.crt': 'ca.crt', 'ca.p12': 'ca.p12' } }));
    mounts.push({ volume: 'kafka-ca', path: KAFKA_CA_DIR });
    env.KAFKA_SSL_CA_LOCATION = `${KAFKA_CA_DIR}/ca.crt`;
    env.KAFKA_SSL_TRUSTSTORE_LOCATION = `${KAFKA_CA_DIR}/ca.p12`;
    env.KAFKA_SSL_TRUSTSTORE_TYPE = 'PKCS12';
    env.KAFKA_SSL_TRUSTSTORE_PASSWORD = caSecret.envValue('ca.password');
  }
  const egress: NetworkRule[] = [{
    peer: NetworkPeer.pods({ 'strimzi.io/cluster': cluster.clusterName, 'strimzi.io/kind': 'Kafka' }, { namespace: cluster.namespace }),
    ports: bootstrapPorts(cluster).map((p) => NetworkPort.tcp(p)),
  }];
  return { env, volumes, mounts, egress };
}
