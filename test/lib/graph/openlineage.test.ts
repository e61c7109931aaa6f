/**
 * The OpenLineage events validate against the OpenLineage spec's own JSON schemas (vendored verbatim in
 * schemas/openlineage, see SOURCE.md): every RunEvent against `OpenLineage.json#/$defs/RunEvent`, every facet against
 * the facet schema its `_schemaURL` names. Offline; formats (uri, uuid, date-time) are checked too.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { DataFlowGraph, MaskingPolicy } from 'cdk8s-dataops';
import { openLineageEvents, renderOpenLineage } from '../../../lib/graph/openlineage';
import { piiPlatform } from '../../constructs/governance/support';

const root = path.resolve(__dirname, '../../..');
const specDir = path.join(root, 'schemas/openlineage');
const SPEC_FILES = ['OpenLineage.json', 'facets/SchemaDatasetFacet.json', 'facets/TagsDatasetFacet.json'];

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // RFC 3339 date-time, URI with a scheme, RFC 4122 UUID: the formats the spec uses.
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)));
  ajv.addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(s));
  ajv.addFormat('uuid', (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(s));
  for (const f of SPEC_FILES) ajv.addSchema(JSON.parse(readFileSync(path.join(specDir, f), 'utf8')));
  return (url: string, value: unknown): string[] => {
    const validate = ajv.getSchema(url);
    if (!validate) throw new Error(`no vendored schema for ${url}`);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${url} ${e.instancePath} ${e.message}`);
  };
}

/** Problems of a list of events: each event, and each dataset facet against its _schemaURL. */
function problems(events: any[]): string[] {
  const check = validator();
  const out: string[] = [];
  for (const e of events) {
    out.push(...check(e.schemaURL, e));
    for (const d of [...e.inputs, ...e.outputs]) for (const facet of Object.values(d.facets ?? {}) as any[]) out.push(...check(facet._schemaURL, facet));
  }
  return out;
}

describe('OpenLineage run events', () => {
  function events() {
    const f = piiPlatform();
    new MaskingPolicy(f.pipeline, 'mask-pii', { topics: [f.orders, f.enriched], fields: ['customerEmail', 'cardNumber'], rule: 'all', exempt: [f.enricher] });
    return { f, events: openLineageEvents(DataFlowGraph.of(f.env)) as any[] };
  }

  it('are valid RunEvents with valid schema and tags facets', () => {
    const { events: list } = events();
    expect(list.length).toBeGreaterThan(0);
    expect(problems(list)).toEqual([]);
  });

  it('name Kafka datasets kafka://<bootstrap> + topic and carry fields and classification, declared and inherited', () => {
    const { events: list } = events();
    const enricher = list.find((e) => e.job.name === 'app:payments/enricher');
    expect(enricher).toMatchObject({ eventType: 'COMPLETE', job: { namespace: 'cdk8s-dataops.prod' } });
    const input = enricher.inputs[0];
    expect(input).toMatchObject({ namespace: 'kafka://main-kafka-bootstrap.kafka:9093', name: 'payments.orders.v1' });
    expect(input.facets.schema.fields).toEqual([
      { name: 'id', type: 'string' }, { name: 'customerEmail', type: 'string' }, { name: 'cardNumber', type: 'string' }, { name: 'amountCents', type: 'long' },
    ]);
    expect(input.facets.tags.tags).toEqual([
      { key: 'pii', value: 'true', source: 'cdk8s-dataops', field: 'cardNumber' },
      { key: 'pii', value: 'true', source: 'cdk8s-dataops', field: 'customerEmail' },
    ]);
    const output = enricher.outputs[0];
    expect(output.name).toBe('payments.orders-enriched.v1');
    expect(output.facets.tags.tags).toContainEqual({ key: 'pii', value: 'inherited from payments.orders.v1', source: 'cdk8s-dataops', field: 'customerEmail' });
    const sink = list.find((e) => e.job.name.startsWith('connector:'));
    expect(sink.inputs.map((d: any) => d.name)).toEqual(['payments.orders-enriched.v1']);
  });

  it('are deterministic: fixed eventTime, runId a version 5 UUID of the content', () => {
    const a = renderOpenLineage([DataFlowGraph.of(events().f.env)]);
    const b = renderOpenLineage([DataFlowGraph.of(events().f.env)]);
    expect(a).toBe(b);
    const parsed = JSON.parse(a);
    expect(new Set(parsed.map((e: any) => e.eventTime))).toEqual(new Set(['1970-01-01T00:00:00.000Z']));
    expect(parsed.every((e: any) => /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(e.run.runId))).toBe(true);
    expect(new Set(parsed.map((e: any) => e.run.runId)).size).toBe(parsed.length);
  });

  it("of the repository example (committed dist) validate against the spec", () => {
    const list = JSON.parse(readFileSync(path.join(root, 'examples/data-platform/dist/reports/openlineage.json'), 'utf8'));
    expect(list.length).toBeGreaterThan(0);
    expect(problems(list)).toEqual([]);
  });

  it('a schema violation is caught (the validation can fail)', () => {
    const { events: list } = events();
    const broken = structuredClone(list[0]);
    broken.run.runId = 'not-a-uuid';
    broken.eventType = 'DONE';
    const found = problems([broken]).join('\n');
    expect(found).toContain('/run/runId must match format "uuid"');
    expect(found).toContain('/eventType must be equal to one of the allowed values');
  });

  it('uses the vendored spec files recorded in schemas/openlineage/SOURCE.md', () => {
    const source = readFileSync(path.join(specDir, 'SOURCE.md'), 'utf8');
    for (const f of SPEC_FILES) {
      const sha = createHash('sha256').update(readFileSync(path.join(specDir, f))).digest('hex');
      expect(source).toContain(`| \`${f}\` |`);
      expect(source).toContain(sha);
    }
  });
});
