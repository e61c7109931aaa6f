/**
 * Planning: compares the desired state (dist) with the cluster and the state records, and says what apply
 * will do, what it refuses and why. Pure: no I/O, so every rule is unit-tested without a broker.
 *
 * Config rules (no perpetual diff):
 * - A key the code sets is compared with the topic's *effective* value. When the broker default already
 *   equals it, nothing is written: not a change, and not a change next time either.
 * - A key the code does not set is looked at only when it is a topic-level override (config source
 *   TOPIC_CONFIG); broker and static defaults never show as changes.
 * - An override the code set before (recorded in the state) and no longer sets is removed (the topic goes
 *   back to the broker default). An override cdk8s-dataops never set (by hand, by another tool, before
 *   adoption) is kept and reported: removing, say, a hand-set `retention.ms=-1` could delete data.
 *   Because kafkajs' AlterConfigs replaces *all* overrides of a topic, kept overrides are sent along with
 *   the desired ones, explicitly.
 */
import { sameConfigValue } from './config-values';
import { aclKey, ActualState, AclBinding, DesiredState, formatAcl, isInternalTopic, LiveRemovalPolicy, compareCodeUnits } from './model';
import { StateRecords } from './state';

/** Options of {@link computePlan}. */
export interface KafkaPlanOptions {
  /** Delete objects that are no longer in dist and were recorded as removable. @default false */
  readonly prune?: boolean;
}

/** A topic to create. */
export interface TopicCreate {
  readonly topic: string;
  readonly partitions: number;
  readonly replicas: number;
  readonly config: Readonly<Record<string, string>>;
  readonly removalPolicy: LiveRemovalPolicy;
}

/** One config key that changes. `to` undefined: the override is removed (back to the broker default). */
export interface TopicConfigChange {
  readonly key: string;
  /** The current effective value (undefined when the broker does not report the key). */
  readonly from?: string;
  /** Whether `from` is a broker default rather than a topic override. */
  readonly fromDefault?: boolean;
  readonly to?: string;
}

/** Changes to an existing topic. */
export interface TopicUpdate {
  readonly topic: string;
  readonly partitions?: { readonly from: number; readonly to: number };
  readonly configChanges: readonly TopicConfigChange[];
  /**
   * The complete override set apply sends when `configChanges` is not empty (AlterConfigs replaces every
   * override): the desired config plus the kept unmanaged overrides.
   */
  readonly alterConfig?: Readonly<Record<string, string>>;
}

/** An object on the cluster that is no longer (or never was) in dist for a declared owner. */
export interface KafkaRemoval {
  readonly kind: 'topic' | 'acl';
  /** Topic name, or the ACL in words. */
  readonly name: string;
  readonly acl?: AclBinding;
  /** 'delete': apply deletes it (removable and --prune given); 'skip': it stays. */
  readonly action: 'delete' | 'skip';
  /** Why (shown to people). */
  readonly reason: string;
  /** Whether it is removable at all (recorded as DESTROY or a revoked grant): then --prune would delete it. */
  readonly removable: boolean;
  /** Whether the cluster differs from the code because of it (counts as drift). */
  readonly drift: boolean;
}

/** A change the code asks for that apply will not make. */
export interface KafkaRefusal {
  readonly object: string;
  readonly change: string;
  readonly reason: string;
}

/** What apply would do, and everything else worth knowing. */
export interface KafkaPlan {
  readonly env: string;
  readonly cluster: string;
  readonly prune: boolean;
  readonly creates: readonly TopicCreate[];
  readonly updates: readonly TopicUpdate[];
  readonly aclCreates: readonly AclBinding[];
  readonly removals: readonly KafkaRemoval[];
  readonly refused: readonly KafkaRefusal[];
  /** Overrides on declared topics that cdk8s-dataops never set: kept, but they are drift. */
  readonly unmanagedOverrides: readonly { readonly topic: string; readonly key: string; readonly value: string | null }[];
  /** Cluster objects that belong to nothing declared and were never recorded: left alone. */
  readonly unmanaged: {
    readonly topics: readonly string[];
    readonly acls: readonly AclBinding[];
    readonly foreignAcls: readonly string[];
  };
  /** Things the pull model does not manage but the code declares (quotas, credentials), and skipped objects. */
  readonly notices: readonly string[];
}

