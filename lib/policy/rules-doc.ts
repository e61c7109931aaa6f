import { PolicyPack } from './pack';
import { RuleInfo } from './rule';

/**
 * `docs/rules.md`: every rule of the given packs (and the engine's own findings) with id, level, what, why and fix,
 * generated from the rule metadata. Anchors are the lower-case ids (`#dop-kafka-001`), which SARIF help links use.
 */
export function renderRulesMarkdown(packs: readonly PolicyPack[], engine: readonly RuleInfo[], intro: string): string {
  const seen = new Map<string, { rule: RuleInfo; packs: string[] }>();
  for (const pack of packs) {
    for (const rule of [...pack.rules, ...(pack.detectors ?? [])]) {
      const entry = seen.get(rule.id) ?? { rule, packs: [] };
      if (!entry.packs.includes(pack.name)) entry.packs.push(pack.name);
      seen.set(rule.id, entry);
    }
  }
  for (const rule of engine) if (!seen.has(rule.id)) seen.set(rule.id, { rule, packs: ['policy engine'] });
  const entries = [...seen.values()].sort((a, b) => (a.rule.id < b.rule.id ? -1 : 1));
  const lines = [intro.trim(), '', '| Id | Level | What |', '| --- | --- | --- |'];
  for (const { rule } of entries) lines.push(`| [${rule.id}](#${rule.id.toLowerCase()}) | ${rule.level} | ${escape(rule.description)} |`);
  for (const { rule, packs } of entries) {
    lines.push('', `## ${rule.id}`, '', `**${escape(rule.description)}** (${rule.level}; ${packs.join(', ')}${rule.acknowledgeable === false ? '; cannot be acknowledged' : ''})`, '');
    lines.push(`- Why: ${rule.rationale}`, `- Fix: ${rule.remediation}`);
    const s = rule.scanners;
    if (s?.checkov?.length) lines.push(`- Checkov: ${s.checkov.join(', ')}`);
    if (s?.kubeLinter?.length) lines.push(`- kube-linter: ${s.kubeLinter.join(', ')}`);
    if (s?.kyverno) lines.push(`- Kyverno: ClusterPolicy \`${rule.id.toLowerCase()}\`${s.kyverno.productionOnly ? ', production only' : ''} (\`KyvernoPolicies\`)`);
  }
  return `${lines.join('\n')}\n`;
}

function escape(s: string): string {
  return s.replace(/\|/g, '\\|');
}
