import { IConstruct } from 'constructs';
import { z } from 'zod';
import { AggregateDataOpsError, ValidationError } from './errors';

/**
 * Checks construct props against a zod schema and returns the parsed value.
 * On failure, throws a ValidationError per problem that names the construct path and the field.
 */
export function validateProps<S extends z.ZodType>(scope: IConstruct, schema: S, props: unknown): z.output<S> {
  const result = schema.safeParse(props);
  if (result.success) return result.data;
  const errors = result.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      // One error per unknown key, named as the field, with the closest known key as a suggestion.
      const known = knownKeys(schema, issue.path);
      return issue.keys.map((key) => new ValidationError(scope, fieldOf([...issue.path, key]), unknownKeyMessage(key, known)));
    }
    return [new ValidationError(scope, fieldOf(issue.path), describeIssue(issue))];
  });
  if (errors.length === 1) throw errors[0];
  throw new AggregateDataOpsError(errors, `${scope.node.path}: ${errors.length} invalid properties`);
}

function fieldOf(path: readonly PropertyKey[]): string | undefined {
  if (path.length === 0) return undefined;
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) return `is required (expected ${issue.expected})`;
  return issue.message;
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const best = known
    .map((k) => ({ k, d: editDistance(key.toLowerCase(), k.toLowerCase()) }))
    .filter(({ k, d }) => d <= Math.max(2, Math.floor(k.length / 3)))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))[0];
  const hint = best ? `did you mean '${best.k}'?` : known.length ? `known properties: ${known.join(', ')}` : '';
  return `unknown property${hint ? `; ${hint}` : ''}`;
}

/** The property names the object schema at `path` accepts (empty when it cannot be told). */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  for (const segment of path) {
    node = unwrap(node);
    const shape = (node as { shape?: Record<string, unknown> })?.shape;
    if (typeof segment === 'string' && shape && segment in shape) node = shape[segment];
    else if (typeof segment === 'number' && (node as { element?: unknown })?.element) node = (node as { element: unknown }).element;
    else return [];
  }
  const shape = (unwrap(node) as { shape?: Record<string, unknown> })?.shape;
  return shape ? Object.keys(shape) : [];
}

function unwrap(node: unknown): unknown {
  let n = node as { unwrap?: () => unknown; _zod?: { def?: { innerType?: unknown; in?: unknown } } } | undefined;
  for (let i = 0; i < 10 && n; i++) {
    const def = n._zod?.def;
    if (def?.innerType) n = def.innerType as typeof n;          // optional, nullable, default
    else if (def?.in) n = def.in as typeof n;                  // pipe / transform
    else break;
  }
  return n;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
