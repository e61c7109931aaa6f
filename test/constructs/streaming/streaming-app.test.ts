import { describe, expect, it } from 'vitest';
import { KafkaCluster, Secrets, StreamingApp, Topic } from 'cdk8s-dataops';
import { findObject, findObjects } from 'cdk8s-dataops/testing';
import { kafkaFixture } from '../kafka/support';

function chained() {
  const f = kafkaFixture();
  const cluster = KafkaCluster.fromStrimzi(f.env, 'local', {
    name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093', credentialsStore: { name: 'strimzi-users' },
  });
  const input = new Topic(f.env, 'in', { cluster, topicName: 'orders' });
  const output = new Topic(f.env, 'out', { cluster, topicName: 'orders-enriched' });
  const app = new StreamingApp(f.env, 'enricher', { image: 'ghcr.io/acme/enricher:1.0.0', cluster, reads: [input], writes: [output], port: 8080 });
  return { ...f, cluster, app };
}

describe('StreamingApp', () => {
  it('says what is wrong with a topic that is not a Topic (a topic name, a forgotten variable)', () => {
    const f = kafkaFixture();
    expect(() => new StreamingApp(f.env, 'a', { image: 'ghcr.io/acme/a:1.0.0', cluster: f.cluster, reads: ['orders'] } as never))
      .toThrow("prod/a, field 'reads[0]': expected a Topic");
    expect(() => new StreamingApp(f.env, 'b', { image: 'ghcr.io/acme/b:1.0.0', cluster: f.cluster, writes: [undefined] } as never))
      .toThrow("prod/b, field 'writes[0]': is required (a Topic)");
  });

  it('derives a minimal, exact ACL list from reads and writes', () => {
    const { env } = chained();
    expect(findObject(env, 'KafkaUser', 'enricher').spec.authorization.acls).toEqual([
      { type: 'allow', resource: { type: 'topic', name: 'orders', patternType: 'literal' }, host: '*', operations: ['Read', 'Describe'] },
      { type: 'allow', resource: { type: 'topic', name: 'orders-enriched', patternType: 'literal' }, host: '*', operations: ['Write', 'Describe'] },
      { type: 'allow', resource: { type: 'group', name: 'enricher', patternType: 'literal' }, host: '*', operations: ['Read'] },
    ]);
  });

  it('runs non-root on a read-only filesystem with limits and no service-account token', () => {
    const { env } = chained();
    const pod = findObject(env, 'Deployment', 'enricher').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const [c] = pod.containers;
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c.resources.requests).toBeDefined();
    expect(c.resources.limits).toBeDefined();
  });

  it('mounts credentials copied by an ExternalSecret and sets the standard Kafka variables', () => {
    const { env } = chained();
    const [c] = findObject(env, 'Deployment', 'enricher').spec.template.spec.containers;
    const vars = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(vars).toMatchObject({
      KAFKA_BOOTSTRAP_SERVERS: 'main-kafka-bootstrap.kafka:9093', KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'enricher', KAFKA_SASL_PASSWORD: { secretKeyRef: { name: 'enricher-kafka', key: 'password' } },
      KAFKA_GROUP_ID: 'enricher', KAFKA_INPUT_TOPICS: 'orders', KAFKA_OUTPUT_TOPICS: 'orders-enriched', KAFKA_SSL_CA_LOCATION: '/etc/kafka/ca/ca.crt',
    });
    const es = findObject(env, 'ExternalSecret', 'enricher-kafka');
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'strimzi-users' });
    expect(es.spec.data.map((d: any) => `${d.secretKey}<-${d.remoteRef.key}#${d.remoteRef.property}`)).toEqual([
      'password<-enricher#password', 'sasl.jaas.config<-enricher#sasl.jaas.config',
      'ca.crt<-main-cluster-ca-cert#ca.crt', 'ca.p12<-main-cluster-ca-cert#ca.p12', 'ca.password<-main-cluster-ca-cert#ca.password',
    ]);
    expect(findObjects(env, 'Secret')).toEqual([]);
  });

  it('allows egress to the Kafka brokers and DNS only', () => {
    const { env } = chained();
    const np = findObject(env, 'NetworkPolicy', 'enricher');
    expect(np.spec.policyTypes).toEqual(['Egress', 'Ingress']);
    expect(np.spec.ingress ?? []).toEqual([]);
    expect(np.spec.egress).toEqual([
      { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }] },
      { ports: [{ port: 9093, protocol: 'TCP' }], to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kafka' } }, podSelector: { matchLabels: { 'strimzi.io/cluster': 'main', 'strimzi.io/kind': 'Kafka' } } }] },
    ]);
  });

  it('mounts the Strimzi Secrets directly when the app runs next to its KafkaUser', () => {
    const f = kafkaFixture();
    const cluster = KafkaCluster.fromStrimzi(f.env, 'local', { name: 'main', namespace: 'payments', bootstrapServers: 'main-kafka-bootstrap.payments:9092' });
    const t = new Topic(f.env, 't', { cluster, topicName: 't' });
    new StreamingApp(f.env, 'reader', { image: 'ghcr.io/acme/reader:1.0.0', cluster, reads: [t] });
    const [c] = findObject(f.env, 'Deployment', 'reader').spec.template.spec.containers;
    expect(c.env).toContainEqual({ name: 'KAFKA_SASL_PASSWORD', valueFrom: { secretKeyRef: { name: 'reader', key: 'password' } } });
    expect(c.env).toContainEqual({ name: 'KAFKA_SECURITY_PROTOCOL', value: 'SASL_PLAINTEXT' });
    expect(findObjects(f.env, 'ExternalSecret')).toEqual([]);
  });

  it('explains what to set when credentials live in another namespace and cannot be copied', () => {
    const { env, cluster } = kafkaFixture();
    expect(() => new StreamingApp(env, 'lost', { image: 'ghcr.io/acme/x:1.0.0', cluster }))
      .toThrow(/prod\/lost, field 'cluster': Strimzi creates the credentials of KafkaUser 'lost' in namespace 'kafka'.*runs in 'payments'. Set 'credentialsStore'/);
  });

  it('refuses an unpinned image', () => {
    const { env, cluster } = chained();
    expect(() => new StreamingApp(env, 'x', { image: 'ghcr.io/acme/app', cluster })).toThrow(/field 'image': pin the image with a tag or digest/);
  });
});

