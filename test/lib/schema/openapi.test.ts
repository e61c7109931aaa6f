import { describe, expect, it } from 'vitest';
import { problemsFromAjv } from '../../../lib/schema/ajv-errors';
import { createAjv, structuralToJsonSchema, unsupportedPatterns } from '../../../lib/schema/openapi';

/** Validates `data` against a Kubernetes structural schema; returns `field: message` lines. */
function check(schema: unknown, data: unknown, share = true): string[] {
  const json = structuralToJsonSchema(schema, { share });
  const fn = createAjv().compile(json);
  return fn(data) ? [] : problemsFromAjv(fn.errors, data).map((p) => `${p.field ?? ''}: ${p.message}`);
}

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });

describe('structuralToJsonSchema', () => {
  it('reports fields a structural schema does not define', () => {
    expect(check(obj({ spec: obj({ a: { type: 'string' } }) }), { spec: { a: 'x', b: 1 } }))
      .toEqual(['spec.b: unknown field: the schema does not define it (the API server rejects it or silently drops it)']);
  });

  it('always allows apiVersion, kind and metadata at the root', () => {
    expect(check(obj({ spec: obj({}) }), { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'x' }, spec: {} })).toEqual([]);
  });

  it('keeps unknown fields where x-kubernetes-preserve-unknown-fields is set, but not below it', () => {
    const schema = obj({ spec: obj({ known: obj({ a: { type: 'string' } }) }, { 'x-kubernetes-preserve-unknown-fields': true }) });
    expect(check(schema, { spec: { anything: { deep: 1 } } })).toEqual([]);
    expect(check(schema, { spec: { known: { b: 1 } } })).toEqual([expect.stringMatching(/^spec\.known\.b: unknown field/)]);
  });

  it('allows apiVersion, kind and metadata in embedded resources', () => {
    const schema = obj({ template: obj({ spec: obj({}) }, { 'x-kubernetes-embedded-resource': true }) });
    expect(check(schema, { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} } })).toEqual([]);
  });

  it('does not close objects inside anyOf/oneOf branches (they only add constraints)', () => {
    const schema = obj({ spec: obj({ a: { type: 'string' }, b: { type: 'string' } }, { anyOf: [{ required: ['a'] }, { required: ['b'] }] }) });
    expect(check(schema, { spec: { b: 'x' } })).toEqual([]);
    expect(check(schema, { spec: {} })).not.toEqual([]);
  });

  it('accepts integers and strings for x-kubernetes-int-or-string, and nothing else', () => {
    const schema = obj({ port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } });
    expect(check(schema, { port: 8080 })).toEqual([]);
    expect(check(schema, { port: 'http' })).toEqual([]);
    expect(check(schema, { port: 1.5 })).toEqual(['port: must be integer or string (got number 1.5)']);
    // without anyOf (older generators)
    expect(check(obj({ port: { 'x-kubernetes-int-or-string': true } }), { port: true })).toEqual(['port: must be integer or string (got boolean true)']);
  });

  it('accepts null where nullable is set, including in enums', () => {
    const schema = obj({ a: { type: 'string', nullable: true }, b: { type: 'string', enum: ['x'], nullable: true }, c: { type: 'string' } });
    expect(check(schema, { a: null, b: null })).toEqual([]);
    expect(check(schema, { c: null })).toEqual(['c: must be string (got null)']);
  });

  it('ignores CEL rules (x-kubernetes-validations) without failing', () => {
    const schema = obj({ spec: obj({ a: { type: 'integer' } }, { 'x-kubernetes-validations': [{ rule: 'self.a > 1', message: 'a > 1' }] }) });
    expect(check(schema, { spec: { a: 0 } })).toEqual([]);
  });

  it('checks the formats Kubernetes knows and ignores the others', () => {
    const schema = obj({
      i32: { type: 'integer', format: 'int32' }, i64: { type: 'integer', format: 'int64' },
      b: { type: 'string', format: 'byte' }, t: { type: 'string', format: 'date-time' },
      odd: { type: 'string', format: 'something-else' },
    });
    expect(check(schema, { i32: 2147483647, i64: 2 ** 40, b: 'aGVsbG8=', t: '2026-08-01T10:00:00Z', odd: '?' })).toEqual([]);
    expect(check(schema, { i32: 2147483648, b: 'not base64!', t: 'yesterday' })).toEqual([
      'i32: must be a valid int32 (got number 2147483648)',
      'b: must be a valid byte (got string "not base64!")',
      't: must be a valid date-time (got string "yesterday")',
    ]);
  });

  it('checks list-type set and map uniqueness', () => {
    const schema = obj({
      tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
      ports: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: obj({ name: { type: 'string' }, port: { type: 'integer' } }) },
    });
    expect(check(schema, { tags: ['a', 'b'], ports: [{ name: 'a', port: 1 }, { name: 'b', port: 1 }] })).toEqual([]);
    expect(check(schema, { tags: ['a', 'a'] })).toEqual(['tags: must not contain duplicates (items 0 and 1 are equal)']);
    expect(check(schema, { ports: [{ name: 'a', port: 1 }, { name: 'a', port: 2 }] })).toEqual(['ports: items 0 and 1 have the same name: each entry of this list must have a distinct one']);
  });

  it('reads Go (RE2) patterns: (?i) and \\z', () => {
    const schema = obj({ action: { type: 'string', pattern: '^(?i)(audit|enforce)$' }, id: { type: 'string', pattern: '^[a-z]+\\z' } });
    expect(check(schema, { action: 'Enforce', id: 'abc' })).toEqual([]);
    expect(check(schema, { action: 'deny', id: 'ab1' })).toEqual([
      'action: must match the pattern ^(?i)(audit|enforce)$ (got string "deny")',
      'id: must match the pattern ^[a-z]+\\z (got string "ab1")',
    ]);
  });

  it('does not check a pattern JavaScript cannot compile, and records it', () => {
    const pattern = '^[[:alpha:]+$(';
    expect(check(obj({ a: { type: 'string', pattern } }), { a: '123' })).toEqual([]);
    expect(unsupportedPatterns.has(pattern)).toBe(true);
  });
});

describe('repeated subschemas', () => {
  const big = obj(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field${i}`, { type: 'string', maxLength: 10 }])));
  const structural = obj({ a: big, b: obj({ nested: big }), c: { type: 'array', items: big } });

  it('are compiled once and referenced', () => {
    const schema = structuralToJsonSchema(structural);
    expect(Object.keys((schema as any).definitions ?? {})).toHaveLength(1);
    expect(JSON.stringify(schema).split('"$ref"').length - 1).toBe(3);
  });

  it('give the same problems, at the same paths, as the schema without sharing', () => {
    const data = { a: { field1: 'x'.repeat(11) }, b: { nested: { field2: 1, extra: true } }, c: [{}, { field3: 'y'.repeat(20) }] };
    const shared = check(structural, data, true);
    expect(shared).toEqual(check(structural, data, false));
    expect(shared.map((line) => line.split(':')[0])).toEqual(['a.field1', 'b.nested.extra', 'b.nested.field2', 'c[1].field3']);
  });
});
