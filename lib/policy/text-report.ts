import { Finding } from './finding';
import { PolicyReport } from './report';

/**
 * The terminal summary: counts per rule with findings, then each unacknowledged error and warning with its path and
 * fix, then each acknowledged finding with its reason. Plain lines (the command line colours them).
 */
export function renderPolicySummary(report: PolicyReport): string[] {
  const lines: string[] = [];
  const open = report.findings.filter((f) => !f.acknowledged);
  const acked = report.findings.filter((f) => f.acknowledged);
  const count = (level: string) => open.filter((f) => f.level === level).length;
  const evaluated = report.rules.filter((r) => r.evaluated > 0).length;
  lines.push(`policy: ${evaluated} rules evaluated; ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info, ${acked.length} acknowledged`);
  const withFindings = report.rules.filter((r) => report.findings.some((f) => f.ruleId === r.id));
  for (const r of withFindings) {
    const own = report.findings.filter((f) => f.ruleId === r.id);
    const a = own.filter((f) => f.acknowledged).length;
    lines.push(`  ${r.id} ${r.level} ×${own.length}${a ? ` (${a} acknowledged)` : ''}: ${r.description}`);
  }
  const rule = (id: string) => report.rules.find((r) => r.id === id);
  for (const f of open.filter((x) => x.level !== 'info')) {
    lines.push(`${f.level === 'error' ? 'ERROR' : 'WARN '} [${f.ruleId}] ${where(f)}: ${f.message}`);
    const fix = rule(f.ruleId)?.remediation;
    if (fix) lines.push(`      fix: ${fix}`);
  }
  for (const f of acked) lines.push(`ACK   [${f.ruleId}] ${where(f)}: acknowledged on ${f.acknowledged!.scope || '<platform>'}: ${f.acknowledged!.reason}`);
  return lines;
}

function where(f: Finding): string {
  const at = [f.constructPath || f.object?.file || '<platform>', f.field ? `field '${f.field}'` : undefined].filter(Boolean).join(', ');
  return f.source ? `${at} (${f.source.file}:${f.source.line})` : at;
}
