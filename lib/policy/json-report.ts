import { PolicyReport } from './report';

/** `reports/policy.json`: every rule that ran (with counts) and every finding, acknowledged ones with their reason. */
export function renderPolicyJson(report: PolicyReport): string {
  const findings = report.findings;
  const doc = {
    summary: {
      errors: findings.filter((f) => f.level === 'error' && !f.acknowledged).length,
      warnings: findings.filter((f) => f.level === 'warning' && !f.acknowledged).length,
      infos: findings.filter((f) => f.level === 'info' && !f.acknowledged).length,
      acknowledged: findings.filter((f) => f.acknowledged).length,
    },
    rules: report.rules.map((r) => ({
      id: r.id, level: r.level, pack: r.pack, description: r.description, remediation: r.remediation,
      evaluated: r.evaluated, compliant: r.compliant, nonCompliant: r.nonCompliant, notApplicable: r.notApplicable, acknowledged: r.acknowledged,
    })),
    findings,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
