import type { ErrorObject } from 'ajv';
import { LIST_MAP_KEYS } from './openapi';
import { error, Problem } from './problem';

/**
 * Turns JSON-schema (ajv) errors into problems a person can act on: one line per field, with a readable field
 * path (`spec.template.spec.containers[0].image`), the rule broken and the value found. Branch errors of
 * `oneOf`/`anyOf` (int-or-string, quantities) are merged into one message per field.
 */
export function problemsFromAjv(errors: readonly ErrorObject[] | null | undefined, data: unknown): Problem[] {
  if (!errors || errors.length === 0) return [];
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  const out: Problem[] = [];
  const seen = new Set<string>();
  const push = (p: Problem) => {
    const key = `${p.field}\u0000${p.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  for (const [pointer, list] of byPath) {
    const segments = pointerSegments(pointer);
    const field = fieldPath(segments, data);
    const value = valueAt(segments, data);
    const junction = list.some((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
    const types = list.filter((e) => e.keyword === 'type').map((e) => String(e.params.type));
    const specific = list.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'type');
    if (junction && specific.length === 0) {
      push(error('schema', types.length ? `must be ${unique(types.flatMap((t) => t.split(','))).join(' or ')} (got ${show(value)})` : `does not match any allowed form (got ${show(value)})`, field || undefined));
      continue;
    }
    for (const e of junction ? specific : list) {
      // a value of the wrong type also fails its format (`containerPort: 1.5` is neither integer nor int32): say it once
      if (!junction && e.keyword === 'format' && types.length > 0) continue;
      push(describe(e, segments, data, value));
    }
  }
  return out;
}

function describe(e: ErrorObject, segments: string[], data: unknown, value: unknown): Problem {
  const at = fieldPath(segments, data) || undefined;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return error('schema', 'is required', fieldPath([...segments, String(p.missingProperty)], data));
    case 'additionalProperties':
      return error('schema', 'unknown field: the schema does not define it (the API server rejects it or silently drops it)',
        fieldPath([...segments, String(p.additionalProperty)], data));
    case 'type':
      return error('schema', `must be ${String(p.type).split(',').join(' or ')} (got ${show(value)})`, at);
    case 'enum':
      return error('schema', `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${show(value)})`, at);
    case 'const':
      return error('schema', `must be ${JSON.stringify(p.allowedValue)} (got ${show(value)})`, at);
    case 'format':
      return error('schema', `must be a valid ${String(p.format)} (got ${show(value)})`, at);
    case 'pattern':
      return error('schema', `must match the pattern ${String(p.pattern)} (got ${show(value)})`, at);
    case 'uniqueItems':
      return error('schema', `must not contain duplicates (items ${Math.min(Number(p.i), Number(p.j))} and ${Math.max(Number(p.i), Number(p.j))} are equal)`, at);
    case LIST_MAP_KEYS:
      return error('schema', `items ${p.i} and ${p.j} have the same ${(p.keys as string[]).join(' and ')}: each entry of this list must have a distinct one`, at);
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return error('schema', `must be ${p.comparison} ${p.limit} (got ${show(value)})`, at);
    case 'minLength': case 'maxLength': case 'minItems': case 'maxItems': case 'minProperties': case 'maxProperties': {
      const what = e.keyword.endsWith('Length') ? 'character' : e.keyword.endsWith('Items') ? 'item' : 'propert';
      const plural = what === 'propert' ? (p.limit === 1 ? 'y' : 'ies') : (p.limit === 1 ? '' : 's');
      return error('schema', `must have ${e.keyword.startsWith('min') ? 'at least' : 'at most'} ${p.limit} ${what}${plural} (got ${sizeOf(value)})`, at);
    }
    default:
      return error('schema', `${e.message ?? `fails '${e.keyword}'`}${value === undefined ? '' : ` (got ${show(value)})`}`, at);
  }
}

/** Splits a JSON pointer (`/a/b~1c/0`) into unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `spec.containers[0].env[1].name`, `metadata.labels["app.kubernetes.io/name"]`, given the data for array detection. */
export function fieldPath(segments: readonly string[], data: unknown): string {
  let out = '';
  let node: unknown = data;
  for (const s of segments) {
    if (Array.isArray(node) && /^\d+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[s] : undefined;
  }
  return out;
}

function valueAt(segments: readonly string[], data: unknown): unknown {
  let node: unknown = data;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[s];
  }
  return node;
}

function sizeOf(value: unknown): string {
  if (typeof value === 'string' || Array.isArray(value)) return String(value.length);
  if (value !== null && typeof value === 'object') return String(Object.keys(value).length);
  return show(value);
}

/** A short rendering of a value for messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const s = JSON.stringify(value);
  const text = s.length > 60 ? `${s.slice(0, 57)}...` : s;
  return typeof value === 'string' ? `string ${text}` : `${typeof value} ${text}`;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
