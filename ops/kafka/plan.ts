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
import {
  aclKey, ActualState, ActualTopic, AclBinding, DesiredState, DesiredTopic, DesiredUser, formatAcl, isInternalTopic, LiveRemovalPolicy, compareCodeUnits,
} from './model';
import { StateRecords } from './state';

/** Options of {@link computePlan}. */
export interface KafkaPlanOptions {
  /** Delete objects that are no longer in dist and were recorded as removable. @default false */
  readonly prune?: boolean;
  /**
   * Let prune delete DENY bindings. Deleting a DENY widens access, so prune refuses it unless this is set.
   * @default false
   */
  readonly allowDenyRemoval?: boolean;
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
  return new PlanBuilder(desired, actual, state, options).build();
}

/** Collects the plan, one method per step: declared topics, removed topics, declared users' ACLs, removed users' ACLs. */
class PlanBuilder {
  private readonly prune: boolean;
  private readonly creates: TopicCreate[] = [];
  private readonly updates: TopicUpdate[] = [];
  private readonly aclCreates: AclBinding[] = [];
  private readonly refused: KafkaRefusal[] = [];
  private readonly removals: KafkaRemoval[] = [];
  private readonly unmanagedOverrides: { topic: string; key: string; value: string | null }[] = [];
  private readonly unmanagedTopics: string[] = [];
  private readonly unmanagedAcls: AclBinding[] = [];
  private readonly notices: string[] = [];
  private readonly present: Map<string, AclBinding>;
  /** The bindings on the cluster by principal (a declared user looks only at its own). */
  private readonly presentByPrincipal = new Map<string, [string, AclBinding][]>();

  constructor(private readonly desired: DesiredState, private readonly actual: ActualState, private readonly state: StateRecords,
    private readonly options: KafkaPlanOptions) {
    this.prune = options.prune ?? false;
    this.present = new Map(actual.acls.map((a) => [aclKey(a), a]));
    for (const [key, a] of this.present) {
      const list = this.presentByPrincipal.get(a.principal);
      if (list) list.push([key, a]);
      else this.presentByPrincipal.set(a.principal, [[key, a]]);
    }
  }

  public build(): KafkaPlan {
    for (const t of this.desired.topics) this.planDeclaredTopic(t);
    this.planUndeclaredTopics();
    for (const u of this.desired.users) this.planDeclaredUser(u);
    this.planUndeclaredPrincipals();
    this.addNotices();
    return {
      env: this.desired.env,
      cluster: this.desired.cluster,
      prune: this.prune,
      creates: this.creates,
      updates: this.updates,
      aclCreates: this.aclCreates.sort((a, b) => compareCodeUnits(aclKey(a), aclKey(b))),
      removals: this.removals,
      refused: this.refused,
      unmanagedOverrides: this.unmanagedOverrides,
      unmanaged: { topics: this.unmanagedTopics, acls: this.unmanagedAcls, foreignAcls: [...this.actual.foreignAcls] },
      notices: this.notices,
    };
  }

  private planDeclaredTopic(t: DesiredTopic): void {
    const onCluster = this.actual.topics.get(t.name);
    if (!onCluster) {
      this.planCreate(t);
      return;
    }
    const partitions = this.planPartitions(t, onCluster);
    this.checkReplicas(t, onCluster);
    const { changes, alterConfig } = this.planConfig(t, onCluster);
    if (partitions || changes.length > 0) this.updates.push({ topic: t.name, partitions, configChanges: changes, alterConfig });
  }

  private planCreate(t: DesiredTopic): void {
    const partitions = t.partitions ?? this.actual.brokerDefaults?.numPartitions;
    const replicas = t.replicas ?? this.actual.brokerDefaults?.defaultReplicationFactor;
    if (partitions === undefined || replicas === undefined) throw new Error(`internal: broker defaults were not read but topic '${t.name}' needs them`);
    if (replicas > this.actual.brokerCount) {
      this.refused.push({ object: `topic ${t.name}`, change: 'create', reason: `needs ${replicas} replicas but the cluster has ${this.actual.brokerCount} broker(s)` });
      return;
    }
    this.creates.push({ topic: t.name, partitions, replicas, config: t.config, removalPolicy: t.removalPolicy });
  }

  private planPartitions(t: DesiredTopic, onCluster: ActualTopic): TopicUpdate['partitions'] {
    if (t.partitions === undefined || t.partitions === onCluster.partitions) return undefined;
    if (t.partitions > onCluster.partitions) return { from: onCluster.partitions, to: t.partitions };
    this.refused.push({
      object: `topic ${t.name}`, change: `partitions ${onCluster.partitions} → ${t.partitions}`,
      reason: `Kafka cannot decrease partitions; keep ${onCluster.partitions} in the code, or create a new topic and migrate`,
    });
    return undefined;
  }

