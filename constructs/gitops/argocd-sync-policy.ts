import { z } from 'zod';
import { DurationInput, durationSchema } from '../core/duration';
import type { ApplicationSpecSyncPolicy } from '../imports/argocd-argoproj.io';
import { goDuration } from './bootstrap-object';

/** How Argo CD retries a failed sync. */
export interface ArgoCdRetry {
  /** Attempts before giving up (a negative number retries forever). @default 5 */
  readonly limit?: number;
  /** Wait before the first retry. @default '10s' */
  readonly backoff?: DurationInput;
  /** Factor the wait grows by after each attempt. @default 2 */
  readonly factor?: number;
  /** Longest wait between retries. @default '3m' */
  readonly maxBackoff?: DurationInput;
}

/** How an Argo CD Application syncs (automated, self-healing, pruning: Git is the only source of truth). */
export interface ArgoCdSyncPolicyOptions {
  /**
   * Delete objects that were removed from Git. Objects annotated `argocd.argoproj.io/sync-options: Prune=false`
   * (Kafka topics and schemas unless their construct says `RemovalPolicy.DESTROY`) are never pruned.
   * @default true
   */
  readonly prune?: boolean;
  /** Revert changes made on the cluster outside Git. @default true */
  readonly selfHeal?: boolean;
  /** Create the environment's namespace when it does not exist (sync option `CreateNamespace=true`). @default true */
  readonly createNamespace?: boolean;
  /** Retry failed syncs with exponential backoff. @default - 5 attempts, 10s doubling up to 3m */
  readonly retry?: ArgoCdRetry;
  /** More Application-level sync options, e.g. `RespectIgnoreDifferences=true`. @default - none */
  readonly syncOptions?: readonly string[];
}

/** zod shape of {@link ArgoCdSyncPolicyOptions}. */
export const syncPolicySchemaShape = {
  prune: z.boolean().optional(),
  selfHeal: z.boolean().optional(),
  createNamespace: z.boolean().optional(),
  retry: z.object({
    limit: z.number().int().optional(),
    backoff: durationSchema.optional(),
    factor: z.number().int().min(1).optional(),
    maxBackoff: durationSchema.optional(),
  }).strict().optional(),
  syncOptions: z.array(z.string().regex(/^[A-Za-z]+=[A-Za-z0-9-]+$/, { message: "must look like 'Option=value'" })).optional(),
};

/** The `spec.syncPolicy` of an Application for these options. */
export function renderSyncPolicy(options: ArgoCdSyncPolicyOptions | z.output<z.ZodObject<typeof syncPolicySchemaShape>>): ApplicationSpecSyncPolicy {
  const retry = options.retry ?? {};
  const millis = (d: DurationInput | number | undefined, fallback: number) => (d === undefined ? fallback : typeof d === 'number' ? d : durationSchema.parse(d));
  const backoff = millis(retry.backoff, 10_000);
  const maxBackoff = millis(retry.maxBackoff, 180_000);
  const syncOptions = [
    ...(options.createNamespace ?? true ? ['CreateNamespace=true'] : []),
    // Deletions happen after every wave is applied and healthy.
    'PruneLast=true',
  ];
  for (const option of options.syncOptions ?? []) {
    const i = syncOptions.findIndex((o) => o.split('=')[0] === option.split('=')[0]);
    if (i >= 0) syncOptions[i] = option;
    else syncOptions.push(option);
  }
  return {
    automated: { prune: options.prune ?? true, selfHeal: options.selfHeal ?? true },
    syncOptions,
    retry: {
      limit: retry.limit ?? 5,
      backoff: { duration: goDuration(backoff), factor: retry.factor ?? 2, maxDuration: goDuration(maxBackoff) },
    },
  };
}
