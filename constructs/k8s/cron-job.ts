import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { cronSchema, timeZoneSchema, toCron } from './cron';
import { propsSchema } from '../../lib/validation';
import { JobRunProps, jobRunPropsShape, kplusJobRun } from './job';
import { WorkloadProps, workloadPropsShape, Workload } from './workload';

/** Props of {@link CronJob}. */
export interface CronJobProps extends WorkloadProps, JobRunProps {
  /** Cron schedule: five fields (`'30 2 * * *'`) or a macro (`'@daily'`). */
  readonly schedule: string;
  /** IANA time zone of the schedule. @default - the kube-controller-manager's time zone (usually UTC) */
  readonly timeZone?: string;
  /** What to do when a run is due while the previous one still runs. @default 'Forbid' */
  readonly concurrencyPolicy?: 'Forbid' | 'Replace' | 'Allow';
  /** Successful Jobs kept for inspection. @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** Failed Jobs kept for inspection. @default 3 */
  readonly failedJobsHistoryLimit?: number;
  /** Seconds after the scheduled time a missed run may still start. @default 600 */
  readonly startingDeadlineSeconds?: number;
  /** Pause the schedule. @default false */
  readonly suspend?: boolean;
}

const schema = propsSchema<CronJobProps>()({
  ...workloadPropsShape,
  ...jobRunPropsShape,
  schedule: cronSchema,
  timeZone: timeZoneSchema.optional(),
  concurrencyPolicy: z.enum(['Forbid', 'Replace', 'Allow']).optional(),
  successfulJobsHistoryLimit: z.number().int().min(0).optional(),
  failedJobsHistoryLimit: z.number().int().min(0).optional(),
  startingDeadlineSeconds: z.number().int().min(10, 'must be at least 10 (the CronJob controller checks every 10 seconds)').optional(),
  suspend: z.boolean().optional(),
}).refine((p) => p.ttlSecondsAfterFinished === undefined, {
  path: ['ttlSecondsAfterFinished'],
  message: 'is not supported on a CronJob: successfulJobsHistoryLimit and failedJobsHistoryLimit decide how long Jobs are kept',
});

/** A CronJob with the secure pod defaults of {@link Deployment}, concurrency `Forbid`, history limits and a start deadline. */
export class CronJob extends Workload {
  /** The schedule. */
  public readonly schedule: string;

  constructor(scope: Construct, id: string, props: CronJobProps) {
    super(scope, id, props, schema);
    // The CronJob controller appends an 11-character suffix to Job names, which are limited to 63.
    if (this.name.length > 52) throw new ValidationError(this, 'name', `'${this.name}' is ${this.name.length} characters; CronJob names are limited to 52`);
    const p = props;
    this.schedule = p.schedule;
    const { ttlAfterFinished: _none, ...run } = kplusJobRun(p);
    const resource = new kplus.CronJob(this, 'Resource', {
      ...this.kplusPodProps(p),
      ...run,
      schedule: toCron(p.schedule),
      timeZone: p.timeZone,
      concurrencyPolicy: (p.concurrencyPolicy ?? 'Forbid') as kplus.ConcurrencyPolicy,
      successfulJobsRetained: p.successfulJobsHistoryLimit ?? 3,
      failedJobsRetained: p.failedJobsHistoryLimit ?? 3,
      startingDeadline: Duration.seconds(p.startingDeadlineSeconds ?? 600),
      suspend: p.suspend ?? false,
    });
    this.finalizePodTemplate(resource, '/spec/jobTemplate/spec/template');
  }
}
