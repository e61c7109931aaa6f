import { describe, expect, it } from 'vitest';
import { KafkaCluster, KafkaUser, Pipeline, synthesizePlatform, Topic } from 'cdk8s-dataops';
import { findObject } from 'cdk8s-dataops/testing';
import { kafkaFixture, tempOutdir } from '../kafka/support';

describe('Pipeline', () => {
  it('stamps owner, domain and tags on every object inside, and nothing outside', () => {
    const { env, cluster } = kafkaFixture();
    const p = new Pipeline(env, 'orders', { owner: 'team-payments', domain: 'payments', tags: ['pii'], description: 'Orders' });
    new Topic(p, 'raw', { cluster, topicName: 'orders' });
    new Topic(env, 'other', { cluster, topicName: 'other' });
    const t = findObject(env, 'KafkaTopic', 'orders');
    expect(t.metadata.labels).toMatchObject({
      'dataops.cdk8s.io/pipeline': 'orders', 'dataops.cdk8s.io/owner': 'team-payments', 'dataops.cdk8s.io/domain': 'payments', 'tags.dataops.cdk8s.io/pii': 'true',
      'strimzi.io/cluster': 'main',
    });
    expect(t.metadata.annotations).toMatchObject({ 'dataops.cdk8s.io/owner': 'team-payments', 'dataops.cdk8s.io/description': 'Orders' });
    expect(findObject(env, 'KafkaTopic', 'other').metadata.labels['dataops.cdk8s.io/pipeline']).toBeUndefined();
  });

  it('keeps an owner that is not a valid label value as an annotation only', () => {
    const { env, cluster } = kafkaFixture();
    const p = new Pipeline(env, 'orders', { owner: 'payments@acme.com' });
    new Topic(p, 'raw', { cluster, topicName: 'orders' });
    const t = findObject(env, 'KafkaTopic', 'orders');
    expect(t.metadata.labels['dataops.cdk8s.io/owner']).toBeUndefined();
    expect(t.metadata.annotations['dataops.cdk8s.io/owner']).toBe('payments@acme.com');
  });

  it('refuses a pipeline without an owner', () => {
    const { env } = kafkaFixture();
    expect(() => new Pipeline(env, 'p', { owner: ' ' })).toThrow(/prod\/p, field 'owner': every pipeline needs an owner/);
  });

  it('fails synth when a pipeline reads a topic of another pipeline that was not shared, naming both', () => {
    const { platform, env, cluster } = kafkaFixture();
    const payments = new Pipeline(env, 'payments', { owner: 'team-payments' });
    const analytics = new Pipeline(env, 'analytics', { owner: 'team-analytics' });
    const orders = new Topic(payments, 'orders', { cluster, topicName: 'orders' });
    orders.grantRead(new KafkaUser(analytics, 'loader', { cluster }));
    expect(() => synthesizePlatform(platform, { outdir: tempOutdir() }))
      .toThrow(/pipeline 'analytics' \(prod\/analytics\/loader\) reads topic 'orders' of pipeline 'payments', which is not shared with it/);
    orders.shareWith(analytics);
    expect(() => synthesizePlatform(platform, { outdir: tempOutdir() })).not.toThrow();
  });

  it('lets every pipeline read a public topic', () => {
    const { platform, env, cluster } = kafkaFixture();
    const payments = new Pipeline(env, 'payments', { owner: 'team-payments' });
    const analytics = new Pipeline(env, 'analytics', { owner: 'team-analytics' });
    new Topic(payments, 'orders', { cluster, topicName: 'orders', public: true }).grantRead(new KafkaUser(analytics, 'loader', { cluster }));
    expect(() => synthesizePlatform(platform, { outdir: tempOutdir() })).not.toThrow();
  });

  it('does not restrict writes or reads of topics outside any pipeline', () => {
    const { platform, env, cluster } = kafkaFixture();
    const analytics = new Pipeline(env, 'analytics', { owner: 'team-analytics' });
    const shared = Topic.fromName(env, 'legacy', cluster, 'legacy.orders');
    shared.grantRead(new KafkaUser(analytics, 'loader', { cluster }));
    expect(() => synthesizePlatform(platform, { outdir: tempOutdir() })).not.toThrow();
    expect(KafkaCluster).toBeDefined();
  });
});
