import { SchemaFormat } from './schema-compatibility';

/** A field of a record schema, as catalogs and classification see it. */
export interface SchemaField {
  /** Field name; nested record fields are dotted (`address.city`). */
  readonly name: string;
  /** The field's type as written in the schema (`string`, `long`, `["null","string"]` as `null|string`, a record name). */
  readonly type: string;
  /** Tags declared in the definition itself (Avro and JSON Schema `confluent:tags`). */
  readonly tags: readonly string[];
}

/** Attribute that Confluent data contracts use to tag a field inline (Avro field / JSON Schema property). */
export const CONFLUENT_TAGS = 'confluent:tags';

/**
 * The fields of an Avro record or a JSON Schema object, nested records flattened to dotted names, with the tags the
 * definition carries inline (`"confluent:tags": ["PII"]`, the Confluent data-contracts field attribute:
 * https://docs.confluent.io/platform/current/schema-registry/fundamentals/data-contracts.html). Protobuf
 * definitions are not parsed: they have no fields here.
 */
export function schemaFields(format: SchemaFormat, definition: string): SchemaField[] {
  if (format === 'PROTOBUF') return [];
  const doc = JSON.parse(definition) as unknown;
  const out: SchemaField[] = [];
  if (format === 'AVRO') avroFields(doc, '', out);
  else jsonFields(doc, '', out);
  return out;
}

function tagsOf(node: unknown): string[] {
  const t = (node as Record<string, unknown> | null)?.[CONFLUENT_TAGS];
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
}

function avroTypeName(t: unknown): string {
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.map(avroTypeName).join('|');
  const o = t as Record<string, unknown> | null;
  if (!o) return 'unknown';
  if (o.type === 'record' || o.type === 'enum' || o.type === 'fixed') return String(o.name ?? o.type);
  if (o.logicalType) return `${String(o.type)}(${String(o.logicalType)})`;
  if (o.type === 'array') return `array<${avroTypeName(o.items)}>`;
  if (o.type === 'map') return `map<${avroTypeName(o.values)}>`;
  return String(o.type);
}

/** The record inside a field type (itself, or the record branch of a union), to flatten nested fields. */
function avroRecord(t: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(t)) return t.map(avroRecord).find(Boolean);
  const o = t as Record<string, unknown> | null;
  return o && typeof o === 'object' && o.type === 'record' && Array.isArray(o.fields) ? o : undefined;
}

function avroFields(schema: unknown, prefix: string, out: SchemaField[]): void {
  const record = avroRecord(schema);
  if (!record) return;
  for (const f of record.fields as Array<Record<string, unknown>>) {
    const name = `${prefix}${String(f.name)}`;
    out.push({ name, type: avroTypeName(f.type), tags: tagsOf(f) });
    avroFields(f.type, `${name}.`, out);
  }
}

function jsonFields(schema: unknown, prefix: string, out: SchemaField[]): void {
  const props = (schema as Record<string, unknown> | null)?.properties as Record<string, Record<string, unknown>> | undefined;
  if (!props || typeof props !== 'object') return;
  for (const [key, p] of Object.entries(props)) {
    const name = `${prefix}${key}`;
    const type = Array.isArray(p?.type) ? (p.type as string[]).join('|') : String(p?.type ?? (p?.$ref ?? 'unknown'));
    out.push({ name, type, tags: tagsOf(p) });
    jsonFields(p, `${name}.`, out);
  }
}
