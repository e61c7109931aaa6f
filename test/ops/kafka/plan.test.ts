import { describe, expect, it } from 'vitest';
import {
  AclBinding, ActualConfigEntry, ActualState, computePlan, DesiredState, DesiredTopic, DesiredUser, planDrift, emptyStateRecords,
  planHasChanges, StateRecords, aclKey,
} from '../../../ops/kafka';

const acl = (principal: string, operation: AclBinding['operation'], resourceName = 'orders', extra: Partial<AclBinding> = {}): AclBinding => ({
  principal, resourceType: 'topic', resourceName, patternType: 'literal', operation, host: '*', permission: 'allow', ...extra,
});

function topic(name: string, p: Partial<DesiredTopic> = {}): DesiredTopic {
  return { name, partitions: 3, replicas: 1, config: {}, removalPolicy: 'retain', file: `${name}.yaml`, ...p };
}

function user(name: string, acls: AclBinding[] | undefined, p: Partial<DesiredUser> = {}): DesiredUser {
  return { name, principal: `User:${name}`, authentication: 'scram-sha-512', acls, removalPolicy: 'retain', file: `${name}.yaml`, ...p };
}

function desired(topics: DesiredTopic[], users: DesiredUser[] = []): DesiredState {
  return { env: 'prod', cluster: 'main', source: 'dist', topics, users, skipped: [] };
}

/** A config map: defaults as `key: value`, overrides as `key: '=value'`. */
function cfg(entries: Record<string, string>): Map<string, ActualConfigEntry> {
  const base: Record<string, string> = { 'retention.ms': '604800000', 'cleanup.policy': 'delete', 'min.insync.replicas': '1', 'segment.ms': '604800000' };
  const m = new Map<string, ActualConfigEntry>();
  for (const [k, v] of Object.entries(base)) m.set(k, { value: v, override: false, sensitive: false });
  for (const [k, v] of Object.entries(entries)) {
    m.set(k, v.startsWith('=') ? { value: v.slice(1), override: true, sensitive: false } : { value: v, override: false, sensitive: false });
  }
  return m;
}

function actual(topics: { name: string; partitions?: number; rf?: number; config?: Record<string, string> }[], acls: AclBinding[] = []): ActualState {
  return {
    topics: new Map(topics.map((t) => [t.name, { name: t.name, partitions: t.partitions ?? 3, replicationFactor: t.rf ?? 1, config: cfg(t.config ?? {}) }])),
    acls,
    foreignAcls: [],
    brokerCount: 1,
    brokerDefaults: { numPartitions: 1, defaultReplicationFactor: 1 },
  };
}

function state(topics: Record<string, { policy: 'retain' | 'destroy'; keys?: string[]; origin?: 'created' | 'adopted' }>,
  users: Record<string, { policy: 'retain' | 'destroy'; acls: AclBinding[]; adopted?: AclBinding[] }> = {}): StateRecords {
  return {
    topics: new Map(Object.entries(topics).map(([name, r]) => [name, { kind: 'topic' as const, name, removalPolicy: r.policy, configKeys: r.keys ?? [], origin: r.origin ?? 'created' }])),
    users: new Map(Object.entries(users).map(([principal, r]) => [principal, {
      kind: 'user' as const, principal, removalPolicy: r.policy, acls: r.acls.map(aclKey).sort(), adoptedAcls: (r.adopted ?? []).map(aclKey).sort(),
    }])),
  };
}

