import * as net from 'node:net';
import type Ajv from 'ajv';
import type { AnySchemaObject } from 'ajv';
import type { DataValidateFunction, RegExpEngine, RegExpLike } from 'ajv/dist/types';

/**
 * Kubernetes structural schemas (a CRD version's `openAPIV3Schema`) as JSON schema that ajv checks the way the
 * API server does:
 * - fields a schema does not define are errors (the API server prunes them, or rejects them with
 *   `fieldValidation=Strict`, the kubectl default), unless `x-kubernetes-preserve-unknown-fields` is set;
 *   `x-kubernetes-embedded-resource` objects also allow apiVersion/kind/metadata;
 * - `x-kubernetes-int-or-string` accepts integers and strings; `nullable` accepts null;
 * - `x-kubernetes-list-type: set` items must be unique, `map` items unique by their `x-kubernetes-list-map-keys`;
 * - `format` is checked for the formats Kubernetes knows (int32, int64, byte, date-time, ...); other formats are
 *   ignored, as the API server ignores them;
 * - `pattern` is Go (RE2) syntax: `(?i)` becomes a case-insensitive match, `\A`/`\z` anchors are translated, and a
 *   pattern JavaScript cannot compile is not checked (listed in {@link unsupportedPatterns});
 * - `x-kubernetes-validations` (CEL rules) are not evaluated.
 */
export function structuralToJsonSchema(schema: unknown, options: { readonly share?: boolean } = {}): AnySchemaObject {
  // The API server always accepts apiVersion, kind and metadata at the root, listed in the schema or not.
  const root = schema !== null && typeof schema === 'object' ? { ...(schema as object), 'x-kubernetes-embedded-resource': true } : schema;
  const out = (transform(root, true) ?? {}) as AnySchemaObject;
  return options.share === false ? out : shareRepeatedSubschemas(out);
}

/** Subschemas at least this long (as JSON) that occur more than once are compiled once and referenced. */
const SHARE_MIN_CHARS = 400;

/**
 * Some CRDs repeat large subtrees many times (Argo CD's ApplicationSet nests its generator schemas, so the same
 * Application template appears dozens of times). Compiled as they are, they make megabytes of code that take
 * seconds to compile. Identical subschemas are moved to `definitions` and referenced, so ajv compiles each once
 * (with `inlineRefs: false`, see {@link createAjv}). Error paths are unchanged: they follow the data.
 */
export function shareRepeatedSubschemas(root: AnySchemaObject): AnySchemaObject {
  // Bottom-up: a node's identity is its own keywords plus its children's identities, so equal subtrees get the
  // same id in one pass over the tree (no repeated serialization of deep subtrees).
  const idOf = new Map<object, number>();
  const sizeOf = new Map<number, number>();
  const counts = new Map<number, number>();
  const ids = new Map<string, number>();
  const visit = (node: unknown): void => {
    if (!isSchema(node)) return;
    let childSize = 0;
    const shallow = mapSubschemas(node, (c) => {
      visit(c);
      if (!isSchema(c)) return c;
      const id = idOf.get(c)!;
      childSize += sizeOf.get(id)!;
      return `#${id}`;
    });
    const key = JSON.stringify(shallow);
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
      sizeOf.set(id, key.length + childSize);
    }
    idOf.set(node, id);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  };
  visit(root);
  const definitions: Record<string, unknown> = {};
  const rebuild = (node: unknown, isRoot: boolean): unknown => {
    if (!isSchema(node)) return node;
    const id = idOf.get(node)!;
    if (!isRoot && counts.get(id)! > 1 && sizeOf.get(id)! >= SHARE_MIN_CHARS) {
      const name = `s${id}`;
      if (!(name in definitions)) {
        definitions[name] = mapSubschemas(node, (c) => rebuild(c, false));
      }
      return { $ref: `#/definitions/${name}` };
    }
    return mapSubschemas(node, (c) => rebuild(c, false));
  };
  const out = rebuild(root, true) as AnySchemaObject;
  return Object.keys(definitions).length > 0 ? { ...out, definitions: { ...(out.definitions ?? {}), ...definitions } } : out;
}

const MAP_KEYS = ['properties', 'patternProperties', 'definitions'];
const ONE_KEYS = ['items', 'additionalProperties', 'not'];
const LIST_KEYS = ['allOf', 'anyOf', 'oneOf'];

function isSchema(node: unknown): node is Record<string, unknown> {
  return node !== null && typeof node === 'object' && !Array.isArray(node);
}

function mapSubschemas(node: Record<string, unknown>, f: (child: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...node };
  for (const k of MAP_KEYS) {
    const m = node[k];
    if (isSchema(m)) out[k] = Object.fromEntries(Object.entries(m).map(([name, c]) => [name, f(c)]));
  }
  for (const k of ONE_KEYS) {
    const c = node[k];
    if (Array.isArray(c)) out[k] = c.map(f);
    else if (isSchema(c)) out[k] = f(c);
  }
  for (const k of LIST_KEYS) {
    const l = node[k];
    if (Array.isArray(l)) out[k] = l.map(f);
  }
  return out;
}

/** Keyword the transform adds for `x-kubernetes-list-type: map` (checked by {@link createAjv}'s keyword). */
export const LIST_MAP_KEYS = 'x-dataops-list-map-keys';

