/**
 * The memory of the pull model. A topic removed from the code is no longer in dist, so whether it may be
 * deleted, and whether cdk8s-dataops created it at all, must be remembered somewhere: in the cluster
 * itself, in a compacted topic (`__cdk8s_dataops_state`) that `apply` writes. One record per object,
 * keyed `<env>/<cluster>/<kind>/<name>`, holding what apply last applied and the object's removal policy;
 * a tombstone (null value) forgets it. This file is the pure part (records and how they evolve); the
 * reading and writing is in ./state-store.ts.
 */
import { DataOpsError } from '../../lib/errors';
import { ActualState, aclKey, DesiredState, LiveRemovalPolicy, parseAclKey } from './model';

/** The compacted topic holding the records. */
export const STATE_TOPIC = '__cdk8s_dataops_state';
/**
 * Version of the record format. 2 added `origin` (topics) and `adoptedAcls` (users). Format 1 records are still
 * read, conservatively: their topics count as adopted and all their ACLs as adopted (format 1 did not say which
 * ones cdk8s-dataops created, so none of them is pruned unless the code marks it DESTROY).
 */
export const STATE_FORMAT = 2;
const READABLE_FORMATS: ReadonlySet<unknown> = new Set([1, 2]);

/**
 * How an object came under management: `created` by an apply of cdk8s-dataops, or `adopted` (it existed on the
 * cluster before it was declared, e.g. after `synth kafka import`).
 */
export type RecordOrigin = 'created' | 'adopted';

/** What apply last applied for a topic. */
export interface TopicRecord {
  readonly kind: 'topic';
  readonly name: string;
  readonly removalPolicy: LiveRemovalPolicy;
  /** Topic-level config overrides cdk8s-dataops manages (set from the code); others are left alone. */
  readonly configKeys: readonly string[];
  /** Whether cdk8s-dataops created the topic or adopted an existing one. */
  readonly origin: RecordOrigin;
}

/** What apply last applied for a principal. */
export interface UserRecord {
  readonly kind: 'user';
  readonly principal: string;
  readonly removalPolicy: LiveRemovalPolicy;
  /** The ACL bindings cdk8s-dataops created for the principal ({@link aclKey} form, sorted). */
  readonly acls: readonly string[];
  /** Bindings that existed before they were declared (adopted, never created by cdk8s-dataops), sorted. */
  readonly adoptedAcls: readonly string[];
}

/** The records of one environment and cluster. */
export interface StateRecords {
  readonly topics: ReadonlyMap<string, TopicRecord>;
  readonly users: ReadonlyMap<string, UserRecord>;
}

/** An empty state (nothing applied yet). */
export function emptyStateRecords(): StateRecords {
  return { topics: new Map(), users: new Map() };
}

/** One record to write: a value, or null for a tombstone. */
export interface StateWrite {
  readonly key: string;
  readonly value: TopicRecord | UserRecord | null;
}

/** The key prefix of an environment and cluster. */
export function statePrefix(env: string, cluster: string): string {
  return `${env}/${cluster}/`;
}

/** The record key of an object. */
export function stateKey(env: string, cluster: string, record: { kind: 'topic'; name: string } | { kind: 'user'; principal: string }): string {
  return `${statePrefix(env, cluster)}${record.kind}/${record.kind === 'topic' ? record.name : record.principal}`;
}

/** Serializes a record value (null stays null: a tombstone). */
export function encodeRecord(value: TopicRecord | UserRecord | null): string | null {
  return value === null ? null : JSON.stringify({ v: STATE_FORMAT, ...value });
}

/**
 * Folds raw records (in log order; later wins; null deletes) into the state of one environment and cluster.
 * Records of other environments/clusters are ignored; a record that cannot be parsed throws (a state that
 * cannot be trusted must not be used to decide deletions).
 */
export function foldRecords(env: string, cluster: string, records: Iterable<{ key: string; value: string | null }>): StateRecords {
  const prefix = statePrefix(env, cluster);
  const topics = new Map<string, TopicRecord>();
  const users = new Map<string, UserRecord>();
  for (const { key, value } of records) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const slash = rest.indexOf('/');
    const kind = rest.slice(0, slash);
    const name = rest.slice(slash + 1);
    if (slash < 0 || (kind !== 'topic' && kind !== 'user')) throw new StateFormatError(key, 'unknown kind');
    if (value === null) {
      if (kind === 'topic') topics.delete(name);
      else users.delete(name);
      continue;
    }
    const parsed = parseRecordValue(key, value);
    const policy = parsed.removalPolicy === 'destroy' ? 'destroy' : 'retain';
    const strings = (v: unknown) => (Array.isArray(v) ? v.map(String).sort() : []);
    if (kind === 'topic') {
      const origin: RecordOrigin = parsed.v >= 2 && parsed.origin === 'created' ? 'created' : 'adopted';
      topics.set(name, { kind, name, removalPolicy: policy, configKeys: strings(parsed.configKeys), origin });
    } else if (parsed.v >= 2) {
      users.set(name, { kind, principal: name, removalPolicy: policy, acls: strings(parsed.acls), adoptedAcls: strings(parsed.adoptedAcls) });
    } else {
      users.set(name, { kind, principal: name, removalPolicy: policy, acls: [], adoptedAcls: strings(parsed.acls) });
    }
  }
  return { topics, users };
}

