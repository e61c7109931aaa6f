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
  const errors = result.error.issues.map((issue) => new ValidationError(scope, fieldOf(issue.path), describeIssue(issue)));
  if (errors.length === 1) throw errors[0];
  throw new AggregateDataOpsError(errors, `${scope.node.path}: ${errors.length} invalid properties`);
}

function fieldOf(path: readonly PropertyKey[]): string | undefined {
  if (path.length === 0) return undefined;
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return issue.message;
}
