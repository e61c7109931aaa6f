import { describe, expect, it } from 'vitest';
import { CLUSTER_DIR, manifestPath, MANIFESTS_DIR } from '../../../lib/synthesizer/layout';

describe('manifestPath', () => {
  it('is manifests/<env>/<namespace>/<kind>.<name>.yaml, kind lower-cased', () => {
    expect(manifestPath('prod', { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic', metadata: { name: 'payments.orders.v1', namespace: 'kafka' } }))
      .toBe('manifests/prod/kafka/kafkatopic.payments.orders.v1.yaml');
  });

  it('puts objects without a namespace in _cluster', () => {
    expect(manifestPath('dev', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } })).toBe('manifests/dev/_cluster/namespace.payments.yaml');
    expect([MANIFESTS_DIR, CLUSTER_DIR]).toEqual(['manifests', '_cluster']);
  });

  it('depends only on identity, not on the apiVersion or the content', () => {
    const a = manifestPath('prod', { apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaUser', metadata: { name: 'app', namespace: 'kafka', labels: { a: 'b' } } });
    const b = manifestPath('prod', { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaUser', metadata: { name: 'app', namespace: 'kafka' }, spec: {} });
    expect(a).toBe(b);
  });
});
