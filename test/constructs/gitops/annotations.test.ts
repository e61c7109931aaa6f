import { describe, expect, it } from 'vitest';
import { mergeSyncOptions, parseSyncOptions } from '../../../constructs/gitops/annotations';

describe('sync-options values', () => {
  it('parse comma-separated options', () => {
    expect(parseSyncOptions(' Prune=false, ServerSideApply=true ,')).toEqual(['Prune=false', 'ServerSideApply=true']);
    expect(parseSyncOptions(undefined)).toEqual([]);
  });

  it('merge keeps existing options and their values', () => {
    expect(mergeSyncOptions('Prune=false', 'ServerSideApply=true')).toBe('Prune=false,ServerSideApply=true');
    expect(mergeSyncOptions('ServerSideApply=false', 'ServerSideApply=true')).toBe('ServerSideApply=false');
    expect(mergeSyncOptions(undefined, 'ServerSideApply=true')).toBe('ServerSideApply=true');
  });
});
