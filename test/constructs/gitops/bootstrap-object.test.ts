import { describe, expect, it } from 'vitest';
import { goDuration } from '../../../constructs/gitops/bootstrap-object';

describe('goDuration', () => {
  it('writes milliseconds as a Go duration', () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(90_000)).toBe('1m30s');
    expect(goDuration(7 * 86_400_000)).toBe('168h');
    expect(goDuration(1500)).toBe('1s500ms');
  });
});
