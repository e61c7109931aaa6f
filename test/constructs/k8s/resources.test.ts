import { describe, expect, it } from 'vitest';
import { DEFAULT_RESOURCES, resourceRequirementsSchema, withDefaultResources } from '../../../constructs/k8s/resources';

describe('resource requirements', () => {
  it('always has CPU and memory requests and limits, overriding per field', () => {
    expect(withDefaultResources(undefined)).toEqual(DEFAULT_RESOURCES);
    expect(withDefaultResources({ memory: { limit: '1Gi' } })).toEqual({ cpu: DEFAULT_RESOURCES.cpu, memory: { request: '256Mi', limit: '1Gi' } });
    expect(withDefaultResources({ ephemeralStorage: { limit: '2Gi' } }).ephemeralStorage).toEqual({ limit: '2Gi' });
  });

  it.each([
    [{ cpu: { request: '0.25' } }, true],
    [{ cpu: { request: '250m', limit: '2' } }, true],
    [{ memory: { request: '512Mi', limit: '1Gi' } }, true],
    [{ cpu: { request: '1.5.0' } }, false],
    [{ memory: { request: '1G' } }, false],
    [{ memory: { request: '2Gi', limit: '1Gi' } }, false],
    [{ ephemeralStorage: { limit: '500Mi' } }, false],
    [{ gpu: { limit: '1' } }, false],
  ])('checks %j', (r, ok) => expect(resourceRequirementsSchema.safeParse(r).success).toBe(ok));
});
