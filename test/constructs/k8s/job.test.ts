import { findObject, synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { Job } from '../../../constructs/k8s';
import { syncHookAnnotations } from '../../../constructs/k8s/job';
import { errorOf, newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

const c = { name: 'migrate', image: 'ghcr.io/acme/migrations:7' };

describe('Job', () => {
  it('runs once with a deadline, a retry limit and the secure pod defaults', () => {
    const env = newEnv();
    new Job(env, 'Migrate', { containers: [c] });
    const objects = synthesize(env);
    validateAll(objects);
    const job = findObject(objects, 'Job', 'migrate');
    expect(job.metadata.annotations).toBeUndefined();
    expect(job.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 3600 });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(job.spec.selector).toBeUndefined();
    expect(JSON.stringify(job)).not.toContain('cdk8s.io/metadata.addr');
  });

  it('becomes an Argo CD hook with BeforeHookCreation and the Flux force annotation', () => {
    const env = newEnv();
    new Job(env, 'Migrate', { containers: [c], syncHook: 'PreSync', annotations: { owner: 'data' }, backoffLimit: 0, ttlSecondsAfterFinished: 600, restartPolicy: 'OnFailure' });
    const job = findObject(env, 'Job', 'migrate');
    expect(job.metadata.annotations).toEqual({
      owner: 'data',
      'argocd.argoproj.io/hook': 'PreSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      'kustomize.toolkit.fluxcd.io/force': 'enabled',
    });
    expect(job.spec).toMatchObject({ backoffLimit: 0, ttlSecondsAfterFinished: 600 });
    expect(job.spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(syncHookAnnotations('Sync')['argocd.argoproj.io/hook']).toBe('Sync');
  });

  it('refuses names that cannot be a job-name label and bad run settings', () => {
    const env = newEnv();
    expect(errorOf(() => new Job(env, 'J', { name: `a${'-b'.repeat(32)}`, containers: [c] })))
      .toBe(`dev/J, field 'name': 'a${'-b'.repeat(32)}' is 65 characters; Job names are limited to 63`);
    expect(errorOf(() => new Job(env, 'K', { containers: [c], activeDeadlineSeconds: 0 }))).toContain("dev/K, field 'activeDeadlineSeconds'");
    expect(errorOf(() => new Job(env, 'L', { containers: [c], syncHook: 'Later' as never }))).toContain("dev/L, field 'syncHook'");
  });
});
