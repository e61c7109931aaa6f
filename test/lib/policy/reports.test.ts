import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';

/*
 * The committed reports of the repository example (examples/data-platform/dist/reports): SARIF 2.1.0 valid against the
 * official schema, acknowledged findings visible with their reason everywhere, source lines in the user's code.
 */
const REPORTS = path.join(__dirname, '../../../examples/data-platform/dist/reports');
const sarif = JSON.parse(fs.readFileSync(path.join(REPORTS, 'policy.sarif'), 'utf8'));
const json = JSON.parse(fs.readFileSync(path.join(REPORTS, 'policy.json'), 'utf8'));

describe('policy reports of the repository example', () => {
  it('policy.sarif validates against the official SARIF 2.1.0 schema (and the validator is not a pushover)', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const broken = JSON.parse(JSON.stringify(sarif));
    broken.runs[0].results[0].level = 'fatal';
    delete broken.runs[0].tool.driver.name;
    expect(validate(broken)).toBe(false);
  });

  it('carries acknowledged findings with their reason, as in-source suppressions pointing at the user source line', () => {
    const acked = sarif.runs[0].results.filter((r: any) => r.suppressions);
    expect(acked.length).toBeGreaterThan(0);
    const connectTopic = acked.find((r: any) => r.ruleId === 'DOP-KAFKA-012');
    expect(connectTopic.suppressions[0]).toMatchObject({ kind: 'inSource', justification: expect.stringContaining("Kafka Connect's internal topics") });
    expect(connectTopic.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'examples/data-platform/main.ts', uriBaseId: 'SRCROOT' });
    expect(connectTopic.locations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
    expect(connectTopic.locations[1].physicalLocation.artifactLocation.uri).toMatch(/^examples\/data-platform\/dist\/manifests\/dev\/kafka\/kafkatopic\.warehouse-connect-/);
    expect(json.findings.filter((f: any) => f.acknowledged).map((f: any) => f.ruleId)).toEqual(expect.arrayContaining(['DOP-KAFKA-012', 'DOP-K8S-002', 'DOP-K8S-006']));
    expect(json.summary.errors).toBe(0);
  });

  it('is deterministic: no timestamps or absolute paths', () => {
    const text = fs.readFileSync(path.join(REPORTS, 'policy.sarif'), 'utf8') + fs.readFileSync(path.join(REPORTS, 'policy.json'), 'utf8');
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    expect(text).not.toContain(path.resolve(__dirname, '../../..'));
  });
});
