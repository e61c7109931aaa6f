import { describe, expect, it } from 'vitest';
import { KafkaConnect, KafkaConnector, Topic } from 'cdk8s-dataops';
import { findObject, findObjects } from 'cdk8s-dataops/testing';
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