/** Computes the plan. `state` holds what earlier applies recorded for this environment and cluster. */
export function computePlan(desired: DesiredState, actual: ActualState, state: StateRecords, options: KafkaPlanOptions = {}): KafkaPlan {
  const prune = options.prune ?? false;
  const creates: TopicCreate[] = [];
  const updates: TopicUpdate[] = [];
  const refused: KafkaRefusal[] = [];
  const removals: KafkaRemoval[] = [];
  const unmanagedOverrides: { topic: string; key: string; value: string | null }[] = [];
  const notices: string[] = [];

  // --- topics
  const declared = new Set<string>();
  for (const t of desired.topics) {
    declared.add(t.name);
    const onCluster = actual.topics.get(t.name);
    if (!onCluster) {
      const partitions = t.partitions ?? actual.brokerDefaults?.numPartitions;
      const replicas = t.replicas ?? actual.brokerDefaults?.defaultReplicationFactor;
      if (partitions === undefined || replicas === undefined) throw new Error(`internal: broker defaults were not read but topic '${t.name}' needs them`);
      if (replicas > actual.brokerCount) {
        refused.push({ object: `topic ${t.name}`, change: 'create', reason: `needs ${replicas} replicas but the cluster has ${actual.brokerCount} broker(s)` });
        continue;
      }
      creates.push({ topic: t.name, partitions, replicas, config: t.config, removalPolicy: t.removalPolicy });
      continue;
    }
    let partitions: TopicUpdate['partitions'];
    if (t.partitions !== undefined && t.partitions > onCluster.partitions) partitions = { from: onCluster.partitions, to: t.partitions };
    if (t.partitions !== undefined && t.partitions < onCluster.partitions) {
      refused.push({
        object: `topic ${t.name}`, change: `partitions ${onCluster.partitions} → ${t.partitions}`,
        reason: `Kafka cannot decrease partitions; keep ${onCluster.partitions} in the code, or create a new topic and migrate`,
      });
    }
    if (t.replicas !== undefined && t.replicas !== onCluster.replicationFactor) {
      refused.push({
        object: `topic ${t.name}`, change: `replication factor ${onCluster.replicationFactor} → ${t.replicas}`,
        reason: 'not changed by the pull model: kafkajs cannot plan replica placement and reassign partitions safely; ' +
          'use kafka-reassign-partitions.sh or Cruise Control, or Strimzi',
      });
    }
    const cfg = onCluster.config;
    const changes: TopicConfigChange[] = [];
    const kept: Record<string, string> = {};
    let blocked: string | undefined;
    if (cfg) {
      for (const [key, to] of Object.entries(t.config)) {
        const entry = cfg.get(key);
        if (entry?.sensitive) continue; // never readable; cannot be compared
        if (entry?.value === undefined || entry.value === null || !sameConfigValue(key, entry.value, to)) {
          changes.push({ key, from: entry?.value ?? undefined, fromDefault: entry ? !entry.override : undefined, to });
        }
      }
      const managed = new Set(state.topics.get(t.name)?.configKeys ?? []);
      for (const [key, entry] of cfg) {
        if (!entry.override || key in t.config) continue;
        if (managed.has(key)) {
          changes.push({ key, from: entry.value ?? undefined, fromDefault: false, to: undefined });
        } else {
          unmanagedOverrides.push({ topic: t.name, key, value: entry.value });
          if (entry.value === null) blocked = key;
          else kept[key] = entry.value;
        }
      }
    }
    changes.sort((a, b) => compareCodeUnits(a.key, b.key));
    if (changes.length > 0 && blocked !== undefined) {
      refused.push({
        object: `topic ${t.name}`, change: `config ${changes.map((c) => c.key).join(', ')}`,
        reason: `the topic has a sensitive override '${blocked}' that cannot be read back, and kafkajs' AlterConfigs replaces all overrides; ` +
          'change it with kafka-configs --alter (incremental) instead',
      });
    }
    const configChanges = blocked === undefined ? changes : [];
    if (partitions || configChanges.length > 0) {
      updates.push({
        topic: t.name,
        partitions,
        configChanges,
        alterConfig: configChanges.length > 0 ? sortedRecord({ ...kept, ...t.config }) : undefined,
      });
    }
  }
  const unmanagedTopics: string[] = [];
  for (const name of [...actual.topics.keys()].sort()) {
    if (declared.has(name) || isInternalTopic(name)) continue;
    const rec = state.topics.get(name);
    if (!rec) {
      unmanagedTopics.push(name);
      continue;
    }
    removals.push(removal('topic', name, undefined, rec.removalPolicy === 'destroy', prune,
      rec.removalPolicy === 'destroy' ? 'removed from dist; recorded with RemovalPolicy.DESTROY' : 'not marked removable (RemovalPolicy.RETAIN)',
      rec.removalPolicy === 'destroy'));
  }

  // --- ACLs
  const present = new Map(actual.acls.map((a) => [aclKey(a), a]));
  const aclCreates: AclBinding[] = [];
  const declaredPrincipals = new Set<string>();
  for (const u of desired.users) {
    declaredPrincipals.add(u.principal);
    const recorded = new Set(state.users.get(u.principal)?.acls ?? []);
    const wanted = new Set((u.acls ?? []).map(aclKey));
    for (const a of u.acls ?? []) if (!present.has(aclKey(a))) aclCreates.push(a);
    for (const [key, a] of present) {
      if (a.principal !== u.principal || wanted.has(key)) continue;
      if (recorded.has(key)) {
        removals.push(removal('acl', formatAcl(a), a, true, prune, `removed from KafkaUser '${u.name}' in dist (applied by cdk8s-dataops)`, true));
      } else if (u.acls !== undefined) {
        removals.push(removal('acl', formatAcl(a), a, false, prune, `not created by cdk8s-dataops (KafkaUser '${u.name}' does not list it)`, true));
      }
    }
    if (u.quotas) {
      notices.push(`quotas of ${u.principal} (${Object.entries(u.quotas).map(([k, v]) => `${k}=${v}`).join(', ')}) are not managed by the pull model ` +
        '(kafkajs has no client-quota API): apply them with Strimzi or kafka-configs --alter --entity-type users');
    }
  }
  const unmanagedAcls: AclBinding[] = [];
  for (const [key, a] of [...present].sort(([x], [y]) => compareCodeUnits(x, y))) {
    if (declaredPrincipals.has(a.principal)) continue;
    const rec = state.users.get(a.principal);
    if (!rec || !rec.acls.includes(key)) {
      unmanagedAcls.push(a);
      continue;
    }
    const destroy = rec.removalPolicy === 'destroy';
    removals.push(removal('acl', formatAcl(a), a, destroy, prune,
      destroy ? 'KafkaUser removed from dist; recorded with RemovalPolicy.DESTROY' : 'KafkaUser removed from dist; not marked removable (RemovalPolicy.RETAIN)', destroy));
  }
  if (desired.users.some((u) => u.authentication === 'scram-sha-512')) {
    notices.push('SCRAM credentials are not created by the pull model (kafkajs has no SCRAM admin API): create them with kafka-configs or your provider');
  }
  for (const s of desired.skipped) notices.push(`skipped ${s.file}: ${s.reason}`);

  return {
    env: desired.env,
    cluster: desired.cluster,
    prune,
    creates,
    updates,
    aclCreates: aclCreates.sort((a, b) => compareCodeUnits(aclKey(a), aclKey(b))),
    removals,
    refused,
    unmanagedOverrides,
    unmanaged: { topics: unmanagedTopics, acls: unmanagedAcls, foreignAcls: [...actual.foreignAcls] },
    notices,
  };
}

