import { IConstruct } from 'constructs';
import { z } from 'zod';
import { closestMatch } from './did-you-mean';
import { AggregateDataOpsError, ValidationError } from './errors';
import { hasCreationSite, recordCreationSite } from './policy/source';

/**
 * Props validation for constructs.
 *
 * Two promises:
 *
 * 1. **No property is silently ignored.** {@link validateProps} refuses every key the schema does not know, at any
 *    depth, whether or not the schema (or a nested object in it) was declared `.strict()`: zod's default object
 *    schemas strip unknown keys, so {@link validateProps} walks the input beside the schema and reports them
 *    itself. Only an object schema that opts out explicitly (`.loose()` / `.catchall(...)`) accepts extra keys.
 *    Plain object literals are checked; class instances (a Topic, a NetworkPeer) are values, not props.
 * 2. **A schema cannot drift from its props interface.** {@link propsSchema} builds a strict object schema
 *    from a shape that the compiler checks against the interface: every key of the interface must be in the
 *    shape, no other key may be, and a key is optional in the schema exactly when it is optional in the
 *    interface. With zod 4 this is a curried generic (`propsSchema<XProps>()({ ... })`): the first call fixes
 *    the interface, the second infers the shape, and a mapped type turns every mismatch into a readable
 *    type error such as `"'egres' is not a property of the props interface"`. (zod 4 has no
 *    `z.ZodType<XProps>`-style check that catches a missing or an extra key: `z.ZodType<T>` only relates
 *    the output types, and an object type with fewer keys is assignable to one with more optional keys.)
 *    Value types are not compared (readonly arrays and class instances make that noisy); the runtime
 *    checks in the schema decide those.
 *
 * ```ts
 * const schema = propsSchema<DeploymentProps>()({ replicas: z.number().int().optional(), ... });
 * const p = validateProps(this, schema, props);
 * ```
 */

/** A mismatch between a props interface and a schema shape, as a readable type error. */
type ShapeCheck<T, S> = {
  [K in keyof S]: K extends keyof T
    ? undefined extends T[K]
      ? undefined extends z.input<S[K]> ? S[K] : `'${K & string}' is optional in the props interface: make its schema .optional()`
      : undefined extends z.input<S[K]> ? `'${K & string}' is required in the props interface: its schema must not accept undefined` : S[K]
    : `'${K & string}' is not a property of the props interface`;
};

/** The keys of the props interface the shape lacks, as readable type errors. */
type MissingKeys<T, S> = { [K in Exclude<keyof T, keyof S>]-?: `'${K & string}' is a property of the props interface: add it to the schema` };

/**
 * A strict zod object schema for the props interface `T`, from a shape the compiler checks against `T`
 * (same keys, same optionality). Refinements can be chained as usual.
 *
 * ```ts
 * const schema = propsSchema<ServiceProps>()({ name: z.string().optional(), selectorLabels: ..., ports: ... });
 * ```
 */
export function propsSchema<T>() {
  return <S extends z.ZodRawShape>(shape: S & ShapeCheck<T, S> & MissingKeys<T, S>): z.ZodObject<S, z.core.$strict> => z.strictObject(shape as S);
}

/**
 * A zod check that a value is an instance of a class (also one with a private constructor), named `name` (e.g.
 * 'NetworkPeer'): a missing value `is required (a NetworkPeer)`, any other `must be a NetworkPeer`.
 */
export function instanceOf<T>(cls: { readonly prototype: T }, name: string): z.ZodCustom<T, T> {
  return constructRef<T>((v) => typeof v === 'object' && v !== null && cls.prototype !== undefined && Object.prototype.isPrototypeOf.call(cls.prototype, v),
    `a ${name}`, `must be a ${name}`);
}

/**
 * A zod check that a value is a construct (or value object) of some kind (`what`, e.g. 'a KafkaCluster'), told by
 * `check`. A missing value is reported as required (`is required (a KafkaCluster)`), any other value with `wrong`
 * (`expected a KafkaCluster` unless given: a prop whose users need a hint, e.g. how to make a SecretValue, says it
 * there).
 */
