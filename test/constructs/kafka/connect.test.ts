import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Environment, KafkaConnect, KafkaConnector, Secrets, Topic } from 'cdk8s-dataops';
import { findObject, findObjects, synthesize } from 'cdk8s-dataops/testing';
import { SchemaValidator } from '../../../lib/schema/validator';
import { kafkaFixture } from './support';

describe('KafkaConnect and KafkaConnector', () => {
  function setup(apiVersion?: 'v1' | 'v1beta2') {
    const f = kafkaFixture({ apiVersion });
    const connect = new KafkaConnect(f.env, 'cdc', { cluster: f.cluster, image: 'registry.example.com/connect:1.0' });
    const orders = new Topic(f.env, 'orders', { cluster: f.cluster, topicName: 'payments.orders.v1' });
    const connector = new KafkaConnector(f.env, 'orders-sink', {
      connect, class: 'io.confluent.connect.jdbc.JdbcSinkConnector', tasksMax: 2, reads: [orders],
      config: { 'connection.url': 'jdbc:postgresql://db:5432/orders', 'connection.password': '${secrets:payments/db:password}' },
    });
    return { ...f, connect, connector };
  }

  it('says a missing Connect cluster is required, and what a wrong one or a wrong topic should be', () => {
    const { env, connect } = setup();
    expect(() => new KafkaConnector(env, 'a', { class: 'io.acme.Sink' } as never)).toThrow("prod/a, field 'connect': is required (a KafkaConnect)");
    expect(() => new KafkaConnector(env, 'b', { connect: 'cdc', class: 'io.acme.Sink' } as never)).toThrow("prod/b, field 'connect': expected a KafkaConnect");
    expect(() => new KafkaConnector(env, 'c', { connect, class: 'io.acme.Sink', reads: ['payments.orders.v1'] } as never))
      .toThrow("prod/c, field 'reads[0]': expected a Topic");
  });

  it('runs Connect with connector resources, its own user and declared storage topics', () => {
    const { env } = setup();
    const connect = findObject(env, 'KafkaConnect', 'cdc');
    expect(connect.metadata.annotations['strimzi.io/use-connector-resources']).toBe('true');
    expect(connect.spec).toMatchObject({
      replicas: 3, bootstrapServers: 'main-kafka-bootstrap.kafka:9093', groupId: 'cdc-connect',
      configStorageTopic: 'cdc-connect-configs', offsetStorageTopic: 'cdc-connect-offsets', statusStorageTopic: 'cdc-connect-status',
      tls: { trustedCertificates: [{ secretName: 'main-cluster-ca-cert', pattern: '*.crt' }] },
      authentication: { type: 'scram-sha-512', username: 'cdc-connect', passwordSecret: { secretName: 'cdc-connect', password: 'password' } },
    });
    expect(connect.spec.config['connector.client.config.override.policy']).toBe('All');
    expect(findObjects(env, 'KafkaTopic').map((t) => [t.spec.topicName, t.spec.config['cleanup.policy']])).toEqual(
      expect.arrayContaining([['cdc-connect-configs', 'compact'], ['cdc-connect-offsets', 'compact'], ['cdc-connect-status', 'compact']]));
    const worker = findObject(env, 'KafkaUser', 'cdc-connect').spec.authorization.acls;
    expect(worker).toContainEqual({ type: 'allow', resource: { type: 'group', name: 'cdc-connect', patternType: 'literal' }, host: '*', operations: ['Read'] });
    expect(worker).toContainEqual({ type: 'allow', resource: { type: 'topic', name: 'cdc-connect-offsets', patternType: 'literal' }, host: '*', operations: ['Read', 'Write', 'Describe', 'DescribeConfigs'] });
    // The workers may read exactly the connector users' Secrets.
    expect(findObject(env, 'Role', 'cdc-connect-connector-secrets').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['orders-sink-connector'] }]);
  });

  it('gives each connector its own user with grants from reads/writes', () => {
    const { env } = setup();
    const c = findObject(env, 'KafkaConnector', 'orders-sink');
    expect(c.metadata.labels['strimzi.io/cluster']).toBe('cdc');
    expect(c.spec).toMatchObject({ class: 'io.confluent.connect.jdbc.JdbcSinkConnector', tasksMax: 2, state: 'running', autoRestart: { enabled: true } });
    expect(c.spec.config['consumer.override.sasl.jaas.config']).toBe('${secrets:kafka/orders-sink-connector:sasl.jaas.config}');
    expect(findObject(env, 'KafkaUser', 'orders-sink-connector').spec.authorization.acls).toEqual([
      { type: 'allow', resource: { type: 'topic', name: 'payments.orders.v1', patternType: 'literal' }, host: '*', operations: ['Read', 'Describe'] },
      { type: 'allow', resource: { type: 'group', name: 'connect-orders-sink', patternType: 'literal' }, host: '*', operations: ['Read'] },
    ]);
  });

  it('puts storage settings in config for v1beta2', () => {
    const { env } = setup('v1beta2');
    const connect = findObject(env, 'KafkaConnect', 'cdc');
    expect(connect.apiVersion).toBe('kafka.strimzi.io/v1beta2');
    expect(connect.spec.groupId).toBeUndefined();
    expect(connect.spec.config).toMatchObject({ 'group.id': 'cdc-connect', 'config.storage.topic': 'cdc-connect-configs' });
  });

  it('refuses name, connector.class and tasks.max in config', () => {
    const f = kafkaFixture();
    const connect = KafkaConnect.fromStrimzi(f.env, 'existing', { name: 'connect', cluster: f.cluster });
    for (const [key, prop] of [['connector.class', 'class'], ['tasks.max', 'tasksMax'], ['name', 'name']]) {
      expect(() => new KafkaConnector(f.env, `c-${prop}`, { connect, class: 'a.B', config: { [key]: 'x' } }))
        .toThrow(new RegExp(`field 'config\\["${key}"\\]': set '${key}' with the '${prop}' prop`));
    }
    expect(() => new KafkaConnector(f.env, 'bad', { connect, class: 'NotQualified' })).toThrow(/field 'class': expected a fully qualified Java class name/);
  });

  it('emits no Role rule at all when no connector needs a Secret', () => {
    const f = kafkaFixture();
    new KafkaConnect(f.env, 'idle', { cluster: f.cluster });
    expect(findObject(f.env, 'Role', 'idle-connect-connector-secrets').rules).toEqual([]);
  });
});

