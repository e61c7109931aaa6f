import { describe, expect, it } from 'vitest';
import {
  ActualState, computePlan, DesiredState, emptyStateRecords, LivePlan, planJson, planVerdict, renderDrift, renderPlan,
} from '../../../ops/kafka';

const desired: DesiredState = {
  env: 'prod', cluster: 'main', source: 'dist/manifests/prod', skipped: [],
  topics: [
    { name: 'orders', partitions: 6, replicas: 1, config: { 'retention.ms': '1000' }, removalPolicy: 'retain', file: 'a.yaml' },
    { name: 'payments', partitions: 2, replicas: 1, config: {}, removalPolicy: 'retain', file: 'b.yaml' },
    { name: 'new', partitions: 1, replicas: 1, config: { 'cleanup.policy': 'compact' }, removalPolicy: 'destroy', file: 'c.yaml' },
  ],
  users: [{
    name: 'app', principal: 'User:app', authentication: 'scram-sha-512', removalPolicy: 'retain', file: 'd.yaml',
    acls: [{ principal: 'User:app', resourceType: 'topic', resourceName: 'orders', patternType: 'literal', operation: 'Read', host: '*', permission: 'allow' }],
  }],
};

const actual: ActualState = {
  topics: new Map([
    ['orders', { name: 'orders', partitions: 3, replicationFactor: 1, config: new Map([['retention.ms', { value: '604800000', override: false, sensitive: false }]]) }],
    ['payments', { name: 'payments', partitions: 4, replicationFactor: 1, config: new Map() }],
    ['legacy', { name: 'legacy', partitions: 1, replicationFactor: 1 }],
  ]),
  acls: [], foreignAcls: [], brokerCount: 1,
};

function livePlan(prune = false): LivePlan {
  const plan = computePlan(desired, actual, emptyStateRecords(), { prune });
  return {
    plan, desired, actual: { ...actual, allTopicNames: new Set(actual.topics.keys()) }, state: emptyStateRecords(), pendingStateWrites: [],
    stats: { durationMs: 120, requests: { total: 9, byApi: {} } },
  };
}

const strip = (lines: string[]) => lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));

describe('renderPlan', () => {
  it('shows creates, updates with old → new values, refusals and unmanaged objects', () => {
    expect(strip(renderPlan(livePlan(), { target: '127.0.0.1:9092 (SASL scram-sha-512 as admin)' }))).toEqual([
      'Plan for environment prod, cluster main at 127.0.0.1:9092 (SASL scram-sha-512 as admin):',
      '  + create topic new (1 partition(s), 1 replica(s); cleanup.policy=compact)',
      '  ~ update topic orders',
      '      partitions: 3 → 6',
      '      retention.ms: 604800000 (broker default) → 1000',
      '  + create ACL User:app ALLOW Read topic:orders',
      '  ! refused: topic payments: partitions 4 → 2: Kafka cannot decrease partitions; keep 4 in the code, or create a new topic and migrate',
      '  note: SCRAM credentials are not created by the pull model (kafkajs has no SCRAM admin API): create them with kafka-configs or your provider',
      '  unmanaged, left alone: 1 topic(s), 0 ACL(s) (--verbose lists them)',
      '      legacy',
      'Plan: 1 topic(s) to create, 1 to update, 1 ACL(s) to add, 0 object(s) to delete, 1 refused (read in 0.12 s with 9 requests)',
      '! apply will leave 1 difference(s) listed above: drift and apply exit 1 until they are resolved',
    ]);
  });

  it('one verdict: never "no changes" while something still differs (kept overrides, pending prunes)', () => {
    const kept: ActualState = {
      ...actual,
      topics: new Map([['orders', { name: 'orders', partitions: 6, replicationFactor: 1, config: new Map([
        ['retention.ms', { value: '1000', override: true, sensitive: false }], ['segment.ms', { value: '5', override: true, sensitive: false }]]) }]]),
    };
    const only = { ...desired, topics: [desired.topics[0]], users: [] };
    const plan = computePlan(only, kept, emptyStateRecords());
    expect(planVerdict(plan)).toBe('differs');
    const lines = strip(renderPlan({ ...livePlan(), plan, desired: only }));
    expect(lines.join('\n')).not.toContain('no changes');
    expect(lines.at(-1)).toBe('✗ nothing to apply, but the cluster differs from dist in 1 way(s) listed above that apply will not change: ' +
      'drift and apply exit 1 until they are resolved (read in 0.12 s with 9 requests)');
    expect(strip(renderDrift({ ...livePlan(), plan, desired: only }))[0]).toMatch(/^✗ the cluster has drifted from dist .*: 1 difference/);
    // In sync: the same words everywhere.
    const synced = computePlan(only, { ...kept, topics: new Map([['orders', { name: 'orders', partitions: 6, replicationFactor: 1,
      config: new Map([['retention.ms', { value: '1000', override: true, sensitive: false }]]) }]]) }, emptyStateRecords());
    expect(planVerdict(synced)).toBe('in-sync');
    expect(strip(renderPlan({ ...livePlan(), plan: synced, desired: only })).at(-1)).toMatch(/^✔ no changes: the cluster matches dist/);
  });

  it('says why prune leaves unmanaged topics alone', () => {
    expect(strip(renderPlan(livePlan(true)))).toContain('  unmanaged, left alone (prune refused: not created by cdk8s-dataops): 1 topic(s), 0 ACL(s) (--verbose lists them)');
  });
});

describe('renderDrift and planJson', () => {
  it('lists each difference', () => {
    expect(strip(renderDrift(livePlan()))).toEqual([
      '✗ the cluster has drifted from dist (environment prod, cluster main): 5 difference(s)',
      '  - topic new: missing on the cluster',
      '  - topic orders: 3 partitions, dist says 6',
      '  - topic orders: retention.ms is 604800000 (broker default), dist says 1000',
      '  - ACL missing: User:app ALLOW Read topic:orders',
      '  - topic payments: partitions 4 → 2 (Kafka cannot decrease partitions; keep 4 in the code, or create a new topic and migrate)',
      "run 'synth kafka plan' for what apply would do",
    ]);
  });

  it('gives machines the same facts', () => {
    const json = planJson(livePlan(), 'b:1');
    expect(json).toMatchObject({ env: 'prod', cluster: 'main', target: 'b:1', changes: true, unmanaged: { topics: ['legacy'] } });
    expect(JSON.parse(JSON.stringify(json)).drift).toHaveLength(5);
  });
});