export function constructRef<T>(check: (v: unknown) => boolean, what: string, wrong = `expected ${what}`): z.ZodCustom<T, T> {
  return z.custom<T>(check, { error: (issue) => (issue.input === undefined ? `is required (${what})` : wrong) });
}

/**
 * Checks construct props against a zod schema and returns the parsed value.
 * On failure, throws a ValidationError per problem that names the construct path and the field; unknown keys
 * (at any depth) are errors with the closest known key suggested.
 */
export function validateProps<S extends z.ZodType>(scope: IConstruct, schema: S, props: unknown): z.output<S> {
  // Where the user created the construct, for policy findings (SARIF): its constructor validates first; the
  // validations of later method calls (addAcl, ...) do not move it.
  if (!hasCreationSite(scope)) recordCreationSite(scope, validateProps);
  const result = schema.safeParse(props, parseContext(schema));
  const unknown: UnknownKey[] = [];
  findUnknownKeys(schema, props, [], unknown);
  if (result.success && unknown.length === 0) return result.data;

  const missing = new Map<string, z.core.$ZodIssue>();
  const issues = result.success ? [] : result.error.issues;
  for (const issue of issues) {
    if (isMissing(issue) || isAbsent(props, issue.path)) missing.set(fieldOf(issue.path) ?? '', issue);
    // Normally found by the walk as well; kept for places the walk does not reach (e.g. z.lazy).
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) unknown.push({ path: [...issue.path, key], key, known: [] });
  }
  // A typo of a required key: one error about the typo ('excutor'), not a second one about 'executor' missing.
  const errors: ValidationError[] = [];
  const explained = new Set<z.core.$ZodIssue>();
  for (const u of sortedUnique(unknown)) {
    const parent = u.path.slice(0, -1);
    const suggestion = closestMatch(u.key, u.known);
    const missingIssue = suggestion !== undefined ? missing.get(fieldOf([...parent, suggestion]) ?? '') : undefined;
    if (missingIssue) explained.add(missingIssue);
    errors.push(new ValidationError(scope, fieldOf(u.path), unknownKeyMessage(u.key, u.known, suggestion, missingIssue !== undefined)));
  }
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' || explained.has(issue)) continue; // unknown keys are reported above
    errors.push(new ValidationError(scope, fieldOf(issue.path), describeIssue(issue)));
  }
  if (errors.length === 1) throw errors[0];
  throw new AggregateDataOpsError(errors, `${scope.node.path}: ${errors.length} invalid properties`);
}

/**
 * Parses of a schema before zod may compile it. zod 4 compiles an object schema (and the objects nested in it) into a
 * fast parser with `new Function` at its first parse: about 1 ms per schema, which pays off over hundreds of parses
 * (50,000 Topics) but is most of props validation in an app that creates a construct of a kind once or twice (about
 * half of it for the example platform). So the first parses of each schema run zod's plain parser, which accepts
 * and returns the same; a schema that keeps being parsed is compiled after that.
 */
const PARSES_BEFORE_COMPILE = 64;
const parses = new WeakMap<z.ZodType, number>();
const PLAIN: z.core.ParseContext<z.core.$ZodIssue> = { jitless: true };

function parseContext(schema: z.ZodType): z.core.ParseContext<z.core.$ZodIssue> | undefined {
  const n = parses.get(schema) ?? 0;
  if (n >= PARSES_BEFORE_COMPILE) return undefined;
  parses.set(schema, n + 1);
  return PLAIN;
}

interface UnknownKey {
  readonly path: readonly PropertyKey[];
  readonly key: string;
  readonly known: readonly string[];
}

