import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AggregateDataOpsError, validateProps, ValidationError } from 'cdk8s-dataops';

const schema = z.object({
  partitions: z.number().int().min(1),
  config: z.object({ retention: z.string() }).strict().optional(),
  consumers: z.array(z.object({ group: z.string().min(1) })).optional(),
}).strict();

function scope(): Construct {
  return new Construct(new Construct(undefined as any, ''), 'orders');
}

describe('validateProps', () => {
  it('returns the parsed props when they are valid', () => {
    expect(validateProps(scope(), schema, { partitions: 3, consumers: [{ group: 'g' }] })).toEqual({ partitions: 3, consumers: [{ group: 'g' }] });
  });

  it('throws one ValidationError naming the construct path and the field path', () => {
    let error: unknown;
    try {
      validateProps(scope(), schema, { partitions: 3, consumers: [{ group: 'g' }, { group: '' }] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).constructPath).toBe('orders');
    expect((error as ValidationError).field).toBe('consumers[1].group');
    expect((error as Error).message).toMatch(/^orders, field 'consumers\[1\]\.group': /);
  });

  it('reports every invalid property at once', () => {
    let error: unknown;
    try {
      validateProps(scope(), schema, { partitions: 0, config: { retention: 7 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AggregateDataOpsError);
    const agg = error as AggregateDataOpsError;
    expect(agg.errors.map((e) => e.field)).toEqual(['partitions', 'config.retention']);
    expect(agg.message.split('\n')[0]).toBe('orders: 2 invalid properties:');
  });

  it('names unknown properties (strict schemas)', () => {
    expect(() => validateProps(scope(), schema, { partitions: 1, partition: 2 })).toThrow(/^orders, field 'partition': unknown property/);
  });
});

describe('validateProps messages for people', () => {
  it('names an unknown key as the field and suggests the closest known one, also in nested objects', () => {
    expect(() => validateProps(scope(), schema, { partitons: 3 })).toThrow(/field 'partitons': unknown property; did you mean 'partitions'\?/);
    expect(() => validateProps(scope(), schema, { partitions: 3, config: { retension: 'x' } }))
      .toThrow(/field 'config.retension': unknown property; did you mean 'retention'\?/);
  });

  it('lists the known properties when nothing is close', () => {
    expect(() => validateProps(scope(), schema, { partitions: 3, zzzzzz: 1 }))
      .toThrow(/field 'zzzzzz': unknown property; known properties: partitions, config, consumers/);
  });

  it('says a missing property is required', () => {
    expect(() => validateProps(scope(), schema, {})).toThrow(/field 'partitions': is required \(expected number\)/);
  });
});
