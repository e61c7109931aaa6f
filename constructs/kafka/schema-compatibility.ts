import type * as Avro from 'avsc';

// The schema libraries are loaded on first use, not when the package is imported: an app without schemas never pays.
/* eslint-disable @typescript-eslint/no-require-imports */
const avro = (): typeof import('avsc') => require('avsc');
const ajv = (): typeof import('ajv') => require('ajv');
const protobuf = (): typeof import('protobufjs') => require('protobufjs');
/* eslint-enable @typescript-eslint/no-require-imports */

/** Schema formats a Confluent-compatible registry accepts. */
export type SchemaFormat = 'AVRO' | 'JSON' | 'PROTOBUF';

/** Compatibility levels of a Confluent-compatible registry. */
export enum Compatibility {
  /** New schema can read data written with the previous version (consumers upgrade first). */
  BACKWARD = 'BACKWARD',
  /** New schema can read data written with every earlier version. */
  BACKWARD_TRANSITIVE = 'BACKWARD_TRANSITIVE',
  /** Previous version can read data written with the new schema (producers upgrade first). */
  FORWARD = 'FORWARD',
  /** Every earlier version can read data written with the new schema. */
  FORWARD_TRANSITIVE = 'FORWARD_TRANSITIVE',
  /** Both BACKWARD and FORWARD against the previous version. */
  FULL = 'FULL',
  /** Both BACKWARD and FORWARD against every earlier version. */
  FULL_TRANSITIVE = 'FULL_TRANSITIVE',
  /** No check. */
  NONE = 'NONE',
}

/**
 * Parses a definition and returns a problem, or undefined when it is valid for its format.
 * Avro through avsc, JSON Schema through ajv, Protobuf through protobufjs.
 */
export function checkDefinition(format: SchemaFormat, definition: string): string | undefined {
  try {
    if (format === 'AVRO') avro().Type.forSchema(JSON.parse(definition), { noAnonymousTypes: false });
    else if (format === 'JSON') new (ajv().default)({ strict: false, validateFormats: false }).compile(JSON.parse(definition));
    else protobuf().parse(definition, { keepCase: true });
    return undefined;
  } catch (e) {
    return `not a valid ${format} schema: ${(e as Error).message}`;
  }
}

/**
 * Checks a new version against earlier versions (oldest first) under a compatibility level and returns the problems,
 * each naming the field and the rule. Avro is checked with avsc's schema resolution rules; JSON Schema and Protobuf
 * compatibility are not checked (their definitions are parse-checked only).
 */
export function checkCompatibility(format: SchemaFormat, level: Compatibility, earlier: readonly string[], next: string): string[] {
  if (level === Compatibility.NONE || earlier.length === 0 || format !== 'AVRO') return [];
  const against = level.endsWith('_TRANSITIVE') ? earlier.map((d, i) => ({ d, v: i + 1 })) : [{ d: earlier[earlier.length - 1], v: earlier.length }];
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const nextType = avro().Type.forSchema(JSON.parse(next));
  const problems: string[] = [];
  for (const { d, v } of against) {
    const oldType = avro().Type.forSchema(JSON.parse(d));
    if (backward) {
      const why = explainResolution(nextType, oldType, '', 'added to the new schema without a default');
      if (why) problems.push(`${level}: the new schema cannot read data written with version ${v}: ${why}`);
    }
    if (forward) {
      const why = explainResolution(oldType, nextType, '', `removed, but version ${v} has no default for it`);
      if (why) problems.push(`${level}: version ${v} cannot read data written with the new schema: ${why}`);
    }
  }
  return problems;
}

/** Why `reader` cannot resolve data written with `writer` (field by field), or undefined when it can. */
function explainResolution(reader: Avro.Type, writer: Avro.Type, path: string, missing: string): string | undefined {
  try {
    reader.createResolver(writer);
    return undefined;
  } catch (e) {
    if (reader instanceof avro().types.RecordType && writer instanceof avro().types.RecordType) {
      for (const rf of reader.fields) {
        const wf = writer.fields.find((f) => f.name === rf.name || (rf.aliases ?? []).includes(f.name));
        const fieldPath = path ? `${path}.${rf.name}` : rf.name;
        if (!wf) {
          if (rf.defaultValue() === undefined) return `field '${fieldPath}' was ${missing}`;
          continue;
        }
        const inner = explainResolution(rf.type, wf.type, fieldPath, missing);
        if (inner) return inner;
      }
    }
    const where = path ? `field '${path}'` : 'the top-level type';
    return `${where}: the reader's ${typeName(reader)} cannot read the writer's ${typeName(writer)}`;
  }
}

function typeName(t: Avro.Type): string {
  return t.typeName === 'record' || t.typeName === 'enum' || t.typeName === 'fixed' ? `${t.typeName} ${t.name ?? ''}`.trim() : t.typeName;
}

/** Canonical text of a definition, so formatting changes don't make a new version. */
export function canonicalDefinition(format: SchemaFormat, definition: string): string {
  if (format === 'PROTOBUF') return definition.trim();
  return JSON.stringify(sortKeys(JSON.parse(definition)));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}
