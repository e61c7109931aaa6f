import { describe, expect, it } from 'vitest';
import { describeRule, gatewayRule, maskFieldTransforms } from '../../../constructs/governance/masking-rule';

describe('masking rules', () => {
  it("map to Kafka's MaskField only where it can express them", () => {
    expect(maskFieldTransforms('all', [{ name: 'email', type: 'null|string' }, { name: 'amount', type: 'long' }, { name: 'x' }])).toEqual([
      { type: 'org.apache.kafka.connect.transforms.MaskField$Value', config: { fields: 'email,x', replacement: '****' } },
      { type: 'org.apache.kafka.connect.transforms.MaskField$Value', config: { fields: 'amount' } },
    ]);
    expect(maskFieldTransforms('null', [{ name: 'email' }])).toEqual([{ type: 'org.apache.kafka.connect.transforms.MaskField$Value', config: { fields: 'email' } }]);
    expect(maskFieldTransforms('all', [{ name: 'address.city' }, { name: 'email' }])).toBe("MaskField masks top-level fields only ('address.city' nested)");
    for (const rule of ['hash', 'email', { firstN: 2 }, { lastN: 4 }] as const) {
      expect(maskFieldTransforms(rule, [{ name: 'email' }])).toBe(`Apache Kafka's built-in transforms cannot express '${describeRule(rule)}' (MaskField only replaces a whole value by a constant)`);
    }
  });

  it("map to Conduktor's masking types where they exist", () => {
    expect(gatewayRule('all')).toEqual({ type: 'MASK_ALL', maskingChar: '*' });
    expect(gatewayRule({ firstN: 3 })).toEqual({ type: 'MASK_FIRST_N', maskingChar: '*', numberOfChars: 3 });
    expect(gatewayRule({ lastN: 4 })).toEqual({ type: 'MASK_LAST_N', maskingChar: '*', numberOfChars: 4 });
    expect(gatewayRule('hash')).toMatch(/no 'hash' masking type/);
  });
});
