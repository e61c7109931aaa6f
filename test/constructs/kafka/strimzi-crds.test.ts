import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KafkaConnect, KafkaConnector, KafkaUser, RemovalPolicy, Topic } from 'cdk8s-dataops';
import { synthesize } from 'cdk8s-dataops/testing';
import { BUNDLED_CRDS_DIR } from '../../../lib/schema/bundled';
import { SchemaValidator } from '../../../lib/schema/validator';
import { kafkaFixture } from './support';

// The upstream Strimzi 1.2.0 CRDs, verbatim, as bundled with the package (schemas/crds/strimzi/SOURCE.md; that they
// are byte-identical to upstream is test/lib/schema/crds.test.ts's job).
const validator = new SchemaValidator({ crdDirs: [path.join(BUNDLED_CRDS_DIR, 'strimzi')] });

function everyStrimziObject(apiVersion: 'v1' | 'v1beta2') {
  const { env, cluster } = kafkaFixture({ apiVersion });
  const orders = new Topic(env, 'orders', {
    cluster, topicName: 'payments.orders.v1', partitions: 12, removalPolicy: RemovalPolicy.DESTROY,
    config: { retention: '7d', retentionBytes: 'infinite', cleanupPolicy: 'compact,delete', compressionType: 'zstd', minInsyncReplicas: 2,
      maxMessageBytes: 1_048_576, segmentBytes: 1_073_741_824, segment: '1d', messageTimestampType: 'CreateTime', deleteRetention: '1d',
      minCompactionLag: '0ms', maxCompactionLag: '7d', minCleanableDirtyRatio: 0.5, uncleanLeaderElection: false },
    extraConfig: { 'segment.jitter.ms': 1000, preallocate: false },
  });
  const user = new KafkaUser(env, 'app', { cluster, quotas: { producerByteRate: 1024, consumerByteRate: 2048, requestPercentage: 50, controllerMutationRate: 0.5 } });
  orders.grantReadWrite(user, { consumerGroup: 'app', transactionalId: 'app-', transactionalIdIsPrefix: true });
  user.addAcl({ resourceType: 'cluster', operations: ['DescribeConfigs'] });
  user.addAcl({ resourceType: 'topic', name: '*', operations: ['Describe'], allowWildcard: true });
  user.addAcl({ resourceType: 'topic', name: 'secret.', patternType: 'prefix', operations: ['All'], type: 'deny' });
  new KafkaUser(env, 'tls-app', { cluster, authentication: 'tls' });
  const connect = new KafkaConnect(env, 'cdc', { cluster, version: '4.1.0', config: { 'key.converter': 'org.apache.kafka.connect.json.JsonConverter' } });
  new KafkaConnector(env, 'sink', { connect, class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', reads: [orders], state: 'paused', config: { file: '/tmp/out' } });
  return synthesize(env).filter((o) => o.apiVersion.startsWith('kafka.strimzi.io/'));
}

describe('Strimzi objects validate against the upstream CRDs', () => {
  it('the bundled Strimzi CRDs are loaded, every one of them', () => {
    expect(validator.sourceProblems).toEqual([]);
    for (const kind of ['KafkaTopic', 'KafkaUser', 'KafkaConnect', 'KafkaConnector']) {
      const unknown = validator.validate({ apiVersion: 'kafka.strimzi.io/v1', kind, metadata: { name: 'x', namespace: 'y' }, spec: {} })
        .filter((p) => p.rule === 'unknown-kind' || p.rule === 'not-served');
      expect({ kind, unknown }).toEqual({ kind, unknown: [] });
    }
  });

  it('v1: every KafkaTopic, KafkaUser, KafkaConnect and KafkaConnector', () => {
    const objects = everyStrimziObject('v1');
    expect(new Set(objects.map((o) => o.kind))).toEqual(new Set(['KafkaTopic', 'KafkaUser', 'KafkaConnect', 'KafkaConnector']));
    for (const o of objects) {
      expect({ object: `${o.kind}/${o.metadata.name}`, problems: validator.validate(o).filter((p) => p.severity === 'error') })
        .toEqual({ object: `${o.kind}/${o.metadata.name}`, problems: [] });
    }
  });

  // Strimzi 1.2.0 no longer ships the v1beta2 schema, so v1beta2 objects are checked against the v1 schema with their
  // apiVersion rewritten: the fields we emit for topics, users and connectors are the same in both versions.
  // KafkaConnect differs (v1beta2 keeps group.id and the storage topics in config), so it is checked for that instead.
  it('v1beta2: the same objects, checked against the v1 schema', () => {
    const objects = everyStrimziObject('v1beta2');
    expect(objects.every((o) => o.apiVersion === 'kafka.strimzi.io/v1beta2')).toBe(true);
    for (const o of objects.filter((x) => x.kind !== 'KafkaConnect')) {
      const asV1 = { ...o, apiVersion: 'kafka.strimzi.io/v1' };
      expect({ object: `${o.kind}/${o.metadata.name}`, problems: validator.validate(asV1).filter((p) => p.severity === 'error') })
        .toEqual({ object: `${o.kind}/${o.metadata.name}`, problems: [] });
    }
    const connect = objects.find((o) => o.kind === 'KafkaConnect')!;
    expect(connect.spec.config).toMatchObject({ 'group.id': 'cdc-connect', 'offset.storage.topic': 'cdc-connect-offsets' });
  });

  it('a v1beta2 object is reported as not served by Strimzi 1.2.0', () => {
    const [topic] = everyStrimziObject('v1beta2').filter((o) => o.kind === 'KafkaTopic');
    expect(validator.validate(topic).map((p) => p.message).join('\n')).toMatch(/v1beta2/);
  });

  it('the validator is not a pushover: a bad topic fails', () => {
    const [topic] = everyStrimziObject('v1').filter((o) => o.kind === 'KafkaTopic');
    const bad = { ...topic, spec: { ...topic.spec, partitions: 'twelve' } };
    expect(validator.validate(bad).filter((p) => p.severity === 'error').map((p) => p.field)).toContain('spec.partitions');
  });
});
