import { findObject, synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { CronJob } from '../../../constructs/k8s';
import { errorOf, newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

const c = { name: 'report', image: 'ghcr.io/acme/report:3' };

describe('CronJob', () => {
  it('forbids overlapping runs, keeps a history and has a start deadline', () => {
    const env = newEnv();
    new CronJob(env, 'Nightly', { schedule: '30 2 * * *', timeZone: 'Europe/Berlin', containers: [c] });
    const objects = synthesize(env);
    validateAll(objects);
    const cj = findObject(objects, 'CronJob', 'nightly');
    expect(cj.spec).toMatchObject({
      schedule: '30 2 * * *', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid', suspend: false,
      successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3, startingDeadlineSeconds: 600,
    });
    expect(cj.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 3600 });
    expect(cj.spec.jobTemplate.spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(JSON.stringify(cj)).not.toContain('cdk8s.io/metadata.addr');
  });

  it('expands macros and takes every setting', () => {
    const env = newEnv();
    new CronJob(env, 'Hourly', {
      schedule: '@hourly', containers: [c], concurrencyPolicy: 'Replace', successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 5, startingDeadlineSeconds: 60, suspend: true, backoffLimit: 0,
    });
    const cj = findObject(env, 'CronJob', 'hourly');
    expect(cj.spec).toMatchObject({
      schedule: '0 * * * *', concurrencyPolicy: 'Replace', successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 5,
      startingDeadlineSeconds: 60, suspend: true,
    });
    expect(cj.spec.timeZone).toBeUndefined();
  });

  it('names the construct path and field of a bad schedule, time zone or setting', () => {
    const env = newEnv();
    expect(errorOf(() => new CronJob(env, 'A', { schedule: 'every day', containers: [c] })))
      .toBe("dev/A, field 'schedule': 'every day' is not a cron schedule: use five fields 'minute hour day-of-month month day-of-week' (e.g. '30 2 * * *') or a macro such as '@daily'");
    expect(errorOf(() => new CronJob(env, 'B', { schedule: '0 25 * * *', containers: [c] })))
      .toBe("dev/B, field 'schedule': '0 25 * * *': hour '25' is out of range (0-23)");
    expect(errorOf(() => new CronJob(env, 'C', { schedule: '@daily', timeZone: 'Mars/Olympus', containers: [c] })))
      .toBe("dev/C, field 'timeZone': is not an IANA time zone name such as 'Europe/Berlin' or 'UTC'");
    expect(errorOf(() => new CronJob(env, 'D', { schedule: '@daily', ttlSecondsAfterFinished: 60, containers: [c] })))
      .toBe("dev/D, field 'ttlSecondsAfterFinished': is not supported on a CronJob: successfulJobsHistoryLimit and failedJobsHistoryLimit decide how long Jobs are kept");
    expect(errorOf(() => new CronJob(env, 'E', { schedule: '@daily', startingDeadlineSeconds: 5, containers: [c] })))
      .toBe("dev/E, field 'startingDeadlineSeconds': must be at least 10 (the CronJob controller checks every 10 seconds)");
    expect(errorOf(() => new CronJob(env, 'F', { name: 'x'.repeat(53), schedule: '@daily', containers: [c] })))
      .toBe(`dev/F, field 'name': '${'x'.repeat(53)}' is 53 characters; CronJob names are limited to 52`);
  });
});
