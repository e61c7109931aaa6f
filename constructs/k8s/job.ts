import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { propsSchema } from '../../lib/validation';
import { WorkloadProps, workloadPropsShape, Workload } from './workload';

/** Argo CD sync phases a Job can run in as a hook. */
export type SyncHookPhase = 'PreSync' | 'Sync' | 'PostSync';

/**
 * Annotations that make a one-shot Job a GitOps hook: an Argo CD hook of `phase` that is deleted before it is
 * created again (a Job's pod template is immutable, so each sync runs a fresh Job), and Flux's force
 * annotation (Flux recreates the Job when its immutable spec changes).
 */
export function syncHookAnnotations(phase: SyncHookPhase): Record<string, string> {
  return {
    'argocd.argoproj.io/hook': phase,
    'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    'kustomize.toolkit.fluxcd.io/force': 'enabled',
  };
}

/** Settings of the Jobs a {@link Job} or a {@link CronJob} runs. */
export interface JobRunProps {
  /** Retries before the Job is marked failed. @default 2 */
  readonly backoffLimit?: number;
  /** Seconds the Job may run in total before it is stopped and marked failed. @default 3600 */
  readonly activeDeadlineSeconds?: number;
  /** Seconds a finished Job is kept before Kubernetes deletes it. @default - kept */
  readonly ttlSecondsAfterFinished?: number;
  /** Restart a failed container in the same pod ('OnFailure') or start a new pod ('Never'). @default 'Never' */
  readonly restartPolicy?: 'Never' | 'OnFailure';
}

/** Props of {@link Job}. */
export interface JobProps extends WorkloadProps, JobRunProps {
  /**
   * Run the Job as an Argo CD hook in this sync phase (with `BeforeHookCreation` and the Flux force annotation).
   * @default - a plain Job; with `GitOps` delivery ordering on, a `Sync` hook (a Job's template is immutable)
   */
  readonly syncHook?: SyncHookPhase;
}

/** zod shape of {@link JobRunProps}. */
export const jobRunPropsShape = {
  backoffLimit: z.number().int().min(0).optional(),
  activeDeadlineSeconds: z.number().int().min(1).optional(),
  ttlSecondsAfterFinished: z.number().int().min(0).optional(),
  restartPolicy: z.enum(['Never', 'OnFailure']).optional(),
};

const schema = propsSchema<JobProps>()({
  ...workloadPropsShape,
  ...jobRunPropsShape,
  syncHook: z.enum(['PreSync', 'Sync', 'PostSync']).optional(),
});

/** The cdk8s-plus-27 Job settings for run props (shared with CronJob). */
export function kplusJobRun(p: JobRunProps): { activeDeadline: Duration; backoffLimit: number; ttlAfterFinished?: Duration; restartPolicy: kplus.RestartPolicy } {
  return {
    activeDeadline: Duration.seconds(p.activeDeadlineSeconds ?? 3600),
    backoffLimit: p.backoffLimit ?? 2,
    ttlAfterFinished: p.ttlSecondsAfterFinished !== undefined ? Duration.seconds(p.ttlSecondsAfterFinished) : undefined,
    restartPolicy: p.restartPolicy === 'OnFailure' ? kplus.RestartPolicy.ON_FAILURE : kplus.RestartPolicy.NEVER,
  };
}

/**
 * A one-shot Job with the secure pod defaults of {@link Deployment}, a deadline and a retry limit; optionally a
 * GitOps sync hook (`syncHook: 'Sync'`).
 */
export class Job extends Workload {
  constructor(scope: Construct, id: string, props: JobProps) {
    super(scope, id, props, schema);
    // Job names become the value of the pods' job-name label (at most 63 characters).
    if (this.name.length > 63) throw new ValidationError(this, 'name', `'${this.name}' is ${this.name.length} characters; Job names are limited to 63`);
    const p = props;
    const pod = this.kplusPodProps(p);
    const resource = new kplus.Job(this, 'Resource', {
      ...pod,
      metadata: {
        ...pod.metadata,
        annotations: p.syncHook || p.annotations ? { ...p.annotations, ...(p.syncHook ? syncHookAnnotations(p.syncHook) : {}) } : undefined,
      },
      ...kplusJobRun(p),
    });
    this.finalizePodTemplate(resource, '/spec/template');
  }
}
