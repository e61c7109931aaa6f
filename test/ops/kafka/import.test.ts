import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AclBinding, ActualConfigEntry, ActualTopic, computePlan, deriveGrants, durationText, emptyStateRecords, generateImportCode, importTopicConfig,
  loadDesiredState, planDrift, planHasChanges,
} from '../../../ops/kafka';
import { synthesizeCode, syntaxErrors } from './helpers';

function t(name: string, partitions: number, rf: number, overrides: Record<string, string | null> = {}, defaults: Record<string, string> = {}): ActualTopic {
  const config = new Map<string, ActualConfigEntry>();
  for (const [k, v] of Object.entries({ 'retention.ms': '604800000', 'min.insync.replicas': '1', ...defaults })) config.set(k, { value: v, override: false, sensitive: false });
  for (const [k, v] of Object.entries(overrides)) config.set(k, { value: v, override: true, sensitive: v === null });
  return { name, partitions, replicationFactor: rf, config };
}

const b = (principal: string, resourceType: AclBinding['resourceType'], resourceName: string, operation: AclBinding['operation'], extra: Partial<AclBinding> = {}): AclBinding =>
  ({ principal, resourceType, resourceName, patternType: 'literal', operation, host: '*', permission: 'allow', ...extra });

const snapshot = {
  topics: new Map([
    ['payments.orders.v1', t('payments.orders.v1', 12, 3, { 'retention.ms': '86400000', 'cleanup.policy': 'compact,delete' })],
    ['logs', t('logs', 1, 1, { 'segment.jitter.ms': '100', 'confluent.placement': 'x', 'secret.thing': null })],
    ['logs_', t('logs_', 1, 1)],
    ['__consumer_offsets', t('__consumer_offsets', 50, 1)],
  ]),
  acls: [
    b('User:orders-app', 'topic', 'payments.orders.v1', 'Read'),
    b('User:orders-app', 'topic', 'payments.orders.v1', 'Describe'),
    b('User:orders-app', 'group', 'orders-', 'Read', { patternType: 'prefix' }),
    b('User:orders-app', 'cluster', 'kafka-cluster', 'IdempotentWrite'),
    b('User:CN=tls-app', 'topic', '*', 'Describe'),
    b('User:CN=tls-app', 'topic', 'logs', 'Write', { permission: 'deny', host: '10.0.0.1' }),
    b('User:Bad_Name', 'topic', 'logs', 'Read'),
  ],
  foreignAcls: ['User:x permission#3 operation#13 resource#6:token pattern#3 host *'],
};

