import { findObject, synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { PodDisruptionBudget } from '../../../constructs/k8s';
import { errorOf, newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

describe('PodDisruptionBudget', () => {
  it('allows one pod down by default, or keeps a minimum', () => {
    const env = newEnv();
    new PodDisruptionBudget(env, 'Scheduler', { selectorLabels: { app: 's' } });
    new PodDisruptionBudget(env, 'Api', { selectorLabels: { app: 'a' }, minAvailable: 2 });
    const objects = synthesize(env);
    validateAll(objects);
    expect(findObject(objects, 'PodDisruptionBudget', 'scheduler').spec).toEqual({ selector: { matchLabels: { app: 's' } }, maxUnavailable: 1 });
    expect(findObject(objects, 'PodDisruptionBudget', 'api').spec).toEqual({ selector: { matchLabels: { app: 'a' } }, minAvailable: 2 });
    expect(errorOf(() => new PodDisruptionBudget(env, 'X', { selectorLabels: { app: 'x' }, minAvailable: 1, maxUnavailable: 1 })))
      .toBe('dev/X: set maxUnavailable or minAvailable, not both');
  });
});