/** A state record cdk8s-dataops cannot use (a person must act: upgrade, or repair the state topic). */
export class StateFormatError extends DataOpsError {
  constructor(key: string, problem: string) {
    super(`state record '${key}' in ${STATE_TOPIC}: ${problem}. The state decides what may be deleted, so nothing is planned from it: ` +
      `upgrade cdk8s-dataops if a newer version wrote it; otherwise forget the record with a tombstone (echo '${key}|' | kcat -P -b <bootstrap> -t ${STATE_TOPIC} -K'|' -Z) and apply again`);
    this.name = 'StateFormatError';
  }
}

function parseRecordValue(key: string, value: string): any {
  let parsed: any;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    throw new StateFormatError(key, `not JSON (${(e as Error).message})`);
  }
  if (!READABLE_FORMATS.has(parsed?.v)) throw new StateFormatError(key, `format ${parsed?.v} is not supported (expected ${STATE_FORMAT})`);
  return parsed;
}

/**
 * The records that should exist once the cluster is `actual` (read after apply): every declared object that
 * exists, with its removal policy, its origin and the config keys / ACLs cdk8s-dataops manages, plus the records
 * of removed objects that still exist on the cluster (their memory is what makes a later prune possible).
 * Config keys or ACLs that were managed but are still present (a removal that has not happened yet) stay
 * recorded; those gone are forgotten.
 *
 * `createdAcls`: bindings this apply created ({@link aclKey} form). A declared binding that is present but was
 * neither created now nor recorded as created before existed already: it is recorded as adopted.
 */
export function nextState(desired: DesiredState, actual: ActualState, previous: StateRecords, createdAcls: ReadonlySet<string> = new Set()): StateRecords {
  return { topics: nextTopicRecords(desired, actual, previous), users: nextUserRecords(desired, actual, previous, createdAcls) };
}

function nextTopicRecords(desired: DesiredState, actual: ActualState, previous: StateRecords): Map<string, TopicRecord> {
  const topics = new Map<string, TopicRecord>();
  const declared = new Set<string>();
  for (const t of desired.topics) {
    declared.add(t.name);
    const onCluster = actual.topics.get(t.name);
    if (!onCluster) continue;
    const before = previous.topics.get(t.name);
    const keys = new Set(Object.keys(t.config));
    for (const k of before?.configKeys ?? []) {
      if (onCluster.config?.get(k)?.override) keys.add(k);
    }
    topics.set(t.name, { kind: 'topic', name: t.name, removalPolicy: t.removalPolicy, configKeys: [...keys].sort(), origin: before?.origin ?? 'adopted' });
  }
  for (const [name, rec] of previous.topics) {
    if (!declared.has(name) && actual.topics.has(name)) topics.set(name, rec);
  }
  return topics;
}

function nextUserRecords(desired: DesiredState, actual: ActualState, previous: StateRecords, createdAcls: ReadonlySet<string>): Map<string, UserRecord> {
  const present = new Set(actual.acls.map(aclKey));
  const createdBy = new Map<string, string[]>();
  for (const k of createdAcls) {
    const principal = parseAclKey(k)?.principal;
    if (principal === undefined) continue;
    const list = createdBy.get(principal);
    if (list) list.push(k);
    else createdBy.set(principal, [k]);
  }
  const users = new Map<string, UserRecord>();
  const declared = new Set<string>();
  for (const u of desired.users) {
    declared.add(u.principal);
    const before = previous.users.get(u.principal);
    const created = new Set([...(before?.acls ?? []), ...(createdBy.get(u.principal) ?? [])].filter((k) => present.has(k)));
    const adopted = new Set([...(before?.adoptedAcls ?? []), ...(u.acls ?? []).map(aclKey)].filter((k) => present.has(k) && !created.has(k)));
    users.set(u.principal, { kind: 'user', principal: u.principal, removalPolicy: u.removalPolicy, acls: [...created].sort(), adoptedAcls: [...adopted].sort() });
  }
  for (const [principal, rec] of previous.users) {
    if (declared.has(principal)) continue;
    const acls = rec.acls.filter((k) => present.has(k));
    const adoptedAcls = rec.adoptedAcls.filter((k) => present.has(k));
    if (acls.length + adoptedAcls.length > 0) users.set(principal, { ...rec, acls, adoptedAcls });
  }
  return users;
}

/** The writes that turn `before` into `after` (changed or new records, tombstones for forgotten ones). */
export function stateWrites(env: string, cluster: string, before: StateRecords, after: StateRecords): StateWrite[] {
  const writes: StateWrite[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const [name, rec] of after.topics) {
    if (!same(before.topics.get(name), rec)) writes.push({ key: stateKey(env, cluster, rec), value: rec });
  }
  for (const name of before.topics.keys()) {
    if (!after.topics.has(name)) writes.push({ key: stateKey(env, cluster, { kind: 'topic', name }), value: null });
  }
  for (const [principal, rec] of after.users) {
    if (!same(before.users.get(principal), rec)) writes.push({ key: stateKey(env, cluster, rec), value: rec });
  }
  for (const principal of before.users.keys()) {
    if (!after.users.has(principal)) writes.push({ key: stateKey(env, cluster, { kind: 'user', principal }), value: null });
  }
  return writes;
}
