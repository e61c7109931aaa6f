/**
 * Proves the Kafka test harness runs a REAL broker with real SASL/SCRAM and real ACLs, for both
 * supported Kafka lines. The first run resolves ~45 MB of jars per version with Maven (cached in
 * .cache/kafka), hence the generous timeouts.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
  type Admin,
} from 'kafkajs';
import { KAFKA_VERSIONS, startBroker, type BrokerHandle } from './broker';

const TIMEOUT = 180_000;

/** Error types and messages along a kafkajs error chain (retriers wrap the protocol error). */
function errorTypes(err: unknown): string[] {
  const out: string[] = [];
  let e: unknown = err;
  for (let i = 0; e && i < 6; i++) {
    const rec = e as { type?: string; message?: string; originalError?: unknown; cause?: unknown };
    if (rec.type) out.push(rec.type);
    if (rec.message) out.push(rec.message);
    e = rec.originalError ?? rec.cause;
  }
  return out;
}


describe.each([
  ['current', KAFKA_VERSIONS.current],
  ['legacy', KAFKA_VERSIONS.legacy],
])('real Kafka broker (%s: %s)', (_label, version) => {
  let broker: BrokerHandle;
  let kafka: Kafka;
  let admin: Admin;
  const topic = `harness-${version.replace(/\./g, '-')}`;

  const clientFor = (username: string, password: string): Kafka =>
    new Kafka({
      clientId: `harness-test-${username}`,
      brokers: [broker.bootstrap],
      sasl: { mechanism: 'scram-sha-512', username, password },
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });

  beforeAll(async () => {
    broker = await startBroker({ version });
    // eslint-disable-next-line no-console
    console.log(`Kafka ${broker.version} ready on ${broker.bootstrap} in ${broker.lastStartupMs} ms`);
    kafka = new Kafka({
      clientId: 'harness-test-admin',
      brokers: [broker.bootstrap],
      sasl: broker.sasl,
      logLevel: logLevel.NOTHING,
    });
    admin = kafka.admin();
    await admin.connect();
  }, TIMEOUT);

  afterAll(async () => {
    await admin?.disconnect().catch(() => undefined);
    await broker?.destroy();
  }, TIMEOUT);

  it('is the requested version on loopback, authenticated as the admin super user', async () => {
    expect(broker.version).toBe(version);
    expect(broker.bootstrap).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(broker.sasl.mechanism).toBe('scram-sha-512');
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toHaveLength(1);
    expect(cluster.brokers[0]).toMatchObject({ nodeId: 1, host: '127.0.0.1', port: broker.ports.client });
  });

  it('rejects a wrong password', async () => {
    const bad = clientFor(broker.sasl.username, 'wrong-password').admin();
    await expect(bad.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed|Authentication failed/i);
  });

  it('creates a topic, produces and consumes a message', async () => {
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true })).toBe(true);
    expect(await admin.listTopics()).toContain(topic);

    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k1', value: 'hello from the harness' }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `${topic}-group`, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message consumed within 60 s')), 60_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve(`${message.key?.toString()}=${message.value?.toString()}`);
        },
      });
    });
    await consumer.disconnect();
    expect(received).toBe('k1=hello from the harness');
  }, TIMEOUT);

  it('creates ACLs and reads them back', async () => {
    const acl = {
      resourceType: AclResourceTypes.TOPIC,
      resourceName: 'orders-',
      resourcePatternType: ResourcePatternTypes.PREFIXED,
      principal: 'User:carol',
      host: '*',
      operation: AclOperationTypes.READ,
      permissionType: AclPermissionTypes.ALLOW,
    };
    await admin.createAcls({ acl: [acl] });
    const described = await eventually(async () => {
      const res = await admin.describeAcls({
        resourceType: AclResourceTypes.TOPIC,
        resourcePatternType: ResourcePatternTypes.ANY,
        principal: 'User:carol',
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      if (res.resources.length === 0) throw new Error('ACL not visible yet');
      return res;
    });
    expect(described.errorCode ?? 0).toBe(0); // kafkajs leaves it out on success
    expect(described.resources).toEqual([
      {
        resourceType: AclResourceTypes.TOPIC,
        resourceName: 'orders-',
        resourcePatternType: ResourcePatternTypes.PREFIXED,
        acls: [
          {
            principal: 'User:carol',
            host: '*',
            operation: AclOperationTypes.READ,
            permissionType: AclPermissionTypes.ALLOW,
          },
        ],
      },
    ]);
  });

  it('denies a SCRAM user without ACLs, and allows it after granting WRITE', async () => {
    await broker.createScramUser('bob', 'bob-secret-1');
    const producer = clientFor('bob', 'bob-secret-1').producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    try {
      const denied = await producer.send({ topic, messages: [{ value: 'denied' }] }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(denied, 'bob must not be able to write without an ACL').toBeDefined();
      expect(errorTypes(denied).join(' | ')).toMatch(/TOPIC_AUTHORIZATION_FAILED|not authorized/i);

      await admin.createAcls({
        acl: [
          {
            resourceType: AclResourceTypes.TOPIC,
            resourceName: topic,
            resourcePatternType: ResourcePatternTypes.LITERAL,
            principal: 'User:bob',
            host: '*',
            operation: AclOperationTypes.WRITE,
            permissionType: AclPermissionTypes.ALLOW,
          },
        ],
      });
      const sent = await eventually(() => producer.send({ topic, messages: [{ value: 'allowed' }] }));
      expect(sent[0]).toMatchObject({ topicName: topic, errorCode: 0 });
    } finally {
      await producer.disconnect();
    }
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets[0]?.high).toBe('2'); // 'hello from the harness' + 'allowed'
  }, TIMEOUT);

  it('keeps topics, data, users and ACLs across stop() and start() on the same port', async () => {
    const port = broker.ports.client;
    await admin.disconnect();
    await broker.stop();
    expect(broker.running).toBe(false);
    await expect(clientFor(broker.sasl.username, broker.sasl.password).admin().connect()).rejects.toThrow();

    await broker.start();
    expect(broker.running).toBe(true);
    expect(broker.ports.client).toBe(port);
    // eslint-disable-next-line no-console
    console.log(`Kafka ${broker.version} restarted in ${broker.lastStartupMs} ms`);
    admin = kafka.admin();
    await admin.connect();
    expect(await admin.listTopics()).toContain(topic);
    expect((await eventually(() => admin.fetchTopicOffsets(topic)))[0]?.high).toBe('2');

    // bob (created after format, so stored in the metadata log) and his ACL survived too.
    const producer = clientFor('bob', 'bob-secret-1').producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await eventually(() => producer.send({ topic, messages: [{ value: 'after restart' }] }));
    await producer.disconnect();
  }, TIMEOUT);

  it('destroy() stops the broker and removes its temp dir', async () => {
    await admin.disconnect();
    const dir = broker.dir;
    expect(existsSync(dir)).toBe(true);
    await broker.destroy();
    expect(broker.running).toBe(false);
    expect(existsSync(dir)).toBe(process.env.KAFKA_HARNESS_KEEP ? true : false);
  }, TIMEOUT);
});