  private checkReplicas(t: DesiredTopic, onCluster: ActualTopic): void {
    if (t.replicas === undefined || t.replicas === onCluster.replicationFactor) return;
    this.refused.push({
      object: `topic ${t.name}`, change: `replication factor ${onCluster.replicationFactor} → ${t.replicas}`,
      reason: 'not changed by the pull model: kafkajs cannot plan replica placement and reassign partitions safely; ' +
        'use kafka-reassign-partitions.sh or Cruise Control, or Strimzi',
    });
  }

  /** Config changes of a declared topic (see the config rules at the top of this file). */
  private planConfig(t: DesiredTopic, onCluster: ActualTopic): { changes: TopicConfigChange[]; alterConfig?: Record<string, string> } {
    const cfg = onCluster.config;
    if (!cfg) return { changes: [] };
    const changes: TopicConfigChange[] = [];
    for (const [key, to] of Object.entries(t.config)) {
      const entry = cfg.get(key);
      if (entry?.sensitive) continue; // never readable; cannot be compared
      if (entry?.value === undefined || entry.value === null || !sameConfigValue(key, entry.value, to)) {
        changes.push({ key, from: entry?.value ?? undefined, fromDefault: entry ? !entry.override : undefined, to });
      }
    }
    const managed = new Set(this.state.topics.get(t.name)?.configKeys ?? []);
    const kept: Record<string, string> = {};
    let blocked: string | undefined;
    for (const [key, entry] of cfg) {
      if (!entry.override || key in t.config) continue;
      if (managed.has(key)) {
        changes.push({ key, from: entry.value ?? undefined, fromDefault: false, to: undefined });
      } else {
        this.unmanagedOverrides.push({ topic: t.name, key, value: entry.value });
        if (entry.value === null) blocked = key;
        else kept[key] = entry.value;
      }
    }
    changes.sort((a, b) => compareCodeUnits(a.key, b.key));
    if (changes.length > 0 && blocked !== undefined) {
      this.refused.push({
        object: `topic ${t.name}`, change: `config ${changes.map((c) => c.key).join(', ')}`,
        reason: `the topic has a sensitive override '${blocked}' that cannot be read back, and kafkajs' AlterConfigs replaces all overrides; ` +
          'change it with kafka-configs --alter (incremental) instead',
      });
      return { changes: [] };
    }
    return { changes, alterConfig: changes.length > 0 ? sortedRecord({ ...kept, ...t.config }) : undefined };
  }

  /** Topics on the cluster the code does not declare: removals when recorded, else unmanaged. */
  private planUndeclaredTopics(): void {
    const declared = new Set(this.desired.topics.map((t) => t.name));
    for (const name of [...this.actual.topics.keys()].sort(compareCodeUnits)) {
      if (declared.has(name) || isInternalTopic(name)) continue;
      const rec = this.state.topics.get(name);
      if (!rec) {
        this.unmanagedTopics.push(name);
        continue;
      }
      const destroy = rec.removalPolicy === 'destroy';
      const origin = rec.origin === 'adopted' ? 'adopted (it existed before cdk8s-dataops)' : 'created by cdk8s-dataops';
      this.removals.push(this.removal('topic', name, undefined, destroy,
        destroy ? `removed from dist; ${origin}; recorded with RemovalPolicy.DESTROY` : `removed from dist; ${origin}; not marked removable (RemovalPolicy.RETAIN)`, destroy));
    }
  }

  /** A declared user: its missing bindings, and the bindings on the cluster the code no longer lists. */
  private planDeclaredUser(u: DesiredUser): void {
    const rec = this.state.users.get(u.principal);
    const created = new Set(rec?.acls ?? []);
    const adopted = new Set(rec?.adoptedAcls ?? []);
    const wanted = new Set((u.acls ?? []).map(aclKey));
    for (const a of u.acls ?? []) if (!this.present.has(aclKey(a))) this.aclCreates.push(a);
    for (const [key, a] of this.presentByPrincipal.get(u.principal) ?? []) {
      if (wanted.has(key)) continue;
      const what = `removed from KafkaUser '${u.name}' in dist`;
      if (created.has(key)) {
        this.removals.push(this.removal('acl', formatAcl(a), a, true, `${what} (created by cdk8s-dataops)`, true));
      } else if (adopted.has(key)) {
        const destroy = u.removalPolicy === 'destroy';
        this.removals.push(this.removal('acl', formatAcl(a), a, destroy, destroy
          ? `${what}; adopted (it existed before cdk8s-dataops); KafkaUser marked RemovalPolicy.DESTROY`
          : `${what}; adopted (it existed before cdk8s-dataops), so kept: mark the KafkaUser RemovalPolicy.DESTROY to let prune delete it`, true));
      } else if (u.acls !== undefined) {
        this.removals.push(this.removal('acl', formatAcl(a), a, false, `not created by cdk8s-dataops (KafkaUser '${u.name}' does not list it)`, true));
      }
    }
    if (u.quotas) {
      this.notices.push(`quotas of ${u.principal} (${Object.entries(u.quotas).map(([k, v]) => `${k}=${v}`).join(', ')}) are not managed by the pull model ` +
        '(kafkajs has no client-quota API): apply them with Strimzi or kafka-configs --alter --entity-type users');
    }
  }