describe('KafkaConnector config takes SecretValues', () => {
  // The upstream Strimzi CRDs vendored in the repository (schemas/crds/strimzi).
  const validator = new SchemaValidator({ crdDirs: [path.resolve(__dirname, '../../../schemas/crds/strimzi')] });

  function sink() {
    const f = kafkaFixture();
    const connect = new KafkaConnect(f.env, 'cdc', { cluster: f.cluster });
    // A Secret of this environment ('payments') and one of another environment's namespace ('warehouse').
    const db = Secrets.fromExternal(f.env, 'Db', { store: { name: 'vault', kind: 'ClusterSecretStore' }, keys: { password: 'db#password', user: 'db#user' } });
    const other = new Environment(f.platform, 'warehouse', { namespace: 'warehouse' });
    const token = Secrets.fromSecretName(other, 'Token', 'warehouse-token', { keys: ['token'] });
    new KafkaConnector(f.env, 'orders-sink', {
      connect, class: 'io.confluent.connect.jdbc.JdbcSinkConnector',
      config: { 'connection.user': db.envValue('user'), 'connection.password': db.envValue('password'), 'api.token': token.envValue('token'), 'batch.size': 100 },
    });
    return f;
  }

  it("renders Strimzi's config-provider references, never a value", () => {
    const { env } = sink();
    const c = findObject(env, 'KafkaConnector', 'orders-sink');
    expect(c.spec.config).toMatchObject({
      'connection.user': '${secrets:payments/db:user}',
      'connection.password': '${secrets:payments/db:password}',
      'api.token': '${secrets:warehouse/warehouse-token:token}',
      'batch.size': 100,
    });
    // The workers resolve them with the provider KafkaConnect configures.
    expect(findObject(env, 'KafkaConnect', 'cdc').spec.config).toMatchObject({
      'config.providers': 'secrets', 'config.providers.secrets.class': 'io.strimzi.kafka.KubernetesSecretConfigProvider',
    });
  });

  it('lets the Connect workers read exactly those Secrets, in their namespaces', () => {
    const { env } = sink();
    const roles = synthesize(env).filter((o) => o.kind === 'Role' || o.kind === 'RoleBinding');
    const role = (ns: string) => roles.find((o) => o.kind === 'Role' && o.metadata.namespace === ns);
    expect(role('kafka')!.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['orders-sink-connector'] }]);
    expect(role('payments')!.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['db'] }]);
    expect(role('warehouse')!.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['warehouse-token'] }]);
    for (const ns of ['kafka', 'payments', 'warehouse']) {
      const binding = roles.find((o) => o.kind === 'RoleBinding' && o.metadata.namespace === ns)!;
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cdc-connect-connector-secrets' });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'cdc-connect', namespace: 'kafka' }]);
    }
  });

  it('emits Strimzi objects the upstream CRDs accept', () => {
    const { env } = sink();
    const objects = synthesize(env).filter((o) => o.apiVersion.startsWith('kafka.strimzi.io/'));
    expect(objects.map((o) => o.kind)).toContain('KafkaConnector');
    for (const o of objects) {
      expect({ object: `${o.kind}/${o.metadata.name}`, problems: validator.validate(o).filter((p) => p.severity === 'error') })
        .toEqual({ object: `${o.kind}/${o.metadata.name}`, problems: [] });
    }
  });

  it('says how to pass a credential when a value is neither plain nor a SecretValue', () => {
    const f = kafkaFixture();
    const connect = KafkaConnect.fromStrimzi(f.env, 'existing', { name: 'connect', cluster: f.cluster });
    expect(() => new KafkaConnector(f.env, 'bad', { connect, class: 'a.B', config: { 'connection.password': { value: 'hunter2' } as never } }))
      .toThrow("prod/bad, field 'config.connection.password': must be a string, number, boolean or SecretValue: pass credentials as secret.envValue(key) (rendered as ${secrets:<namespace>/<secret>:<key>}, read by the Connect workers through Strimzi's config provider)");
  });
});

describe('KafkaConnect worker config takes SecretValues', () => {
  it('renders a config-provider reference and lets the workers read that Secret', () => {
    const f = kafkaFixture();
    const creds = Secrets.fromSecretName(f.env, 'Registry', 'registry-creds', { keys: ['password'] });
    new KafkaConnect(f.env, 'cdc', { cluster: f.cluster, config: { 'value.converter.basic.auth.user.info': creds.envValue('password') } });
    expect(findObject(f.env, 'KafkaConnect', 'cdc').spec.config['value.converter.basic.auth.user.info']).toBe('${secrets:payments/registry-creds:password}');
    const role = synthesize(f.env).find((o) => o.kind === 'Role' && o.metadata.namespace === 'payments')!;
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['registry-creds'] }]);
    // The connector users' Role keeps its place and name.
    expect(findObject(f.env, 'Role', 'cdc-connect-connector-secrets', 'kafka').rules).toEqual([]);
  });
});
