import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { NameRule, ValidationError } from 'cdk8s-dataops';
import { objectName, toKubernetesName, validateName } from '../../lib/names';

describe('toKubernetesName', () => {
  it.each([
    ['OrdersTopic', 'orders-topic'],
    ['orders_v1', 'orders-v1'],
    ['  Payments  Orders ', 'payments-orders'],
    ['--a--b--', 'a-b'],
    ['payments.orders.v1', 'payments-orders-v1'],
    ['Ünïcode!', 'n-code'],
    ['!!!', ''],
  ])('%j → %j', (id, name) => {
    expect(toKubernetesName(id)).toBe(name);
  });

  it('keeps dots when asked (KafkaTopic names), without leading, trailing or doubled dots', () => {
    expect(toKubernetesName('payments.orders.v1', true)).toBe('payments.orders.v1');
    expect(toKubernetesName('.Payments..Orders_V1.', true)).toBe('payments.orders-v1');
    expect(toKubernetesName('a-.-b', true)).toBe('a.b');
  });
});

describe('validateName', () => {
  it('returns a valid name unchanged', () => {
    expect(validateName('prod/orders', 'name', 'payments.orders-v1')).toBe('payments.orders-v1');
    expect(validateName('prod/orders', 'name', 'a'.repeat(253))).toHaveLength(253);
    expect(validateName('prod/orders', 'name', 'a'.repeat(63), NameRule.DNS_LABEL)).toHaveLength(63);
  });

  it.each([
    ['Orders', NameRule.DNS_SUBDOMAIN],
    ['-orders', NameRule.DNS_SUBDOMAIN],
    ['orders-', NameRule.DNS_SUBDOMAIN],
    ['orders_v1', NameRule.DNS_SUBDOMAIN],
    ['', NameRule.DNS_SUBDOMAIN],
    ['a'.repeat(254), NameRule.DNS_SUBDOMAIN],
    ['a.b', NameRule.DNS_LABEL],
    ['a'.repeat(64), NameRule.DNS_LABEL],
  ])('refuses %j (%s) naming the construct path and field', (name, rule) => {
    let error: unknown;
    try {
      validateName('prod/orders', 'metadata.name', name, rule);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const e = error as ValidationError;
    expect(e.constructPath).toBe('prod/orders');
    expect(e.field).toBe('metadata.name');
    expect(e.message).toMatch(/^prod\/orders, field 'metadata\.name': '.*' is not a valid Kubernetes name: use at most (63|253) lower-case/);
  });
});

describe('objectName', () => {
  const tree = () => {
    const root = new Construct(undefined as any, '');
    const env = new Construct(root, 'prod');
    return { root, env };
  };

  it('derives the name from the construct id, without a hash', () => {
    const { env } = tree();
    expect(objectName(new Construct(env, 'OrdersTopic'))).toBe('orders-topic');
  });

  it("lets 'Resource' and 'Default' borrow the parent's id, through several levels", () => {
    const { env } = tree();
    const wrapper = new Construct(env, 'payments-api');
    expect(objectName(new Construct(wrapper, 'Resource'))).toBe('payments-api');
    const inner = new Construct(new Construct(new Construct(env, 'Loader'), 'Default'), 'Resource');
    expect(objectName(inner)).toBe('loader');
  });

  it('is independent of where the construct sits (moving it keeps the name)', () => {
    const { env } = tree();
    const a = new Construct(env, 'orders');
    const b = new Construct(new Construct(new Construct(env, 'team'), 'pipeline'), 'orders');
    expect(objectName(a)).toBe(objectName(b));
  });

  it('validates an explicit name and names the construct path in the error', () => {
    const { env } = tree();
    const c = new Construct(env, 'orders');
    expect(objectName(c, 'orders.v1')).toBe('orders.v1');
    expect(() => objectName(c, 'Orders V1')).toThrow("prod/orders, field 'name': 'Orders V1' is not a valid Kubernetes name");
  });

  it('refuses an id nothing can be derived from, asking for an explicit name', () => {
    const { env } = tree();
    expect(() => objectName(new Construct(env, '***'))).toThrow("prod/***, field 'name': cannot derive a Kubernetes name from construct id '***'; set 'name' explicitly");
  });

  it('shortens derived names to 63 characters for DNS labels, without a trailing dash', () => {
    const { env } = tree();
    const id = `${'a'.repeat(62)}-b${'c'.repeat(10)}`;
    expect(objectName(new Construct(env, id), undefined, NameRule.DNS_LABEL)).toBe('a'.repeat(62));
    expect(() => objectName(new Construct(env, 'x'.repeat(300)))).toThrow(/not a valid Kubernetes name: use at most 253/);
  });
});