function sortedUnique(keys: readonly UnknownKey[]): UnknownKey[] {
  const seen = new Set<string>();
  return keys.filter((u) => {
    const id = fieldOf(u.path) ?? '';
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function fieldOf(path: readonly PropertyKey[]): string | undefined {
  if (path.length === 0) return undefined;
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function isMissing(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'invalid_type' && / received undefined$/.test(issue.message);
}

/** Whether the value at `path` is absent from an object that exists (a missing property, whatever the schema's message). */
function isAbsent(value: unknown, path: readonly PropertyKey[]): boolean {
  if (path.length === 0) return false;
  let node = value;
  for (const segment of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return false;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return typeof node === 'object' && node !== null && (node as Record<PropertyKey, unknown>)[path[path.length - 1]] === undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (isMissing(issue) && issue.code === 'invalid_type') return `is required (expected ${issue.expected})`;
  return issue.message;
}

function unknownKeyMessage(key: string, known: readonly string[], suggestion: string | undefined, required: boolean): string {
  const hint = suggestion
    ? `did you mean '${suggestion}'?${required ? ` ('${suggestion}' is required)` : ''}`
    : known.length ? `known properties: ${known.join(', ')}` : '';
  return `unknown property '${key}'${hint ? `; ${hint}` : ''}`;
}

// ---- the schema walk -------------------------------------------------------------------------------------

interface Def {
  readonly type?: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly catchall?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
  readonly items?: readonly z.ZodType[];
}

function defOf(schema: unknown): Def {
  return ((schema as { _zod?: { def?: Def } } | undefined)?._zod?.def) ?? {};
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Collects the keys of plain objects in `value` that the object schemas at the same place do not declare: for
 * default object schemas (which zod strips silently) and strict ones (zod's own `unrecognized_keys` issues are
 * replaced by these, which know the keys to suggest also inside records and unions). An explicit
 * `.loose()` / `.catchall(schema)` accepts extra keys.
 */
function findUnknownKeys(schema: unknown, value: unknown, path: PropertyKey[], out: UnknownKey[]): void {
  // Only objects and arrays hold keys: a string, a number or a construct's scalar prop ends the walk here, before any
  // path is copied or a union's options are tried (every construct's props are walked, also when they are valid).
  if (typeof value !== 'object' || value === null) return;
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      if (!isPlainObject(value) || !def.shape) return;
      for (const key in value) {
        const v = value[key];
        if (key in def.shape) {
          if (typeof v === 'object' && v !== null) findUnknownKeys(def.shape[key], v, [...path, key], out);
        } else if (def.catchall === undefined || defOf(def.catchall).type === 'never') {
          out.push({ path: [...path, key], key, known: Object.keys(def.shape) });
        }
      }
      return;
    }
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'nonoptional': case 'readonly': case 'catch':
      if (value !== undefined && value !== null) findUnknownKeys(def.innerType, value, path, out);
      return;
    case 'pipe':
      findUnknownKeys(def.in, value, path, out);
      return;
    case 'array':
      if (Array.isArray(value)) value.forEach((v, i) => findUnknownKeys(def.element, v, [...path, i], out));
      return;
    case 'tuple':
      if (Array.isArray(value)) value.forEach((v, i) => findUnknownKeys(def.items?.[i], v, [...path, i], out));
      return;
    case 'record':
      if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) findUnknownKeys(def.valueType, v, [...path, k], out);
      return;
    case 'intersection':
      findUnknownKeys(def.left, value, path, out);
      findUnknownKeys(def.right, value, path, out);
      return;
    case 'union': {
      // The option the value is meant for: the first that accepts it, else the only object option.
      const options = def.options ?? [];
      const match = options.find((o) => o.safeParse(value).success)
        ?? (isPlainObject(value) ? singleOrUndefined(options.filter((o) => defOf(o).type === 'object')) : undefined);
      if (match) findUnknownKeys(match, value, path, out);
      return;
    }
    default:
      return;
  }
}

function singleOrUndefined<T>(xs: readonly T[]): T | undefined {
  return xs.length === 1 ? xs[0] : undefined;
}
