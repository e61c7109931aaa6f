import { describe, expect, it } from 'vitest';
import { KafkaCluster, KafkaUser, Topic } from 'cdk8s-dataops';
import { findObject } from 'cdk8s-dataops/testing';
import { kafkaFixture } from './support';

const allow = (type: string, name: string, operations: string[], patternType = 'literal') =>
  ({ type: 'allow', resource: { type, name, patternType }, host: '*', operations });

describe('KafkaUser', () => {
  it('derives exactly the ACLs a read+write app needs, merged and in a stable order', () => {
    const { env, cluster } = kafkaFixture();
    const input = new Topic(env, 'orders', { cluster, topicName: 'payments.orders.v1' });
    const output = new Topic(env, 'enriched', { cluster, topicName: 'payments.orders-enriched.v1' });
    const app = new KafkaUser(env, 'enricher', { cluster });
    input.grantRead(app, { consumerGroup: 'enricher' });
    output.grantWrite(app, { transactionalId: 'enricher-', transactionalIdIsPrefix: true });
    input.grantRead(app, { consumerGroup: 'enricher' }); // duplicates merge
    const user = findObject(env, 'KafkaUser', 'enricher');
    expect(user.spec).toEqual({
      authentication: { type: 'scram-sha-512' },
      authorization: {
        type: 'simple',
        acls: [
          allow('topic', 'payments.orders-enriched.v1', ['Write', 'Describe']),
          allow('topic', 'payments.orders.v1', ['Read', 'Describe']),
          allow('group', 'enricher', ['Read']),
          allow('transactionalId', 'enricher-', ['Write', 'Describe'], 'prefix'),
        ],
      },
    });
  });

  it('shares one frozen operations list per distinct list among its rules (tens of thousands of rules, a handful of lists)', () => {
    const { env, cluster } = kafkaFixture();
    const a = new KafkaUser(env, 'a', { cluster });
    const b = new KafkaUser(env, 'b', { cluster });
    new Topic(env, 'orders', { cluster, topicName: 'orders' }).grantRead(a);
    new Topic(env, 'payments', { cluster, topicName: 'payments' }).grantRead(b);
    b.addAcl({ resourceType: 'group', name: 'g', operations: ['Describe', 'Read', 'Read'] });
    const [ra] = a.aclRules;
    const [rb, rg] = b.aclRules;
    expect(ra.operations).toEqual(['Read', 'Describe']);
    expect(rg.operations).toEqual(['Read', 'Describe']);
    expect(rb.operations).toBe(ra.operations);
    expect(rg.operations).toBe(ra.operations);
    expect(Object.isFrozen(ra.operations)).toBe(true);
    // merged rules get their own (shared) list too
    a.addAcl({ resourceType: 'topic', name: 'orders', operations: ['Write'] });
    expect(a.aclRules[0].operations).toEqual(['Read', 'Write', 'Describe']);
    expect(Object.isFrozen(a.aclRules[0].operations)).toBe(true);
  });

  it('has no authorization section without grants, and carries quotas', () => {
    const { env, cluster } = kafkaFixture();
    new KafkaUser(env, 'reporting', { cluster, quotas: { producerByteRate: 1_048_576, consumerByteRate: 2_097_152, requestPercentage: 55, controllerMutationRate: 10 } });
    expect(findObject(env, 'KafkaUser', 'reporting').spec).toEqual({
      authentication: { type: 'scram-sha-512' },
      quotas: { producerByteRate: 1_048_576, consumerByteRate: 2_097_152, requestPercentage: 55, controllerMutationRate: 10 },
    });
  });

  it('names the principal by authentication type', () => {
    const { env, cluster } = kafkaFixture();
    expect(new KafkaUser(env, 'a', { cluster }).principal).toBe('User:a');
    expect(new KafkaUser(env, 'b', { cluster, authentication: 'tls' }).principal).toBe('User:CN=b');
  });

  it('refuses allow on every resource without allowWildcard, and accepts it with', () => {
    const { env, cluster } = kafkaFixture();
    const user = new KafkaUser(env, 'ops', { cluster });
    expect(() => user.addAcl({ resourceType: 'topic', name: '*', operations: ['Describe'] }))
      .toThrow(/prod\/ops, field 'acl.name': allowing Describe on every topic \('\*'\) needs allowWildcard: true/);
    user.addAcl({ resourceType: 'topic', name: '*', operations: ['Describe'], allowWildcard: true });
    user.addAcl({ resourceType: 'cluster', operations: ['DescribeConfigs'] });
    user.addAcl({ resourceType: 'topic', name: '*', operations: ['Write'], type: 'deny' });
    expect(findObject(env, 'KafkaUser', 'ops').spec.authorization.acls).toEqual([
      { type: 'deny', resource: { type: 'topic', name: '*', patternType: 'literal' }, host: '*', operations: ['Write'] },
      { type: 'allow', resource: { type: 'cluster' }, host: '*', operations: ['DescribeConfigs'] },
      allow('topic', '*', ['Describe']),
    ]);
  });

  it('refuses malformed ACLs with the field', () => {
    const { env, cluster } = kafkaFixture();
    const user = new KafkaUser(env, 'u', { cluster });
    expect(() => user.addAcl({ resourceType: 'group', operations: ['Read'] })).toThrow(/field 'acl.name': a group ACL needs a name/);
    expect(() => user.addAcl({ resourceType: 'topic', name: 'x', operations: [] })).toThrow(/field 'acl.operations'/);
    expect(() => user.addAcl({ resourceType: 'topic', name: 'x', operations: ['Fly' as any] })).toThrow(/field 'acl.operations\[0\]'/);
  });

  it('refuses grants across clusters and environments', () => {
    const { platform, env, cluster } = kafkaFixture();
    const other = KafkaCluster.fromStrimzi(env, 'other', { name: 'other', namespace: 'kafka', bootstrapServers: 'other:9092' });
    const topic = new Topic(env, 'orders', { cluster, topicName: 'orders' });
    expect(() => topic.grantRead(new KafkaUser(env, 'x', { cluster: other }))).toThrow(/of cluster 'main' to prod\/x, a user of cluster 'other'/);
    const dev = new (env.constructor as any)(platform, 'dev');
    expect(() => topic.grantRead(new KafkaUser(dev, 'y', { cluster }))).toThrow(/of environment 'prod' to dev\/y in environment 'dev'/);
  });
});