function removal(kind: 'topic' | 'acl', name: string, acl: AclBinding | undefined, removable: boolean, prune: boolean, why: string, drift: boolean): KafkaRemoval {
  const action = removable && prune ? 'delete' : 'skip';
  const reason = removable && !prune ? `${why}; deleted only with --prune` : why;
  return { kind, name, acl, action, reason, removable, drift };
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => compareCodeUnits(a, b)));
}

/** Whether apply would change anything on the cluster. */
export function planHasChanges(plan: KafkaPlan): boolean {
  return plan.creates.length + plan.updates.length + plan.aclCreates.length + plan.removals.filter((r) => r.action === 'delete').length > 0;
}

/** The differences between the cluster and the code, one line each (empty: in sync). */
export function planDrift(plan: KafkaPlan): string[] {
  const out: string[] = [];
  for (const c of plan.creates) out.push(`topic ${c.topic}: missing on the cluster`);
  for (const u of plan.updates) {
    if (u.partitions) out.push(`topic ${u.topic}: ${u.partitions.from} partitions, dist says ${u.partitions.to}`);
    for (const c of u.configChanges) {
      out.push(c.to === undefined
        ? `topic ${u.topic}: ${c.key}=${c.from} is still set (removed from dist)`
        : `topic ${u.topic}: ${c.key} is ${c.from === undefined ? '(unset)' : c.from}${c.fromDefault ? ' (broker default)' : ''}, dist says ${c.to}`);
    }
  }
  for (const a of plan.aclCreates) out.push(`ACL missing: ${formatAcl(a)}`);
  for (const r of plan.removals) if (r.drift) out.push(`${r.kind === 'topic' ? `topic ${r.name}` : `extra ACL: ${r.name}`}: ${r.reason}`);
  for (const r of plan.refused) out.push(`${r.object}: ${r.change} (${r.reason})`);
  for (const o of plan.unmanagedOverrides) out.push(`topic ${o.topic}: override ${o.key}=${o.value ?? '(sensitive)'} is not in dist`);
  return out;
}