  /** Bindings of principals the code does not declare: removals when recorded (per the user's removal policy), else unmanaged. */
  private planUndeclaredPrincipals(): void {
    const declared = new Set(this.desired.users.map((u) => u.principal));
    for (const [key, a] of [...this.present].sort(([x], [y]) => compareCodeUnits(x, y))) {
      if (declared.has(a.principal)) continue;
      const rec = this.state.users.get(a.principal);
      const origin = rec?.acls.includes(key) ? 'created by cdk8s-dataops' : rec?.adoptedAcls.includes(key) ? 'adopted' : undefined;
      if (!rec || !origin) {
        this.unmanagedAcls.push(a);
        continue;
      }
      const destroy = rec.removalPolicy === 'destroy';
      this.removals.push(this.removal('acl', formatAcl(a), a, destroy, destroy
        ? `KafkaUser removed from dist (${origin}); recorded with RemovalPolicy.DESTROY`
        : `KafkaUser removed from dist (${origin}); not marked removable (RemovalPolicy.RETAIN)`, destroy));
    }
  }

  private addNotices(): void {
    if (this.desired.users.some((u) => u.authentication === 'scram-sha-512')) {
      this.notices.push('SCRAM credentials are not created by the pull model (kafkajs has no SCRAM admin API): create them with kafka-configs or your provider');
    }
    for (const s of this.desired.skipped) this.notices.push(`skipped ${s.file}: ${s.reason}`);
  }

  /** A removal; a DENY binding is never removable without {@link KafkaPlanOptions.allowDenyRemoval}. */
  private removal(kind: 'topic' | 'acl', name: string, acl: AclBinding | undefined, removable: boolean, why: string, drift: boolean): KafkaRemoval {
    if (removable && acl?.permission === 'deny' && !this.options.allowDenyRemoval) {
      return { kind, name, acl, action: 'skip', removable: false, drift,
        reason: `${why}; a DENY binding: deleting it widens access, so prune keeps it unless --allow-deny-removal is given` };
    }
    const action = removable && this.prune ? 'delete' : 'skip';
    const reason = removable && !this.prune ? `${why}; deleted only with --prune` : why;
    return { kind, name, acl, action, reason, removable, drift };
  }
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => compareCodeUnits(a, b)));
}

/**
 * The one verdict plan, drift and apply share:
 * - `in-sync`: nothing to apply and nothing differs (drift exits 0, apply exits 0);
 * - `changes`: apply has something to do;
 * - `differs`: nothing apply would do, but the cluster still differs from the code (refusals, overrides not set by
 *   cdk8s-dataops, pending or refused prunes): drift and apply exit 1 until a person resolves them.
 */
export type PlanVerdict = 'in-sync' | 'changes' | 'differs';

/** The verdict of a plan (see {@link PlanVerdict}). */
export function planVerdict(plan: KafkaPlan): PlanVerdict {
  if (planHasChanges(plan)) return 'changes';
  return planDrift(plan).length > 0 ? 'differs' : 'in-sync';
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
  for (const r of plan.removals) if (r.drift && r.action === 'delete') out.push(removalLine(r));
  return [...out, ...planLeftovers(plan)];
}

/** The differences apply will not remove (refusals, kept removals, overrides not set by cdk8s-dataops), one line each. */
export function planLeftovers(plan: KafkaPlan): string[] {
  const out: string[] = [];
  for (const r of plan.removals) if (r.drift && r.action !== 'delete') out.push(removalLine(r));
  for (const r of plan.refused) out.push(`${r.object}: ${r.change} (${r.reason})`);
  for (const o of plan.unmanagedOverrides) out.push(`topic ${o.topic}: override ${o.key}=${o.value ?? '(sensitive)'} is not in dist`);
  return out;
}

function removalLine(r: KafkaRemoval): string {
  return `${r.kind === 'topic' ? `topic ${r.name}` : `extra ACL: ${r.name}`}: ${r.reason}`;
}
