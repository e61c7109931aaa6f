import { describe, expect, it } from 'vitest';
import { AggregateDataOpsError, DataOpsError, ValidationError } from 'cdk8s-dataops';

describe('errors', () => {
  it('DataOpsError puts the construct path and field before the message', () => {
    expect(new DataOpsError('too small', { constructPath: 'prod/orders', field: 'partitions' }).message).toBe("prod/orders, field 'partitions': too small");
    expect(new DataOpsError('too small', { constructPath: 'prod/orders' }).message).toBe('prod/orders: too small');
    expect(new DataOpsError('too small', { field: 'partitions' }).message).toBe("field 'partitions': too small");
    expect(new DataOpsError('too small').message).toBe('too small');
  });

  it('keeps the cause and the location as properties', () => {
    const cause = new Error('inner');
    const e = new DataOpsError('outer', { constructPath: 'a/b', field: 'f', cause });
    expect(e.cause).toBe(cause);
    expect([e.constructPath, e.field, e.name]).toEqual(['a/b', 'f', 'DataOpsError']);
    expect('cause' in new DataOpsError('no cause')).toBe(false);
  });

  it('ValidationError takes a construct or a path', () => {
    const e = new ValidationError('prod/orders', 'replicas', 'must be at least 1');
    expect(e).toBeInstanceOf(DataOpsError);
    expect(e.name).toBe('ValidationError');
    expect(e.message).toBe("prod/orders, field 'replicas': must be at least 1");
  });

  it('AggregateDataOpsError lists every problem, indenting multi-line ones', () => {
    const e = new AggregateDataOpsError([new DataOpsError('first', { constructPath: 'a' }), new DataOpsError('second\ndetail', { constructPath: 'b' })]);
    expect(e.message).toBe('2 problem(s) found:\n  - a: first\n  - b: second\n    detail');
    expect(e.errors).toHaveLength(2);
    expect(new AggregateDataOpsError([new DataOpsError('x')], 'headline').message).toBe('headline:\n  - x');
  });
});