describe('computePlan: topics', () => {
  it('creates missing topics, with broker defaults when the counts are not declared', () => {
    const p = computePlan(desired([topic('a', { config: { 'retention.ms': '1000' } }), topic('b', { partitions: undefined, replicas: undefined })]), actual([]), emptyStateRecords());
    expect(p.creates).toEqual([
      { topic: 'a', partitions: 3, replicas: 1, config: { 'retention.ms': '1000' }, removalPolicy: 'retain' },
      { topic: 'b', partitions: 1, replicas: 1, config: {}, removalPolicy: 'retain' },
    ]);
    expect(planHasChanges(p)).toBe(true);
  });

  it('refuses to create a topic with more replicas than brokers', () => {
    const p = computePlan(desired([topic('a', { replicas: 3 })]), actual([]), emptyStateRecords());
    expect(p.creates).toEqual([]);
    expect(p.refused).toEqual([{ object: 'topic a', change: 'create', reason: 'needs 3 replicas but the cluster has 1 broker(s)' }]);
  });

  it('never shows broker defaults as changes, and a declared value equal to the default is in sync (no perpetual diff)', () => {
    const p = computePlan(desired([topic('a', { config: { 'retention.ms': '604800000', 'cleanup.policy': 'delete' } })]), actual([{ name: 'a' }]), emptyStateRecords());
    expect(planHasChanges(p)).toBe(false);
    expect(planDrift(p)).toEqual([]);
  });

  it('changes differing values, ignoring cosmetic differences', () => {
    const p = computePlan(
      desired([topic('a', { config: { 'retention.ms': '1000', 'cleanup.policy': 'compact,delete', 'min.cleanable.dirty.ratio': '0.50' } })]),
      actual([{ name: 'a', config: { 'retention.ms': '=2000', 'cleanup.policy': '=delete,compact', 'min.cleanable.dirty.ratio': '=0.5' } }]),
      emptyStateRecords(),
    );
    expect(p.updates).toEqual([{
      topic: 'a', partitions: undefined,
      configChanges: [{ key: 'retention.ms', from: '2000', fromDefault: false, to: '1000' }],
      alterConfig: { 'cleanup.policy': 'compact,delete', 'min.cleanable.dirty.ratio': '0.50', 'retention.ms': '1000' },
    }]);
  });

  it('removes overrides it set before, keeps (and resends) overrides it never set, and reports them as drift', () => {
    const p = computePlan(
      desired([topic('a', { config: { 'retention.ms': '1000' } })]),
      actual([{ name: 'a', config: { 'retention.ms': '=2000', 'segment.ms': '=3600000', 'retention.bytes': '=-1' } }]),
      state({ a: { policy: 'retain', keys: ['retention.ms', 'segment.ms'] } }),
    );
    expect(p.updates[0].configChanges).toEqual([
      { key: 'retention.ms', from: '2000', fromDefault: false, to: '1000' },
      { key: 'segment.ms', from: '3600000', fromDefault: false, to: undefined },
    ]);
    // AlterConfigs replaces every override: the hand-set retention.bytes must be in the request, segment.ms must not.
    expect(p.updates[0].alterConfig).toEqual({ 'retention.bytes': '-1', 'retention.ms': '1000' });
    expect(p.unmanagedOverrides).toEqual([{ topic: 'a', key: 'retention.bytes', value: '-1' }]);
    expect(planDrift(p)).toContain('topic a: override retention.bytes=-1 is not in dist');
  });

  it('an unmanaged override alone is drift but not a change', () => {
    const p = computePlan(desired([topic('a')]), actual([{ name: 'a', config: { 'retention.ms': '=-1' } }]), emptyStateRecords());
    expect(planHasChanges(p)).toBe(false);
    expect(planDrift(p)).toEqual(['topic a: override retention.ms=-1 is not in dist']);
  });

  it('refuses config changes when a sensitive override would be erased', () => {
    const a = actual([{ name: 'a' }]);
    (a.topics.get('a')!.config as Map<string, ActualConfigEntry>).set('some.secret', { value: null, override: true, sensitive: true });
    const p = computePlan(desired([topic('a', { config: { 'retention.ms': '1' } })]), a, emptyStateRecords());
    expect(p.updates).toEqual([]);
    expect(p.refused[0]).toMatchObject({ object: 'topic a', change: 'config retention.ms' });
    expect(p.refused[0].reason).toMatch(/sensitive override 'some.secret'/);
  });

  it('adds partitions, refuses decreases and replication factor changes', () => {
    const p = computePlan(
      desired([topic('up', { partitions: 6 }), topic('down', { partitions: 2 }), topic('rf', { replicas: 3 })]),
      actual([{ name: 'up', partitions: 3 }, { name: 'down', partitions: 3 }, { name: 'rf', rf: 1 }]),
      emptyStateRecords(),
    );
    expect(p.updates).toEqual([{ topic: 'up', partitions: { from: 3, to: 6 }, configChanges: [], alterConfig: undefined }]);
    expect(p.refused.map((r) => `${r.object}: ${r.change}`)).toEqual(['topic down: partitions 3 → 2', 'topic rf: replication factor 1 → 3']);
    expect(p.refused[0].reason).toMatch(/Kafka cannot decrease partitions/);
    expect(p.refused[1].reason).toMatch(/kafkajs cannot .* reassign/);
  });

  it('deletes removed topics only when recorded with DESTROY and --prune is given', () => {
    const cluster = actual([{ name: 'gone-destroy' }, { name: 'gone-retain' }, { name: 'never-managed' }, { name: '__consumer_offsets' }]);
    const st = state({ 'gone-destroy': { policy: 'destroy' }, 'gone-retain': { policy: 'retain' } });
    const noPrune = computePlan(desired([]), cluster, st);
    expect(noPrune.removals.map((r) => [r.name, r.action, r.reason])).toEqual([
      ['gone-destroy', 'skip', 'removed from dist; created by cdk8s-dataops; recorded with RemovalPolicy.DESTROY; deleted only with --prune'],
      ['gone-retain', 'skip', 'removed from dist; created by cdk8s-dataops; not marked removable (RemovalPolicy.RETAIN)'],
    ]);
    expect(noPrune.unmanaged.topics).toEqual(['never-managed']);
    expect(planHasChanges(noPrune)).toBe(false);
    expect(planDrift(noPrune)).toEqual(['topic gone-destroy: removed from dist; created by cdk8s-dataops; recorded with RemovalPolicy.DESTROY; deleted only with --prune']);

    const prune = computePlan(desired([]), cluster, st, { prune: true });
    expect(prune.removals.filter((r) => r.action === 'delete').map((r) => r.name)).toEqual(['gone-destroy']);
    expect(prune.unmanaged.topics).toEqual(['never-managed']);
  });
});