describe('StreamingApp credentials', () => {
  it('takes a SecretValue in env and renders a secretKeyRef, never the value', () => {
    const f = kafkaFixture();
    const cluster = KafkaCluster.fromStrimzi(f.env, 'local', {
      name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093', credentialsStore: { name: 'strimzi-users' },
    });
    const db = Secrets.fromExternal(f.env, 'Db', { store: { name: 'vault' }, keys: { password: 'db#password' } });
    new StreamingApp(f.env, 'enricher', { image: 'ghcr.io/acme/enricher:1.0.0', cluster, env: { DB_PASSWORD: db.envValue('password'), MODE: 'fast' } });
    const c = findObject(f.env, 'Deployment', 'enricher').spec.template.spec.containers[0];
    expect(c.env).toContainEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } });
    expect(c.env).toContainEqual({ name: 'MODE', value: 'fast' });
  });

  it('passes the container settings it shares with every container through (startupProbe, user)', () => {
    const f = kafkaFixture();
    const cluster = KafkaCluster.fromStrimzi(f.env, 'local', {
      name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093', credentialsStore: { name: 'strimzi-users' },
    });
    new StreamingApp(f.env, 'enricher', { image: 'ghcr.io/acme/enricher:1.0.0', cluster, user: 1001, startupProbe: { tcpSocket: { port: 8080 } } });
    const c = findObject(f.env, 'Deployment', 'enricher').spec.template.spec.containers[0];
    expect(c.securityContext.runAsUser).toBe(1001);
    expect(c.startupProbe.tcpSocket).toEqual({ port: 8080 });
  });
});
