import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { desiredStateFromObjects, loadDesiredState } from '../../../ops/kafka';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function dist(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k7-desired-'));
  dirs.push(dir);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

const topicYaml = (name: string, extra = '', cluster = 'main') => `apiVersion: kafka.strimzi.io/v1
kind: KafkaTopic
metadata:
  name: ${name.toLowerCase()}
  namespace: kafka
  labels:
    strimzi.io/cluster: ${cluster}
${extra}`;

describe('loadDesiredState', () => {
  it('reads topics with their Kafka name, counts, exact config values and removal policy', () => {
    const d = dist({
      'manifests/prod/kafka/kafkatopic.payments.orders.v1.yaml': topicYaml('payments.orders.v1', `  annotations:
    dataops.cdk8s.io/removal-policy: destroy
spec:
  topicName: Payments.Orders.V1
  partitions: 12
  replicas: 3
  config:
    retention.ms: 604800000
    max.compaction.lag.ms: 9223372036854775807
    min.cleanable.dirty.ratio: 0.5
    unclean.leader.election.enable: false
    cleanup.policy: delete
`),
      'manifests/prod/kafka/kafkatopic.fallback.yaml': topicYaml('fallback', 'spec: {}\n'),
      'manifests/prod/kafka/configmap.other.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: other }\n',
    });
    const s = loadDesiredState({ distDir: d });
    expect(s.env).toBe('prod');
    expect(s.cluster).toBe('main');
    expect(s.topics.map((t) => t.name)).toEqual(['Payments.Orders.V1', 'fallback']);
    const t = s.topics[0];
    expect(t).toMatchObject({ partitions: 12, replicas: 3, removalPolicy: 'destroy' });
    expect(t.config).toEqual({
      'cleanup.policy': 'delete',
      'max.compaction.lag.ms': '9223372036854775807', // not 9223372036854776000
      'min.cleanable.dirty.ratio': '0.5',
      'retention.ms': '604800000',
      'unclean.leader.election.enable': 'false',
    });
    expect(s.topics[1]).toMatchObject({ name: 'fallback', partitions: undefined, replicas: undefined, removalPolicy: 'retain', config: {} });
  });

  it('requires --env when dist holds several environments, and names them', () => {
    const d = dist({
      'manifests/prod/kafka/kafkatopic.a.yaml': topicYaml('a', 'spec: {}\n'),
      'manifests/staging/kafka/kafkatopic.a.yaml': topicYaml('a', 'spec: {}\n'),
    });
    expect(() => loadDesiredState({ distDir: d })).toThrow(/several environments \(prod, staging\); choose one with --env/);
    expect(loadDesiredState({ distDir: d, env: 'staging' }).env).toBe('staging');
    expect(() => loadDesiredState({ distDir: d, env: 'dev' })).toThrow(/environment 'dev' not found .*found: prod, staging/);
  });

  it('filters by the strimzi.io/cluster label and requires --cluster when there are several', () => {
    const d = dist({
      'manifests/prod/kafka/kafkatopic.a.yaml': topicYaml('a', 'spec: {}\n', 'main'),
      'manifests/prod/kafka/kafkatopic.b.yaml': topicYaml('b', 'spec: {}\n', 'analytics'),
    });
    expect(() => loadDesiredState({ distDir: d })).toThrow(/several Kafka clusters \(analytics, main\); choose one with --cluster/);
    expect(loadDesiredState({ distDir: d, cluster: 'analytics' }).topics.map((t) => t.name)).toEqual(['b']);
  });

  it('reads users: principal by authentication, ACL rules expanded to bindings, quotas', () => {
    const s = desiredStateFromObjects([
      {
        file: 'u1.yaml',
        object: {
          apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaUser',
          metadata: { name: 'orders-app', labels: { 'strimzi.io/cluster': 'main' }, annotations: { 'dataops.cdk8s.io/removal-policy': 'retain' } },
          spec: {
            authentication: { type: 'scram-sha-512' },
            authorization: {
              type: 'simple',
              acls: [
                { resource: { type: 'topic', name: 'orders', patternType: 'literal' }, operations: ['Describe', 'Read'] },
                { resource: { type: 'group', name: 'orders-', patternType: 'prefix' }, operation: 'Read', type: 'deny', host: '10.0.0.1' },
                { resource: { type: 'cluster' }, operations: ['IdempotentWrite'] },
              ],
            },
            quotas: { producerByteRate: 1048576 },
          },
        },
      },
      {
        file: 'u2.yaml',
        object: { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaUser', metadata: { name: 'tls-app', labels: { 'strimzi.io/cluster': 'main' } }, spec: { authentication: { type: 'tls' } } },
      },
    ], { env: 'prod' });
    expect(s.users.map((u) => u.principal)).toEqual(['User:CN=tls-app', 'User:orders-app']);
    const [tls, app] = s.users;
    expect(tls.acls).toBeUndefined(); // no authorization: ACLs not managed
    expect(app.quotas).toEqual({ producerByteRate: 1048576 });
    expect(app.acls).toEqual([
      { principal: 'User:orders-app', resourceType: 'topic', resourceName: 'orders', patternType: 'literal', operation: 'Describe', host: '*', permission: 'allow' },
      { principal: 'User:orders-app', resourceType: 'topic', resourceName: 'orders', patternType: 'literal', operation: 'Read', host: '*', permission: 'allow' },
      { principal: 'User:orders-app', resourceType: 'group', resourceName: 'orders-', patternType: 'prefix', operation: 'Read', host: '10.0.0.1', permission: 'deny' },
      { principal: 'User:orders-app', resourceType: 'cluster', resourceName: 'kafka-cluster', patternType: 'literal', operation: 'IdempotentWrite', host: '*', permission: 'allow' },
    ]);
  });

  it('reports every invalid object with its file and field', () => {
    const bad = (file: string, spec: unknown, kind = 'KafkaTopic') => ({
      file, object: { apiVersion: 'kafka.strimzi.io/v1', kind, metadata: { name: file.replace('.yaml', ''), labels: { 'strimzi.io/cluster': 'main' } }, spec },
    });
    const run = () => desiredStateFromObjects([
      bad('a.yaml', { partitions: 0 }),
      bad('b.yaml', { config: { 'retention.ms': { nested: 1 } } }),
      bad('c.yaml', { authorization: { type: 'simple', acls: [{ resource: { type: 'topic', name: 'x' }, operations: ['Fly'] }] } }, 'KafkaUser'),
      { file: 'd.yaml', object: { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic', metadata: { name: 'd' } } },
    ], { env: 'prod' });
    expect(run).toThrow(/d\.yaml: KafkaTopic 'd' has no 'strimzi\.io\/cluster' label/);
    const run2 = () => desiredStateFromObjects([
      bad('a.yaml', { partitions: 0 }),
      bad('b.yaml', { config: { 'retention.ms': { nested: 1 } } }),
      bad('c.yaml', { authorization: { type: 'simple', acls: [{ resource: { type: 'topic', name: 'x' }, operations: ['Fly'] }] } }, 'KafkaUser'),
    ], { env: 'prod' });
    expect(run2).toThrow(/3 problems/);
    expect(run2).toThrow(/a\.yaml: field 'spec\.partitions': expected an integer from 1/);
    expect(run2).toThrow(/b\.yaml: field 'spec\.config\["retention\.ms"\]'/);
    expect(run2).toThrow(/c\.yaml: field 'spec\.authorization\.acls\[0\]\.operations': unknown operation 'Fly'/);
  });

  it('skips objects Strimzi does not manage and refuses duplicates', () => {
    const t = (file: string, name: string, annotations: Record<string, string> = {}) => ({
      file, object: { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic', metadata: { name: file, labels: { 'strimzi.io/cluster': 'main' }, annotations }, spec: { topicName: name } },
    });
    const s = desiredStateFromObjects([t('a', 'x'), t('b', 'y', { 'strimzi.io/managed': 'false' })], { env: 'prod' });
    expect(s.topics.map((x) => x.name)).toEqual(['x']);
    expect(s.skipped).toEqual([{ file: 'b', reason: 'annotated strimzi.io/managed: "false"' }]);
    expect(() => desiredStateFromObjects([t('a', 'x'), t('b', 'x')], { env: 'prod' })).toThrow("b: topic 'x' is also declared in a");
  });

  it('needs --cluster to plan against an empty desired state', () => {
    expect(() => desiredStateFromObjects([], { env: 'prod' })).toThrow(/declares no KafkaTopic or KafkaUser; pass --cluster/);
    expect(desiredStateFromObjects([], { env: 'prod', cluster: 'main' })).toMatchObject({ cluster: 'main', topics: [], users: [] });
  });
});
