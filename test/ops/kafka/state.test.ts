import { describe, expect, it } from 'vitest';
import {
  AclBinding, aclKey, ActualState, DesiredState, emptyStateRecords, encodeRecord, foldRecords, nextState, stateKey, StateFormatError, stateWrites,
} from '../../../ops/kafka';

const read = (operation: AclBinding['operation'], principal = 'User:app'): AclBinding =>
  ({ principal, resourceType: 'topic', resourceName: 't', patternType: 'literal', operation, host: '*', permission: 'allow' });

describe('foldRecords', () => {
  it('keeps the last record per key, forgets on tombstones, ignores other environments and clusters', () => {
    const rec = (key: string, value: object | null) => ({ key, value: value === null ? null : encodeRecord(value as any) });
    const s = foldRecords('prod', 'main', [
      rec('prod/main/topic/a', { kind: 'topic', name: 'a', removalPolicy: 'retain', configKeys: [] }),
      rec('prod/main/topic/a', { kind: 'topic', name: 'a', removalPolicy: 'destroy', configKeys: ['retention.ms'], origin: 'created' }),
      rec('prod/main/topic/b', { kind: 'topic', name: 'b', removalPolicy: 'destroy', configKeys: [] }),
      rec('prod/main/topic/b', null),
      rec('staging/main/topic/c', { kind: 'topic', name: 'c', removalPolicy: 'destroy', configKeys: [] }),
      rec('prod/other/topic/d', { kind: 'topic', name: 'd', removalPolicy: 'destroy', configKeys: [] }),
      rec('prod/main/user/User:CN=x/y', { kind: 'user', principal: 'User:CN=x/y', removalPolicy: 'retain', acls: [] }),
    ]);
    expect([...s.topics.values()]).toEqual([{ kind: 'topic', name: 'a', removalPolicy: 'destroy', configKeys: ['retention.ms'], origin: 'created' }]);
    expect([...s.users.keys()]).toEqual(['User:CN=x/y']);
  });

  it('refuses records it cannot trust', () => {
    expect(() => foldRecords('prod', 'main', [{ key: 'prod/main/topic/a', value: '{nope' }])).toThrow(/not JSON/);
    expect(() => foldRecords('prod', 'main', [{ key: 'prod/main/topic/a', value: '{"v":99}' }])).toThrow(/format 99 is not supported/);
    expect(() => foldRecords('prod', 'main', [{ key: 'prod/main/topic/a', value: '{"v":99}' }])).toThrow(StateFormatError);
  });

  it('reads format 1 records conservatively: their topics and ACLs count as adopted', () => {
    const s = foldRecords('prod', 'main', [
      { key: 'prod/main/topic/a', value: JSON.stringify({ v: 1, kind: 'topic', name: 'a', removalPolicy: 'destroy', configKeys: [] }) },
      { key: 'prod/main/user/User:app', value: JSON.stringify({ v: 1, kind: 'user', principal: 'User:app', removalPolicy: 'retain', acls: ['k'] }) },
    ]);
    expect(s.topics.get('a')).toMatchObject({ origin: 'adopted', removalPolicy: 'destroy' });
    expect(s.users.get('User:app')).toMatchObject({ acls: [], adoptedAcls: ['k'] });
  });
});

describe('nextState / stateWrites', () => {
  const desired = (topics: string[], users: { name: string; acls: AclBinding[] }[] = [], policy: 'retain' | 'destroy' = 'destroy'): DesiredState => ({
    env: 'prod', cluster: 'main', source: 'dist', skipped: [],
    topics: topics.map((name) => ({ name, partitions: 1, replicas: 1, config: { 'retention.ms': '1' }, removalPolicy: policy, file: '' })),
    users: users.map((u) => ({ name: u.name, principal: `User:${u.name}`, authentication: 'scram-sha-512' as const, acls: u.acls, removalPolicy: policy, file: '' })),
  });
  const cluster = (topics: Record<string, Record<string, string>>, acls: AclBinding[] = []): ActualState => ({
    topics: new Map(Object.entries(topics).map(([name, overrides]) => [name, {
      name, partitions: 1, replicationFactor: 1,
      config: new Map(Object.entries(overrides).map(([k, v]) => [k, { value: v, override: true, sensitive: false }])),
    }])),
    acls, foreignAcls: [], brokerCount: 1,
  });

  it('records declared objects that exist, only the bindings present, and is idempotent', () => {
    const d = desired(['a', 'missing'], [{ name: 'app', acls: [read('Read'), read('Write')] }]);
    const c = cluster({ a: { 'retention.ms': '1' } }, [read('Read')]);
    const next = nextState(d, c, emptyStateRecords());
    expect([...next.topics.values()]).toEqual([{ kind: 'topic', name: 'a', removalPolicy: 'destroy', configKeys: ['retention.ms'], origin: 'adopted' }]);
    expect([...next.users.values()]).toEqual([{ kind: 'user', principal: 'User:app', removalPolicy: 'destroy', acls: [], adoptedAcls: [aclKey(read('Read'))] }]);
    // What this apply created is recorded as created, not adopted.
    const created = nextState(d, c, emptyStateRecords(), new Set([aclKey(read('Read'))]));
    expect(created.users.get('User:app')).toMatchObject({ acls: [aclKey(read('Read'))], adoptedAcls: [] });
    const writes = stateWrites('prod', 'main', emptyStateRecords(), next);
    expect(writes.map((w) => w.key)).toEqual(['prod/main/topic/a', 'prod/main/user/User:app']);
    expect(stateWrites('prod', 'main', next, nextState(d, c, next))).toEqual([]);
  });

  it('remembers removed objects while they exist and forgets them once gone', () => {
    const before = nextState(desired(['a'], [{ name: 'app', acls: [read('Read')] }]), cluster({ a: {} }, [read('Read')]), emptyStateRecords());
    // Removed from dist, still on the cluster: the memory stays (a later prune needs it).
    const kept = nextState(desired([]), cluster({ a: {} }, [read('Read')]), before);
    expect(stateWrites('prod', 'main', before, kept)).toEqual([]);
    // Gone from the cluster too: tombstones.
    const gone = nextState(desired([]), cluster({}), before);
    expect(stateWrites('prod', 'main', before, gone)).toEqual([
      { key: stateKey('prod', 'main', { kind: 'topic', name: 'a' }), value: null },
      { key: stateKey('prod', 'main', { kind: 'user', principal: 'User:app' }), value: null },
    ]);
  });

  it('keeps a managed config key recorded until the override is actually gone', () => {
    const prev = nextState(desired(['a']), cluster({ a: { 'retention.ms': '1', 'segment.ms': '5' } }), {
      topics: new Map([['a', { kind: 'topic', name: 'a', removalPolicy: 'destroy', configKeys: ['retention.ms', 'segment.ms'], origin: 'created' }]]), users: new Map(),
    });
    expect(prev.topics.get('a')!.configKeys).toEqual(['retention.ms', 'segment.ms']);
    expect(nextState(desired(['a']), cluster({ a: { 'retention.ms': '1' } }), prev).topics.get('a')!.configKeys).toEqual(['retention.ms']);
  });
});