/** Formats Kubernetes validates (apiextensions-apiserver), as ajv format definitions. */
const FORMATS: Record<string, { type: 'string' | 'number'; validate: (v: any) => boolean }> = {
  'int32': { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n <= 2 ** 31 - 1 },
  'int64': { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 63 },
  'float': { type: 'number', validate: (n: number) => Number.isFinite(n) },
  'double': { type: 'number', validate: (n: number) => Number.isFinite(n) },
  'byte': { type: 'string', validate: (s: string) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) },
  'date-time': { type: 'string', validate: (s: string) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))) },
  'date': { type: 'string', validate: (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) },
  'duration': { type: 'string', validate: (s: string) => /^\s*([+-]?\d+(\.\d+)?\s*(ns|us|µs|ms|s|m|h|d|w)\s*)+$/.test(s) || s === '0' },
  'uuid': { type: 'string', validate: (s: string) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s) },
  'ipv4': { type: 'string', validate: (s: string) => net.isIPv4(s) },
  'ipv6': { type: 'string', validate: (s: string) => net.isIPv6(s) },
  'cidr': { type: 'string', validate: (s: string) => /^[^/]+\/\d{1,3}$/.test(s) && net.isIP(s.split('/')[0]) !== 0 },
  'hostname': { type: 'string', validate: (s: string) => s.length <= 253 && /^[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*\.?$/.test(s) },
  'uri': { type: 'string', validate: (s: string) => { try { new URL(s); return true; } catch { return false; } } },
  'email': { type: 'string', validate: (s: string) => /^[^\s@]+@[^\s@]+$/.test(s) },
  'password': { type: 'string', validate: () => true },
};

/** Patterns ajv was given that JavaScript cannot compile (they are not checked). */
export const unsupportedPatterns = new Set<string>();

/** Compiles Go (RE2) patterns as JavaScript regular expressions, as far as the two agree. */
const goRegExp: RegExpEngine = Object.assign((pattern: string, flags: string): RegExpLike => {
  let source = pattern;
  let extra = '';
  if (source.includes('(?i)')) {
    source = source.split('(?i)').join('');
    extra = 'i';
  }
  source = source.replace(/\\A/g, '^').replace(/\\z/g, '$');
  for (const f of [flags + extra, extra]) {
    try {
      return new RegExp(source, f);
    } catch {
      // try the next, more lenient, flags
    }
  }
  unsupportedPatterns.add(pattern);
  return { test: () => true };
}, { code: 'goRegExp' });

/** An ajv instance set up for Kubernetes schemas (all errors, Kubernetes formats, Go patterns, list-map keys). */
export function createAjv(): Ajv {
  // Loaded here, on first validation, not when the package is imported: an app that only synthesizes never pays for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const AjvClass = (require('ajv') as typeof import('ajv')).default;
  const ajv = new AjvClass({
    strict: false, allErrors: true, validateFormats: true, logger: false, unicodeRegExp: false, messages: false, inlineRefs: false,
    code: { regExp: goRegExp },
  });
  for (const [name, def] of Object.entries(FORMATS)) ajv.addFormat(name, def as any);
  ajv.addKeyword({
    keyword: LIST_MAP_KEYS,
    type: 'array',
    schemaType: 'array',
    errors: true,
    validate: function listMapKeys(keys: string[], data: unknown[], _parent?: unknown, cxt?: { instancePath?: string }): boolean {
      const self = listMapKeys as unknown as DataValidateFunction;
      const seen = new Map<string, number>();
      self.errors = [];
      data.forEach((item, i) => {
        if (item === null || typeof item !== 'object') return;
        const id = JSON.stringify(keys.map((k) => (item as Record<string, unknown>)[k]));
        const first = seen.get(id);
        if (first === undefined) seen.set(id, i);
        else self.errors!.push({ keyword: LIST_MAP_KEYS, instancePath: cxt?.instancePath ?? '', schemaPath: '', params: { keys, i: first, j: i } });
      });
      return self.errors.length === 0;
    },
  });
  return ajv;
}

function transform(node: unknown, structural: boolean): unknown {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const s = node as Record<string, any>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(s)) {
    switch (key) {
      case 'properties':
      case 'patternProperties':
      case 'definitions':
        out[key] = Object.fromEntries(Object.entries(value ?? {}).map(([k, v]) => [k, transform(v, true)]));
        break;
      case 'additionalProperties':
        out[key] = typeof value === 'object' ? transform(value, true) : value;
        break;
      case 'items':
        out[key] = Array.isArray(value) ? value.map((v) => transform(v, true)) : transform(value, true);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        // Branches only add constraints to the structural node around them: they never close it.
        out[key] = Array.isArray(value) ? value.map((v) => transform(v, false)) : value;
        break;
      case 'not':
        out[key] = transform(value, false);
        break;
      case 'format':
        if (typeof value === 'string' && value in FORMATS) out[key] = value;
        break;
      case 'description': case 'example': case 'default': case 'nullable': case 'externalDocs': case '$schema': case 'id': case '$id':
        break;
      default:
        if (!key.startsWith('x-kubernetes-')) out[key] = value;
    }
  }
  if (s['x-kubernetes-int-or-string'] === true && out.type === undefined) out.type = ['integer', 'string'];
  if (s.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type)) out.type = [...out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  if (s['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
  if (s['x-kubernetes-list-type'] === 'map' && Array.isArray(s['x-kubernetes-list-map-keys'])) out[LIST_MAP_KEYS] = s['x-kubernetes-list-map-keys'];
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (structural && !preserve && out.properties && out.additionalProperties === undefined && out.patternProperties === undefined) {
    if (s['x-kubernetes-embedded-resource'] === true) {
      out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...(out.properties as object) };
    }
    out.additionalProperties = false;
  }
  return out;
}
