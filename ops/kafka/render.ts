/**
 * Plans and apply results for people (lines of text) and for machines (JSON).
 */
import pc from 'picocolors';
import { formatAcl } from './model';
import { planDrift, planHasChanges, planLeftovers, planVerdict, KafkaPlan } from './plan';
import { KafkaApplyResult, LivePlan } from './reconcile';

/** Options of the renderers. */
export interface LiveRenderOptions {
  /** List unmanaged objects one by one. @default false */
  readonly verbose?: boolean;
  /** What was connected to (safe to print). */
  readonly target?: string;
}

const MAX_LISTED = 50;

function configText(config: Readonly<Record<string, string>>): string {
  const entries = Object.entries(config);
  return entries.length === 0 ? '' : `; ${entries.map(([k, v]) => `${k}=${v}`).join(', ')}`;
}

/** The plan as lines of text. */
export function renderPlan(lp: LivePlan, options: LiveRenderOptions = {}): string[] {
  const p = lp.plan;
  const out: string[] = [];
  const where = `environment ${p.env}, cluster ${p.cluster}${options.target ? ` at ${options.target}` : ''}`;
  out.push(`Plan for ${where}:`);
  out.push(...planBody(p, options));
  const stats = `read in ${(lp.stats.durationMs / 1000).toFixed(2)} s with ${lp.stats.requests.total} requests`;
  const verdict = planVerdict(p);
  const left = planLeftovers(p).length;
  if (verdict === 'in-sync') {
    out.push(`${pc.green('✔')} no changes: the cluster matches dist (${lp.desired.topics.length} topics, ${lp.desired.users.length} users; ${stats})`);
  } else if (verdict === 'differs') {
    out.push(`${pc.red('✗')} nothing to apply, but the cluster differs from dist in ${left} way(s) listed above that apply will not change: ` +
      `drift and apply exit 1 until they are resolved (${stats})`);
  } else {
    out.push(`${planSummary(p)} (${stats})`);
    if (left > 0) out.push(`${pc.yellow('!')} apply will leave ${left} difference(s) listed above: drift and apply exit 1 until they are resolved`);
  }
  if (lp.pendingStateWrites.length > 0) {
    out.push(pc.dim(`apply will also record ${lp.pendingStateWrites.length} state record(s) in the cluster (removal policies, adopted objects)`));
  }
  return out;
}

/** The plan's items (without header and summary). */
export function planBody(p: KafkaPlan, options: LiveRenderOptions = {}): string[] {
  const out: string[] = [];
  for (const c of p.creates) {
    out.push(`  ${pc.green('+')} create topic ${pc.bold(c.topic)} (${c.partitions} partition(s), ${c.replicas} replica(s)${configText(c.config)})`);
  }
  for (const u of p.updates) {
    out.push(`  ${pc.yellow('~')} update topic ${pc.bold(u.topic)}`);
    if (u.partitions) out.push(`      partitions: ${u.partitions.from} → ${u.partitions.to}`);
    for (const c of u.configChanges) {
      if (c.to === undefined) out.push(`      ${pc.red('-')} ${c.key}: ${c.from} → (override removed: broker default)`);
      else out.push(`      ${c.key}: ${c.from === undefined ? '(unknown to the broker)' : c.from}${c.fromDefault ? pc.dim(' (broker default)') : ''} → ${c.to}`);
    }
    const kept = u.alterConfig ? p.unmanagedOverrides.filter((o) => o.topic === u.topic) : [];
    for (const o of kept) out.push(`      ${pc.dim(`kept: ${o.key}=${o.value} (override not set by cdk8s-dataops; sent again as is)`)}`);
  }
  for (const a of p.aclCreates) out.push(`  ${pc.green('+')} create ACL ${formatAcl(a)}`);
  for (const r of p.removals.filter((x) => x.action === 'delete')) {
    out.push(`  ${pc.red('-')} delete ${r.kind === 'topic' ? 'topic' : 'ACL'} ${r.name} (${r.reason})`);
  }
  for (const r of p.removals.filter((x) => x.action === 'skip')) {
    const label = r.removable ? 'pending prune' : p.prune ? 'refused delete' : 'not deleted';
    out.push(`  ${pc.dim('·')} ${label}: ${r.kind === 'topic' ? 'topic' : 'ACL'} ${r.name}: ${r.reason}`);
  }
  for (const r of p.refused) out.push(`  ${pc.red('!')} refused: ${r.object}: ${r.change}: ${r.reason}`);
  for (const o of p.unmanagedOverrides) {
    if (p.updates.some((u) => u.topic === o.topic && u.alterConfig)) continue;
    out.push(`  ${pc.yellow('!')} topic ${o.topic}: override ${o.key}=${o.value ?? '(sensitive)'} is not in dist and was not set by cdk8s-dataops: ` +
      'kept (add it to the Topic to manage it, or remove it with kafka-configs --delete-config)');
  }
  for (const n of p.notices) out.push(`  ${pc.dim(`note: ${n}`)}`);
  const u = p.unmanaged;
  if (u.topics.length + u.acls.length + u.foreignAcls.length > 0) {
    const refusedNote = p.prune ? ' (prune refused: not created by cdk8s-dataops)' : '';
    out.push(`  ${pc.dim(`unmanaged, left alone${refusedNote}: ${u.topics.length} topic(s), ${u.acls.length + u.foreignAcls.length} ACL(s)${options.verbose ? '' : ' (--verbose lists them)'}`)}`);
    if (options.verbose) {
      for (const t of u.topics.slice(0, MAX_LISTED * 20)) out.push(`      topic ${t}`);
      for (const a of u.acls) out.push(`      ACL ${formatAcl(a)}`);
      for (const a of u.foreignAcls) out.push(`      ACL ${a}`);
    } else if (u.topics.length > 0 && u.topics.length <= 5) {
      out.push(`      ${pc.dim(u.topics.join(', '))}`);
    }
  }
  return out;
}

