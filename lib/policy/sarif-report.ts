import { Finding } from './finding';
import { PolicyReport, RuleSummary } from './report';

/** Options of {@link renderPolicySarif}. */
export interface SarifOptions {
  /** The output folder relative to the repository root (`examples/data-platform/dist`), to locate dist files. */
  readonly distDir: string;
  /** The tool version shown in the report. @default - none */
  readonly version?: string;
  /** Where rule ids link to (`docs/rules.md`). @default - none */
  readonly rulesHelpUri?: string;
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * `reports/policy.sarif`: SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) for
 * code scanning. Each result points first at the user's source line where the construct was created (that is what
 * annotates a pull request), then at the dist file; acknowledged findings carry an accepted `inSource` suppression
 * with the reason. Paths are relative to the repository root (`%SRCROOT%`); no timestamps, stable order.
 */
export function renderPolicySarif(report: PolicyReport, options: SarifOptions): string {
  const rules = report.rules;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk8s-dataops',
          ...(options.version ? { version: options.version } : {}),
          informationUri: 'https://github.com/cdk8s-dataops/cdk8s-dataops',
          rules: rules.map((r) => sarifRule(r, options)),
        },
      },
      originalUriBaseIds: { SRCROOT: { description: { text: 'The repository root' } } },
      results: report.findings.map((f) => sarifResult(f, index.get(f.ruleId), options)),
      columnKind: 'utf16CodeUnits',
    }],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function sarifRule(r: RuleSummary, options: SarifOptions) {
  return {
    id: r.id,
    name: r.id.replace(/-/g, ''),
    shortDescription: { text: r.description },
    fullDescription: { text: r.rationale },
    help: { text: `${r.remediation}`, markdown: `**Why:** ${r.rationale}\n\n**Fix:** ${r.remediation}` },
    ...(r.docs ?? options.rulesHelpUri ? { helpUri: r.docs ?? `${options.rulesHelpUri}#${r.id.toLowerCase()}` } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[r.level] },
    properties: { pack: r.pack, ...(r.scanners?.checkov ? { checkov: r.scanners.checkov } : {}), ...(r.scanners?.kubeLinter ? { kubeLinter: r.scanners.kubeLinter } : {}) },
  };
}

function sarifResult(f: Finding, ruleIndex: number | undefined, options: SarifOptions) {
  const locations = [];
  if (f.source) {
    locations.push({
      physicalLocation: {
        artifactLocation: { uri: encodeUri(f.source.file), uriBaseId: 'SRCROOT' },
        region: { startLine: f.source.line, ...(f.source.column ? { startColumn: f.source.column } : {}) },
      },
      logicalLocations: [{ fullyQualifiedName: f.constructPath, kind: 'object' }],
    });
  }
  if (f.object) {
    locations.push({
      physicalLocation: { artifactLocation: { uri: encodeUri(joinPath(options.distDir, f.object.file)), uriBaseId: 'SRCROOT' }, region: { startLine: 1 } },
      ...(f.source ? {} : { logicalLocations: [{ fullyQualifiedName: f.constructPath, kind: 'object' }] }),
    });
  }
  return {
    ruleId: f.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: SARIF_LEVEL[f.level],
    message: { text: `${f.constructPath ? `${f.constructPath}: ` : ''}${f.field ? `${f.field}: ` : ''}${f.message}` },
    ...(locations.length > 0 ? { locations } : {}),
    partialFingerprints: { constructPath: `${f.ruleId}/${f.constructPath}/${f.field ?? ''}` },
    ...(f.acknowledged ? { suppressions: [{ kind: 'inSource', justification: f.acknowledged.reason, properties: { scope: f.acknowledged.scope } }] } : {}),
    properties: {
      pack: f.pack,
      ...(f.environment ? { environment: f.environment } : {}),
      ...(f.object ? { object: { apiVersion: f.object.apiVersion, kind: f.object.kind, ...(f.object.namespace ? { namespace: f.object.namespace } : {}), name: f.object.name } } : {}),
    },
  };
}

function joinPath(dir: string, file: string): string {
  return dir === '' || dir === '.' ? file : `${dir.replace(/\/+$/, '')}/${file}`;
}

function encodeUri(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}