describe('generateImportCode', () => {
  const result = generateImportCode(snapshot, { bootstrap: '127.0.0.1:9092' });

  it('writes valid TypeScript a person would write: typed config, topics in variables, grants, addAcl only where no grant fits', () => {
    expect(syntaxErrors(result.code)).toEqual([]);
    expect(result.code).toContain("import { DataPlatform, Environment, KafkaCluster, KafkaUser, RemovalPolicy, Topic } from 'cdk8s-dataops';");
    expect(result.code).toContain("KafkaCluster.fromStrimzi(env, 'cluster', { name: 'main', namespace: 'kafka', bootstrapServers: '127.0.0.1:9092' })");
    // Replicated topic: min.insync.replicas pinned to the broker's value (the construct would default it to 2 in prod).
    expect(result.code).toContain("const paymentsOrdersV1 = new Topic(env, 'payments.orders.v1', { cluster, topicName: 'payments.orders.v1', partitions: 12, replicas: 3, " +
      "config: { cleanupPolicy: 'compact,delete', minInsyncReplicas: 1, retention: '1d' }, removalPolicy: RemovalPolicy.RETAIN });");
    expect(result.code).toContain("const ordersApp = new KafkaUser(env, 'orders-app', { cluster, name: 'orders-app', authentication: 'scram-sha-512', removalPolicy: RemovalPolicy.RETAIN });");
    expect(result.code).toContain("paymentsOrdersV1.grantRead(ordersApp, { consumerGroup: 'orders-', consumerGroupIsPrefix: true });");
    expect(result.code).toContain("ordersApp.addAcl({ resourceType: 'cluster', operations: ['IdempotentWrite'] });");
    expect(result.code).toContain("authentication: 'tls-external'");
    expect(result.code).toContain("tlsApp.addAcl({ resourceType: 'topic', name: '*', operations: ['Describe'], allowWildcard: true });");
    expect(result.code).toContain("tlsApp.addAcl({ resourceType: 'topic', name: 'logs', operations: ['Write'], host: '10.0.0.1', type: 'deny' });");
    expect(result.code).not.toMatch(/addAcl\(\{ resourceType: 'topic', name: 'payments/);
    expect(result.code).toMatch(/platform\.synth\(\);\n$/);
    expect(result).toMatchObject({ topics: 2, users: 2, acls: 6 });
  });

  it('writes what it cannot express as comments, with the reason, and skips internal topics', () => {
    expect(result.code).not.toContain('__consumer_offsets');
    expect(result.skipped).toEqual([
      "1 ACL(s) of User:Bad_Name: 'Bad_Name' is not a valid KafkaUser name (lower-case letters, digits, '-' and '.')",
      "topic logs_: its Kubernetes name 'logs' is already used by topic 'logs'",
      'topic logs: override confluent.placement=x is not a topic config the constructs accept',
      'topic logs: sensitive override secret.thing (its value cannot be read)',
      "ACL User:x permission#3 operation#13 resource#6:token pattern#3 host *: outside Strimzi's ACL vocabulary",
    ]);
    for (const s of result.skipped) expect(result.code).toContain(`// not imported: ${s}\n`);
  });

  it('derives grants from bindings: read/write/read-write, groups, transactional ids, prefixes; leaves the rest to addAcl', () => {
    const u = 'User:app';
    const { grants, rest } = deriveGrants([
      b(u, 'topic', 'a', 'Read'), b(u, 'topic', 'a', 'Describe'), b(u, 'topic', 'a', 'Write'),
      b(u, 'topic', 'pay.', 'Write', { patternType: 'prefix' }), b(u, 'topic', 'pay.', 'Describe', { patternType: 'prefix' }),
      b(u, 'transactionalId', 'pay-tx', 'Write'), b(u, 'transactionalId', 'pay-tx', 'Describe'),
      b(u, 'group', 'a-readers', 'Read'), b(u, 'group', 'other', 'Read'),
      b(u, 'topic', 'only-describe', 'Describe'),
      b(u, 'topic', 'a', 'Read', { host: '10.0.0.1' }), b(u, 'topic', 'a', 'Create'),
    ]);
    expect(grants).toEqual([
      { topic: { name: 'a', prefix: false }, read: true, write: true, consumerGroup: { name: 'a-readers', prefix: false }, transactionalId: { name: 'pay-tx', prefix: false } },
      { topic: { name: 'pay.', prefix: true }, read: false, write: true },
    ]);
    expect(rest.map((a) => `${a.resourceType}:${a.resourceName} ${a.operation} ${a.host}`).sort()).toEqual([
      'group:other Read *', 'topic:a Create *', 'topic:a Read 10.0.0.1', 'topic:only-describe Describe *',
    ]);
  });

  it('writes typed config only when the construct produces exactly the broker value; extraConfig otherwise', () => {
    expect(durationText(604800000)).toBe('7d');
    expect(durationText(5400000)).toBe('1h30m');
    expect(durationText(1500)).toBe('1s500ms');
    const c = importTopicConfig(new Map([
      ['retention.ms', '-1'], ['segment.ms', '3600000'], ['cleanup.policy', 'delete,compact'], ['unclean.leader.election.enable', 'true'],
      ['retention.bytes', '9223372036854775807'], ['segment.jitter.ms', '100'], ['min.cleanable.dirty.ratio', '0.25'], ['local.retention.ms', '-1'],
    ]));
    expect(c.config).toEqual([['cleanupPolicy', 'compact,delete'], ['minCleanableDirtyRatio', 0.25], ['retention', 'infinite'], ['segment', '1h'], ['uncleanLeaderElection', true]]);
    // 2^63-1 is not exact as a JS number; local.retention.ms -1 is not what 'infinite' (-2) means: both stay broker strings.
    expect(c.extraConfig).toEqual([['local.retention.ms', '-1'], ['retention.bytes', '9223372036854775807'], ['segment.jitter.ms', '100']]);
  });

  it('groups topics into pipelines by name prefix (unless turned off), and users whose topics are all in one pipeline', () => {
    const estate = {
      topics: new Map(['payments.orders', 'payments.refunds', 'logistics.parcels', 'logistics.routes', 'single.one', 'misc'].map((n) => [n, t(n, 1, 1)])),
      acls: [b('User:pay-app', 'topic', 'payments.orders', 'Read'), b('User:pay-app', 'topic', 'payments.orders', 'Describe'),
        b('User:reporting', 'topic', 'payments.', 'Read', { patternType: 'prefix' }), b('User:reporting', 'topic', 'payments.', 'Describe', { patternType: 'prefix' }),
        b('User:reporting', 'topic', 'logistics.routes', 'Read'), b('User:reporting', 'topic', 'logistics.routes', 'Describe')],
      foreignAcls: [],
    };
    const grouped = generateImportCode(estate, { bootstrap: 'b:1' }).code;
    expect(grouped).toContain("const paymentsPipeline = new Pipeline(env, 'payments', { owner: 'payments' });");
    expect(grouped).toContain("const logisticsPipeline = new Pipeline(env, 'logistics', { owner: 'logistics' });");
    expect(grouped).not.toContain("new Pipeline(env, 'single'");
    expect(grouped).toContain("const paymentsOrders = new Topic(paymentsPipeline, 'orders', { cluster, topicName: 'payments.orders'");
    expect(grouped).toContain("const misc = new Topic(env, 'misc'");
    expect(grouped).toContain("const payApp = new KafkaUser(paymentsPipeline, 'pay-app'");
    expect(grouped).toContain("const reporting = new KafkaUser(env, 'reporting'");
    expect(grouped).toContain("const paymentsAll = Topic.prefix(env, 'payments.*', cluster, 'payments.');");
    expect(grouped).toContain('paymentsAll.grantRead(reporting);');
    const flat = generateImportCode(estate, { bootstrap: 'b:1', pipelines: false }).code;
    expect(flat).not.toContain('Pipeline');
    expect(flat).toContain("new Topic(env, 'payments.orders'");
  });

  it('imports min.insync.replicas above the replication factor as found, acknowledged with the reason, and reports it', () => {
    const dev = { topics: new Map([['dev.t', t('dev.t', 1, 1, { 'min.insync.replicas': '2' })]]), acls: [], foreignAcls: [] };
    const r = generateImportCode(dev, { bootstrap: 'b:1', env: 'dev' });
    expect(r.code).toContain("config: { minInsyncReplicas: 2 }, acknowledgeMinInsyncAboveReplicas: 'imported from b:1 as found'");
    expect(r.findings).toEqual([expect.stringMatching(/^topic dev\.t: min\.insync\.replicas 2 is above its replication factor 1/)]);
    const dist = synthesizeCode(r.code);
    try {
      expect(planDrift(computePlan(loadDesiredState({ distDir: dist }), { ...dev, brokerCount: 1 }, emptyStateRecords()))).toEqual([]);
    } finally {
      fs.rmSync(dist, { recursive: true, force: true });
    }
  });

  it('--include limits topics, topic ACLs and the principals that use them', () => {
    const only = generateImportCode(snapshot, { bootstrap: 'b:1', include: /^payments\./ });
    expect(only.code).toContain("topicName: 'payments.orders.v1'");
    expect(only.code).not.toContain("topicName: 'logs'");
    expect(only.code).toContain("name: 'orders-app'");
    expect(only.code).not.toContain('tls-app');
  });

  it('synthesizes to a dist whose plan against the same cluster is empty', () => {
    const dist = synthesizeCode(result.code);
    try {
      const desired = loadDesiredState({ distDir: dist });
      expect(desired.topics.map((x) => x.name)).toEqual(['logs', 'payments.orders.v1']);
      const plan = computePlan(desired, { ...snapshot, brokerCount: 3 }, emptyStateRecords());
      expect(planHasChanges(plan)).toBe(false);
      // Only what import could not express remains as differences.
      expect(planDrift(plan)).toEqual([
        'topic logs: override confluent.placement=x is not in dist',
        'topic logs: override secret.thing=(sensitive) is not in dist',
      ]);
    } finally {
      fs.rmSync(dist, { recursive: true, force: true });
    }
  });
});