/** `2 to create, 1 to update, ...` */
export function planSummary(p: KafkaPlan): string {
  const parts = [
    `${p.creates.length} topic(s) to create`,
    `${p.updates.length} to update`,
    `${p.aclCreates.length} ACL(s) to add`,
    `${p.removals.filter((r) => r.action === 'delete').length} object(s) to delete`,
  ];
  if (p.refused.length) parts.push(pc.red(`${p.refused.length} refused`));
  return `Plan: ${parts.join(', ')}`;
}

/** The drift as lines of text. */
export function renderDrift(lp: LivePlan, options: LiveRenderOptions = {}): string[] {
  const drift = planDrift(lp.plan);
  const where = `environment ${lp.plan.env}, cluster ${lp.plan.cluster}${options.target ? ` at ${options.target}` : ''}`;
  if (drift.length === 0) return [`${pc.green('✔')} no drift: the cluster matches dist (${where})`];
  return [`${pc.red('✗')} the cluster has drifted from dist (${where}): ${drift.length} difference(s)`, ...drift.map((d) => `  - ${d}`),
    pc.dim("run 'synth kafka plan' for what apply would do")];
}

/** The apply result as lines of text. */
export function renderApply(r: KafkaApplyResult): string[] {
  const d = r.done;
  const out: string[] = [];
  const total = d.topicsCreated + d.partitionsIncreased + d.configsAltered + d.aclsCreated + d.aclsDeleted + d.topicsDeleted;
  const remaining = planDrift(r.after.plan);
  if (total === 0) {
    out.push(remaining.length === 0 ? `${pc.green('✔')} no changes: the cluster already matches dist` : `${pc.yellow('!')} nothing applied`);
  } else {
    out.push(`${pc.green('✔')} applied: ${d.topicsCreated} topic(s) created, ${d.partitionsIncreased} with more partitions, ${d.configsAltered} config change(s), ` +
      `${d.aclsCreated} ACL(s) added, ${d.aclsDeleted} ACL(s) deleted, ${d.topicsDeleted} topic(s) deleted`);
  }
  const refused = r.planned.plan.refused.length + r.planned.plan.removals.filter((x) => x.action === 'skip' && x.drift).length;
  if (refused > 0) out.push(`${pc.yellow('!')} ${refused} change(s) not made (see the plan above for the reasons)`);
  if (!r.verified) out.push(`${pc.yellow('!')} not all changes are visible on the cluster yet; run 'synth kafka drift' in a moment to check`);
  out.push(pc.dim(`${d.stateRecordsWritten} state record(s) written; ${(r.stats.durationMs / 1000).toFixed(2)} s, ${r.stats.requests.total} requests`));
  if (remaining.length > 0) {
    out.push(`${pc.red('✗')} the cluster still differs from dist in ${remaining.length} way(s) (exit 1):`);
    for (const line of remaining) out.push(`  - ${line}`);
  }
  return out;
}

/** The plan as JSON (stable field order). */
export function planJson(lp: LivePlan, target?: string): Record<string, unknown> {
  const p = lp.plan;
  return {
    env: p.env,
    cluster: p.cluster,
    target,
    prune: p.prune,
    verdict: planVerdict(p),
    changes: planHasChanges(p),
    drift: planDrift(p),
    creates: p.creates,
    updates: p.updates,
    aclCreates: p.aclCreates,
    removals: p.removals.map(({ acl: _acl, ...r }) => r),
    refused: p.refused,
    unmanagedOverrides: p.unmanagedOverrides,
    unmanaged: { topics: p.unmanaged.topics, acls: p.unmanaged.acls.map(formatAcl), foreignAcls: p.unmanaged.foreignAcls },
    notices: p.notices,
    pendingStateWrites: lp.pendingStateWrites.map((w) => w.key),
    stats: { durationMs: Math.round(lp.stats.durationMs), requests: lp.stats.requests },
  };
}

/** The apply result as JSON. */
export function applyJson(r: KafkaApplyResult, target?: string): Record<string, unknown> {
  return {
    plan: planJson(r.planned, target),
    done: r.done,
    verified: r.verified,
    remaining: planDrift(r.after.plan),
    stats: { durationMs: Math.round(r.stats.durationMs), requests: r.stats.requests },
  };
}

