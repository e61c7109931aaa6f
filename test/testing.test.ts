import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { DataOpsError, DataPlatform, Environment, KafkaCluster, Topic } from 'cdk8s-dataops';
import { collectObjects } from '../lib/synthesizer/collect';
import { findObject, findObjects, synthesize } from 'cdk8s-dataops/testing';

function platform() {
  const p = new DataPlatform();
  const prod = new Environment(p, 'prod', { namespace: 'payments' });
  const cluster = KafkaCluster.fromStrimzi(prod, 'kafka', { name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093' });
  new Topic(prod, 'orders', { cluster, topicName: 'payments.orders.v1', partitions: 12 });
  new Topic(prod, 'refunds', { cluster, topicName: 'payments.refunds.v1' });
  new ApiObject(prod, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', data: { tier: 'gold' } });
  new ApiObject(prod, 'settings-2', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'other' }, data: { tier: 'silver' } });
  return { p, prod };
}

describe('synthesize', () => {
  it('returns the resolved objects of an environment, as npx synth would write them', () => {
    const { prod } = platform();
    const objects = synthesize(prod);
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'KafkaTopic/kafka/payments.orders.v1', 'KafkaTopic/kafka/payments.refunds.v1', 'ConfigMap/payments/settings', 'ConfigMap/other/settings',
    ]);
    expect(objects[0].spec.partitions).toBe(12);
  });

  it('applies the output rules (a plaintext Secret fails the test, as it would fail synth)', () => {
    const { prod } = platform();
    new ApiObject(prod, 'db', { apiVersion: 'v1', kind: 'Secret', stringData: { password: 'x' } });
    expect(() => synthesize(prod)).toThrow(/^prod\/db: Secret 'db' carries plaintext values .*\[DOP-SECRETS-001\]$/);
  });
});

describe('findObject', () => {
  it('finds the one object of a kind by name, reading like the README example', () => {
    const { prod } = platform();
    expect(findObject(prod, 'KafkaTopic', 'payments.orders.v1').spec.partitions).toBe(12);
    expect(findObject(prod, 'ConfigMap', 'settings', 'other').data.tier).toBe('silver');
  });

  it('says which objects of that kind exist when the name is wrong', () => {
    const { prod } = platform();
    expect(() => findObject(prod, 'KafkaTopic', 'orders')).toThrow(DataOpsError);
    expect(() => findObject(prod, 'KafkaTopic', 'orders')).toThrow(
      "no KafkaTopic named 'orders'; KafkaTopic objects: kafka/payments.orders.v1, kafka/payments.refunds.v1",
    );
    expect(() => findObject(prod, 'ConfigMap', 'settings', 'dev')).toThrow(
      "no ConfigMap named 'settings' in namespace 'dev'; ConfigMap objects: payments/settings, other/settings",
    );
  });

  it('says which kinds exist when there is no object of that kind at all', () => {
    const { prod } = platform();
    expect(() => findObject(prod, 'Kafkatopic', 'payments.orders.v1')).toThrow(
      "no Kafkatopic named 'payments.orders.v1'; there is no Kafkatopic at all (kinds: ConfigMap, KafkaTopic)",
    );
  });

  it('asks for a namespace when the name is ambiguous', () => {
    const { prod } = platform();
    expect(() => findObject(prod, 'ConfigMap', 'settings')).toThrow("2 ConfigMap objects are named 'settings' (in payments, other); pass a namespace");
  });

  it('also searches objects already synthesized (SynthesizedObject[] or plain objects)', () => {
    const { p } = platform();
    const collected = collectObjects(p);
    expect(findObject(collected, 'KafkaTopic', 'payments.refunds.v1').spec.topicName).toBe('payments.refunds.v1');
    expect(findObject(collected.map((o) => o.object), 'ConfigMap', 'settings', 'payments').data.tier).toBe('gold');
  });
});

describe('findObjects', () => {
  it('returns every object of a kind, optionally filtered', () => {
    const { prod } = platform();
    expect(findObjects(prod, 'KafkaTopic').map((o) => o.metadata.name)).toEqual(['payments.orders.v1', 'payments.refunds.v1']);
    expect(findObjects(prod, 'KafkaTopic', (t) => t.spec.partitions > 3).map((o) => o.metadata.name)).toEqual(['payments.orders.v1']);
    expect(findObjects(prod, 'Deployment')).toEqual([]);
  });
});
