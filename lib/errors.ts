import { IConstruct } from 'constructs';

/**
 * An error a person can act on: what is wrong, where (construct path and field), and what is allowed.
 * The `synth` command prints `message` without a stack trace unless `--verbose` is given.
 */
export class DataOpsError extends Error {
  /** The construct path the error is about, if any. */
  public readonly constructPath?: string;
  /** The field (property path) the error is about, if any. */
  public readonly field?: string;

  constructor(message: string, options: { readonly constructPath?: string; readonly field?: string; readonly cause?: unknown } = {}) {
    super(formatMessage(message, options.constructPath, options.field), options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'DataOpsError';
    this.constructPath = options.constructPath;
    this.field = options.field;
  }
}

/** An invalid property or combination of properties on a construct. */
export class ValidationError extends DataOpsError {
  constructor(scope: IConstruct | string, field: string | undefined, message: string) {
    super(message, { constructPath: typeof scope === 'string' ? scope : scope.node.path, field });
    this.name = 'ValidationError';
  }
}

/** Several problems found together (for example, every invalid construct in an app), reported at once. */
export class AggregateDataOpsError extends DataOpsError {
  public readonly errors: readonly DataOpsError[];
  constructor(errors: readonly DataOpsError[], headline = `${errors.length} problem(s) found`) {
    super(`${headline}:\n${errors.map((e) => `  - ${e.message.split('\n').join('\n    ')}`).join('\n')}`);
    this.name = 'AggregateDataOpsError';
    this.errors = errors;
  }
}

function formatMessage(message: string, constructPath?: string, field?: string): string {
  const where = [constructPath, field ? `field '${field}'` : undefined].filter(Boolean).join(', ');
  return where ? `${where}: ${message}` : message;
}
