/** examples/healthcare-etl: what its definition promises, read from the dist the real `synth` bin writes. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runSynth } from '../fixtures/repo';
import { ExampleDist } from './example-dist';

const APP = ExampleDist.app('healthcare-etl');

/** Synthesizes the example with one textual change; returns the result (the edit must apply). */
function synthEdited(from: string, to: string) {
  const source = fs.readFileSync(APP, 'utf8');
  expect(source).toContain(from);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'healthcare-edit-'));
  const app = path.join(dir, 'main.ts');
  fs.writeFileSync(app, source.replace(from, to));
  return runSynth(['--app', app, '--out', path.join(dir, 'dist'), '--quiet'], repoRoot);
}

describe('examples/healthcare-etl', () => {
  let dist: ExampleDist;
  beforeAll(() => {
    dist = ExampleDist.synthesize('healthcare-etl');
  }, 120_000);

  it('gives the de-identifier and the research sink exactly the ACLs they need', () => {
    for (const env of ['staging', 'prod']) {
      expect(dist.acls(env, 'deidentifier')).toEqual([
        'topic:clinical.admissions.v1:Read+Describe', 'topic:clinical.lab-results.v1:Read+Describe',
        'topic:clinical.research-encounters.v1:Write+Describe', 'group:deidentifier:Read',
      ]);
      expect(dist.acls(env, 'research-sink-connector')).toEqual(['topic:clinical.research-encounters.v1:Read+Describe', 'group:connect-research-sink:Read']);
    }
  });

  it('keeps three replicas of every prod topic, and each data class no longer than its limit', () => {
    const topics = dist.manifests('prod').map((m) => m.object).filter((o) => o.kind === 'KafkaTopic');
    for (const t of topics) expect(t.spec.replicas).toBe(3);
    const retentionDays = (name: string) => Number(topics.find((t) => t.spec.topicName === name).spec.config['retention.ms']) / 86_400_000;
    expect([retentionDays('clinical.admissions.v1'), retentionDays('clinical.lab-results.v1'), retentionDays('clinical.research-encounters.v1')]).toEqual([14, 30, 365]);
  });

  it('passes the recommended and the hospital pack; the hospital rules really ran on every schema', () => {
    const policy = dist.policy() as any;
    expect([policy.summary.errors, policy.summary.warnings]).toEqual([0, 0]);
    expect(policy.findings.filter((f: any) => f.level === 'error' && !f.acknowledged)).toEqual([]);
    const rule = (id: string) => policy.rules.find((r: any) => r.id === id);
    for (const id of ['HOSP-DATA-001', 'HOSP-DATA-002']) expect([rule(id).evaluated, rule(id).compliant]).toEqual([6, 6]);
    // PII is masked for every non-exempt reader (DOP-GOV-001) on the two identifying topics, in both environments
    expect([rule('DOP-GOV-001').nonCompliant, rule('DOP-GOV-002').nonCompliant]).toEqual([0, 0]);
  });

  it('fails synth when a topic keeps PII longer than 30 days (HOSP-DATA-002), naming the schema', () => {
    const r = synthEdited("topicName: 'clinical.lab-results.v1', partitions: env.select({ prod: 12, default: 3 }), config: { retention: '30d' }",
      "topicName: 'clinical.lab-results.v1', partitions: env.select({ prod: 12, default: 3 }), config: { retention: '90d' }");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("prod/patient-etl/lab-results-value, field 'config.retention': topic 'clinical.lab-results.v1' keeps");
    expect(r.stderr).toContain('the limit is 30 days [HOSP-DATA-002]');
  }, 120_000);

  it('fails synth when a field is not classified (HOSP-DATA-001)', () => {
    const r = synthEdited('value: DataClass.SENSITIVE, unit: DataClass.PUBLIC },\n  });\n  new Schema(etl, \'research-value\'', "value: DataClass.SENSITIVE },\n  });\n  new Schema(etl, 'research-value'");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("field(s) 'unit' of clinical.lab-results.v1-value are not classified [HOSP-DATA-001]");
  }, 120_000);

  it('masks the identifiers at Conduktor Gateway for everyone but the de-identifier, and the research topic inherits none', () => {
    expect(dist.files().filter((f) => f.startsWith('gateway/prod/')).sort()).toEqual([
      'gateway/prod/mask-admission-identifiers.exempt.deidentifier.yaml', 'gateway/prod/mask-admission-identifiers.yaml',
      'gateway/prod/mask-lab-identifiers.exempt.deidentifier.yaml', 'gateway/prod/mask-lab-identifiers.yaml',
    ]);
    const governance = dist.text('reports/data-governance.md');
    expect(governance).toContain('patientName');
    // Where PII flows (DOP-GOV-003): only the two source topics carry it, to the exempt de-identifier; the research topic
    // downstream of it inherits nothing because the de-identifier declares that it removes the identifiers.
    const flows = (dist.policy() as any).findings.filter((f: any) => f.ruleId === 'DOP-GOV-003');
    expect(flows.map((f: any) => `${f.environment} ${f.object.name}`).sort()).toEqual([
      'prod clinical.admissions.v1', 'prod clinical.lab-results.v1', 'staging clinical.admissions.v1', 'staging clinical.lab-results.v1',
    ]);
    expect(flows.map((f: any) => f.message).join('\n')).not.toContain('research');
  });

  it('writes no secret value, and tells Slack and the compliance webhook of every prod delivery', () => {
    expect(dist.secretLeaks()).toEqual([]);
    const annotations = Object.keys(dist.object('bootstrap/argocd/application.data-platform-prod.yaml').metadata.annotations).filter((k) => k.startsWith('notifications.'));
    for (const trigger of ['on-deployed', 'on-sync-failed', 'on-health-degraded']) {
      expect(annotations).toContain(`notifications.argoproj.io/subscribe.${trigger}.slack`);
      expect(annotations).toContain(`notifications.argoproj.io/subscribe.${trigger}.compliance-audit`);
    }
  });

  it('shows admissions and lab results → de-identifier → research encounters → research warehouse in the lineage', () => {
    expect(dist.lineageEdges()).toEqual([
      'app:patient-etl/deidentifier -> topic:clinical/clinical.research-encounters.v1',
      'topic:clinical/clinical.admissions.v1 -> app:patient-etl/deidentifier',
      'topic:clinical/clinical.lab-results.v1 -> app:patient-etl/deidentifier',
      'topic:clinical/clinical.research-encounters.v1 -> connector:kafka/research-sink',
    ]);
  });

  it('is accepted by synth validate --strict-unknown, and the committed dist is up to date', () => {
    expect(dist.validateAndCheck()).toEqual({ validate: [0, ''], check: [0, ''] });
  }, 120_000);
});
