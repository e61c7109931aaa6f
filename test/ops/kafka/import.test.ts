import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AclBinding, ActualConfigEntry, ActualTopic, computePlan, emptyStateRecords, generateImportCode, loadDesiredState, planDrift,
  planHasChanges,
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

  it('writes valid TypeScript with our constructs, one addAcl per resource pattern', () => {
    expect(syntaxErrors(result.code)).toEqual([]);
    expect(result.code).toContain("import { DataPlatform, Environment, KafkaCluster, Topic, KafkaUser, RemovalPolicy } from 'cdk8s-dataops';");
    expect(result.code).toContain("KafkaCluster.fromStrimzi(env, 'cluster', { name: 'main', namespace: 'kafka', bootstrapServers: '127.0.0.1:9092' })");
    // Replicated topic: min.insync.replicas pinned to the broker's value (the construct would default it to 2 in prod).
    expect(result.code).toContain("new Topic(env, 'payments.orders.v1', { cluster, topicName: 'payments.orders.v1', partitions: 12, replicas: 3, " +
      "extraConfig: { 'cleanup.policy': 'compact,delete', 'min.insync.replicas': '1', 'retention.ms': '86400000' }, removalPolicy: RemovalPolicy.RETAIN });");
    expect(result.code).toContain("const ordersApp = new KafkaUser(env, 'user orders-app', { cluster, name: 'orders-app', authentication: 'scram-sha-512', removalPolicy: RemovalPolicy.RETAIN });");
    expect(result.code).toContain("ordersApp.addAcl({ resourceType: 'topic', name: 'payments.orders.v1', patternType: 'literal', operations: ['Read', 'Describe'], host: '*', type: 'allow' });");
    expect(result.code).toContain("ordersApp.addAcl({ resourceType: 'cluster', operations: ['IdempotentWrite'], host: '*', type: 'allow' });");
    expect(result.code).toContain("authentication: 'tls-external'");
    expect(result.code).toContain("tlsApp.addAcl({ resourceType: 'topic', name: '*', patternType: 'literal', operations: ['Describe'], host: '*', type: 'allow', allowWildcard: true });");
    expect(result.code).toContain("tlsApp.addAcl({ resourceType: 'topic', name: 'logs', patternType: 'literal', operations: ['Write'], host: '10.0.0.1', type: 'deny' });");
    expect(result.code).toMatch(/platform\.synth\(\);\n$/);
    expect(result).toMatchObject({ topics: 2, users: 2, acls: 6 });
  });

  it('writes what it cannot express as comments, with the reason, and skips internal topics', () => {
    expect(result.code).not.toContain('__consumer_offsets');
    expect(result.skipped).toEqual([
      'topic logs: override confluent.placement=x is not a topic config the constructs accept',
      'topic logs: sensitive override secret.thing (its value cannot be read)',
      "topic logs_: its Kubernetes name 'logs' is already used by topic 'logs'",
      "1 ACL(s) of User:Bad_Name: 'Bad_Name' is not a valid KafkaUser name (lower-case letters, digits, '-' and '.')",
      "ACL User:x permission#3 operation#13 resource#6:token pattern#3 host *: outside Strimzi's ACL vocabulary",
    ]);
    for (const s of result.skipped) expect(result.code).toContain(`// not imported: ${s}\n`);
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
