import { describe, expect, it } from 'vitest';
import { configValueString, sameConfigValue } from '../../../ops/kafka';

describe('configValueString', () => {
  it('prints values as the broker stores them', () => {
    expect(configValueString(604800000)).toBe('604800000');
    expect(configValueString(9223372036854775807n)).toBe('9223372036854775807');
    expect(configValueString(1e21)).toBe('1000000000000000000000'); // never '1e+21'
    expect(configValueString(0.5)).toBe('0.5');
    expect(configValueString(false)).toBe('false');
    expect(configValueString('compact,delete')).toBe('compact,delete');
    expect(configValueString({})).toBeUndefined();
    expect(configValueString(NaN)).toBeUndefined();
  });
});

describe('sameConfigValue', () => {
  it('ignores cosmetic differences', () => {
    expect(sameConfigValue('min.cleanable.dirty.ratio', '0.50', '0.5')).toBe(true);
    expect(sameConfigValue('unclean.leader.election.enable', 'FALSE', 'false')).toBe(true);
    expect(sameConfigValue('cleanup.policy', 'delete, compact', 'compact,delete')).toBe(true);
    expect(sameConfigValue('retention.ms', ' 1000 ', '1000')).toBe(true);
  });

  it('sees real differences, including beyond 2^53', () => {
    expect(sameConfigValue('retention.ms', '1000', '1001')).toBe(false);
    expect(sameConfigValue('max.compaction.lag.ms', '9223372036854775807', '9223372036854775806')).toBe(false);
    expect(sameConfigValue('cleanup.policy', 'compact', 'compact,delete')).toBe(false);
    // Order matters for lists other than cleanup.policy.
    expect(sameConfigValue('leader.replication.throttled.replicas', '0:1,1:2', '1:2,0:1')).toBe(false);
  });
});