describe('computePlan: ACLs', () => {
  it('adds missing bindings of declared users', () => {
    const p = computePlan(desired([], [user('app', [acl('User:app', 'Read'), acl('User:app', 'Describe')])]), actual([], [acl('User:app', 'Describe')]), emptyStateRecords());
    expect(p.aclCreates).toEqual([acl('User:app', 'Read')]);
  });

  it('revokes a removed grant only with --prune, and only when cdk8s-dataops applied it', () => {
    const onCluster = [acl('User:app', 'Read'), acl('User:app', 'Write'), acl('User:app', 'Delete')];
    const st = state({}, { 'User:app': { policy: 'retain', acls: [acl('User:app', 'Read'), acl('User:app', 'Write')] } });
    const d = desired([], [user('app', [acl('User:app', 'Read')])]);
    const p = computePlan(d, actual([], onCluster), st, { prune: true });
    expect(p.removals.map((r) => [r.acl?.operation, r.action, r.removable])).toEqual([['Write', 'delete', true], ['Delete', 'skip', false]]);
    expect(p.removals[1].reason).toBe("not created by cdk8s-dataops (KafkaUser 'app' does not list it)");
    expect(computePlan(d, actual([], onCluster), st).removals.map((r) => r.action)).toEqual(['skip', 'skip']);
  });

  it('removes the ACLs of a removed user per its recorded removal policy, leaves unrecorded principals alone', () => {
    const onCluster = [acl('User:gone', 'Read'), acl('User:kept', 'Read'), acl('User:stranger', 'Read')];
    const st = state({}, {
      'User:gone': { policy: 'destroy', acls: [acl('User:gone', 'Read')] },
      'User:kept': { policy: 'retain', acls: [acl('User:kept', 'Read')] },
    });
    const p = computePlan(desired([], []), actual([], onCluster), st, { prune: true });
    expect(p.removals.map((r) => [r.acl?.principal, r.action, r.reason])).toEqual([
      ['User:gone', 'delete', 'KafkaUser removed from dist (created by cdk8s-dataops); recorded with RemovalPolicy.DESTROY'],
      ['User:kept', 'skip', 'KafkaUser removed from dist (created by cdk8s-dataops); not marked removable (RemovalPolicy.RETAIN)'],
    ]);
    expect(p.unmanaged.acls).toEqual([acl('User:stranger', 'Read')]);
  });

  it('never prunes an adopted binding removed from the code unless the KafkaUser is marked DESTROY', () => {
    const onCluster = [acl('User:app', 'Read'), acl('User:app', 'Write'), acl('User:app', 'Delete')];
    const st = state({}, { 'User:app': { policy: 'retain', acls: [acl('User:app', 'Read')], adopted: [acl('User:app', 'Write'), acl('User:app', 'Delete')] } });
    const keepOnly = (policy: 'retain' | 'destroy') => desired([], [user('app', [acl('User:app', 'Delete')], { removalPolicy: policy })]);
    const retained = computePlan(keepOnly('retain'), actual([], onCluster), st, { prune: true });
    expect(retained.removals.map((r) => [r.acl?.operation, r.action])).toEqual([['Read', 'delete'], ['Write', 'skip']]);
    expect(retained.removals[1].reason).toMatch(/adopted \(it existed before cdk8s-dataops\), so kept: mark the KafkaUser RemovalPolicy.DESTROY/);
    expect(retained.removals[1].removable).toBe(false);
    const destroy = computePlan(keepOnly('destroy'), actual([], onCluster), st, { prune: true });
    expect(destroy.removals.map((r) => [r.acl?.operation, r.action])).toEqual([['Read', 'delete'], ['Write', 'delete']]);
  });

  it('refuses to prune a DENY binding unless --allow-deny-removal is given, even one it created', () => {
    const deny = acl('User:app', 'Read', 'secret', { permission: 'deny' });
    const st = state({}, { 'User:app': { policy: 'destroy', acls: [deny] } });
    const gone = desired([], [user('app', [])]);
    const refused = computePlan(gone, actual([], [deny]), st, { prune: true });
    expect(refused.removals.map((r) => [r.action, r.removable, r.drift])).toEqual([['skip', false, true]]);
    expect(refused.removals[0].reason).toMatch(/a DENY binding: deleting it widens access, so prune keeps it unless --allow-deny-removal is given/);
    expect(planHasChanges(refused)).toBe(false);
    const allowed = computePlan(gone, actual([], [deny]), st, { prune: true, allowDenyRemoval: true });
    expect(allowed.removals.map((r) => r.action)).toEqual(['delete']);
    // The same for the DENY of a removed user.
    expect(computePlan(desired([]), actual([], [deny]), st, { prune: true }).removals.map((r) => r.action)).toEqual(['skip']);
  });

  it('does not manage the ACLs of a user without authorization, and reports quotas as not managed', () => {
    const p = computePlan(desired([], [user('app', undefined, { quotas: { producerByteRate: 1024 } })]), actual([], [acl('User:app', 'Read')]), emptyStateRecords());
    expect(p.removals).toEqual([]);
    expect(p.aclCreates).toEqual([]);
    expect(p.notices.join('\n')).toMatch(/quotas of User:app \(producerByteRate=1024\) are not managed by the pull model/);
  });
});
