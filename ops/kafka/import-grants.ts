/**
 * Import: a principal's ACL bindings read back as the grants that produce them (`topic.grantRead(user, {
 * consumerGroup })`, `grantWrite(user, { transactionalId })`, `grantReadWrite`), so the generated code reads like
 * code a person writes. Only what no grant expresses stays a raw binding (DENY, host-restricted, cluster-level,
 * wildcard, operations beyond read/write). The grants produce exactly the bindings they consume (see
 * constructs/kafka/topic.ts: Read+Describe on the topic, Read on the group; Write+Describe on the topic,
 * Write+Describe on the transactional id).
 */
import { AclBinding, aclKey, compareCodeUnits, LiveAclOperation } from './model';

/** A topic resource a grant is made on. */
export interface GrantTarget {
  readonly name: string;
  readonly prefix: boolean;
}

/** One grant to write. */
export interface DerivedGrant {
  readonly topic: GrantTarget;
  readonly read: boolean;
  readonly write: boolean;
  readonly consumerGroup?: GrantTarget;
  readonly transactionalId?: GrantTarget;
}

/** A principal's bindings as grants plus the bindings left for `addAcl`. */
export interface DerivedAccess {
  readonly grants: readonly DerivedGrant[];
  readonly rest: readonly AclBinding[];
}

const resourceKey = (a: AclBinding) => JSON.stringify([a.resourceType, a.patternType, a.resourceName]);

/** Derives grants from the bindings of one principal. */
export function deriveGrants(bindings: readonly AclBinding[]): DerivedAccess {
  const sorted = [...bindings].sort((a, b) => compareCodeUnits(aclKey(a), aclKey(b)));
  const used = new Set<AclBinding>();
  // Bindings a grant can produce: ALLOW from any host, on a named (non-wildcard) resource.
  const plain = sorted.filter((a) => a.permission === 'allow' && a.host === '*' && a.resourceName !== '*' && a.resourceType !== 'cluster' &&
    (a.resourceType !== 'topic' || isTopicName(a.resourceName, a.patternType === 'prefix')));
  const byResource = new Map<string, Map<LiveAclOperation, AclBinding>>();
  for (const a of plain) {
    const ops = byResource.get(resourceKey(a)) ?? new Map<LiveAclOperation, AclBinding>();
    ops.set(a.operation, a);
    byResource.set(resourceKey(a), ops);
  }
  const take = (ops: Map<LiveAclOperation, AclBinding>, ...names: LiveAclOperation[]) => {
    for (const n of names) used.add(ops.get(n)!);
  };

  const grants: { topic: GrantTarget; read: boolean; write: boolean; consumerGroup?: GrantTarget; transactionalId?: GrantTarget }[] = [];
  for (const ops of byResource.values()) {
    const any = ops.values().next().value as AclBinding;
    if (any.resourceType !== 'topic' || !ops.has('Describe')) continue;
    const read = ops.has('Read');
    const write = ops.has('Write');
    if (!read && !write) continue;
    take(ops, 'Describe', ...(read ? ['Read' as const] : []), ...(write ? ['Write' as const] : []));
    grants.push({ topic: { name: any.resourceName, prefix: any.patternType === 'prefix' }, read, write });
  }
  attach(grants.filter((g) => g.read), byResource, 'group', ['Read'], used, (g, t) => { g.consumerGroup = t; });
  attach(grants.filter((g) => g.write), byResource, 'transactionalId', ['Write', 'Describe'], used, (g, t) => { g.transactionalId = t; });
  return { grants, rest: sorted.filter((a) => !used.has(a)) };
}

/**
 * Gives each grant at most one group (or transactional id) whose bindings are exactly `ops`, preferring the one
 * whose name shares the longest start with the topic's; what is left stays a raw binding.
 */
function attach(grants: { topic: GrantTarget }[], byResource: Map<string, Map<LiveAclOperation, AclBinding>>, type: 'group' | 'transactionalId',
  ops: readonly LiveAclOperation[], used: Set<AclBinding>, set: (g: any, t: GrantTarget) => void): void {
  const candidates = [...byResource.values()].filter((m) => {
    const any = m.values().next().value as AclBinding;
    return any.resourceType === type && ops.every((o) => m.has(o));
  });
  for (const g of grants) {
    if (candidates.length === 0) return;
    let best = 0;
    for (let i = 1; i < candidates.length; i++) {
      if (commonStart(name(candidates[i]), g.topic.name) > commonStart(name(candidates[best]), g.topic.name)) best = i;
    }
    const [chosen] = candidates.splice(best, 1);
    for (const o of ops) used.add(chosen.get(o)!);
    const any = chosen.values().next().value as AclBinding;
    set(g, { name: any.resourceName, prefix: any.patternType === 'prefix' });
  }
}

/** Whether a Topic (or `Topic.prefix`) can stand for the name (see validateTopicName in constructs/kafka/topic.ts). */
function isTopicName(name: string, prefix: boolean): boolean {
  return /^[a-zA-Z0-9._-]{1,249}$/.test(name) && (prefix || (name !== '.' && name !== '..'));
}

function name(m: Map<LiveAclOperation, AclBinding>): string {
  return (m.values().next().value as AclBinding).resourceName;
}

function commonStart(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
