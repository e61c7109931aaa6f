import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { SchemaValidator } from '../../lib/schema/validator';

const ROOT = path.resolve(__dirname, '../..');
const APP = path.join(ROOT, 'examples/data-platform/main.ts');

/** The repository example, synthesized by the real `synth` bin into a temporary folder. */
describe('examples/data-platform', () => {
  let out: string;
  const read = (rel: string) => parse(fs.readFileSync(path.join(out, rel), 'utf8'), { version: '1.1' });

  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'example-'));
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/synth.js'), '--app', APP, '--out', out, '--quiet'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('chains two streaming apps through topics with derived, minimal ACLs', () => {
    const acls = (user: string) => read(`manifests/prod/kafka/kafkauser.${user}.yaml`).spec.authorization.acls
      .map((a: any) => `${a.resource.type}:${a.resource.name}:${a.operations.join('+')}`);
    expect(acls('validator')).toEqual(['topic:payments.orders-validated.v1:Write+Describe', 'topic:payments.orders.v1:Read+Describe', 'group:validator:Read']);
    expect(acls('enricher')).toEqual([
      'topic:payments.orders-enriched.v1:Write+Describe', 'topic:payments.orders-validated.v1:Read+Describe', 'group:enricher:Read', 'transactionalId:enricher-:Write+Describe',
    ]);
  });

  it('shows the chain in reports/lineage.html', () => {
    const html = fs.readFileSync(path.join(out, 'reports/lineage.html'), 'utf8');
    for (const edge of [
      ['topic:main/payments.orders.v1', 'app:payments/validator'], ['app:payments/validator', 'topic:main/payments.orders-validated.v1'],
      ['topic:main/payments.orders-validated.v1', 'app:payments/enricher'], ['app:payments/enricher', 'topic:main/payments.orders-enriched.v1'],
    ]) expect(html).toContain(`data-from="${edge[0]}" data-to="${edge[1]}"`);
    expect(html).toContain('team-payments');
  });

  it('writes only objects that the upstream schemas accept, and no plaintext Secret', () => {
    const validator = new SchemaValidator({ strictUnknown: true });
    const files: string[] = [];
    const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : files.push(path.join(d, e.name))));
    walk(path.join(out, 'manifests'));
    expect(files.length).toBeGreaterThan(50);
    const problems = files.flatMap((f) => {
      const o = parse(fs.readFileSync(f, 'utf8'), { version: '1.1' });
      expect(o.kind).not.toBe('Secret');
      return validator.validate(o).filter((p) => p.severity === 'error').map((p) => `${path.relative(out, f)}: ${p.field}: ${p.message}`);
    });
    expect(problems).toEqual([]);
  });

  it('is what is committed: examples/data-platform/dist is up to date', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/synth.js'), '--app', APP, '--check', '--quiet'], { encoding: 'utf8' });
    expect(run.stderr + run.stdout).toBe('');
    expect(run.status).toBe(0);
  });
});
