/** Argo CD: the sync wave of an object (objects are applied wave by wave, lowest first). */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** Argo CD: makes an object a resource hook (`PreSync`, `Sync`, `PostSync`, `SyncFail`, `Skip`, ...). */
export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
/** Argo CD: when a hook object is deleted (`BeforeHookCreation`, `HookSucceeded`, `HookFailed`). */
export const HOOK_DELETE_POLICY_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';
/** Argo CD: per-object sync options, comma-separated (`Prune=false,ServerSideApply=true`). */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
/** Flux: recreate the object when an immutable field changes (`enabled`). */
export const FLUX_FORCE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/force';
/** Argo CD notifications: `notifications.argoproj.io/subscribe.<trigger>.<service>: <recipient;recipient>`. */
export const NOTIFICATION_SUBSCRIBE_PREFIX = 'notifications.argoproj.io/subscribe';

/** The annotation kubectl-style client-side apply writes (Argo CD's default apply); it holds the object's JSON. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** Kubernetes' limit on the total size of an object's annotations (keys and values), in bytes. */
export const ANNOTATIONS_SIZE_LIMIT = 256 * 1024;
/**
 * Room kept for annotations the controllers add on the cluster (Argo CD's tracking id, kubectl's own), which
 * appear both as annotations and inside the last-applied JSON.
 */
export const ANNOTATIONS_HEADROOM = 1024;

/** Reads a comma-separated sync-options value into its options. */
export function parseSyncOptions(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Adds options to a comma-separated sync-options value, keeping existing ones and their order, without duplicates. */
export function mergeSyncOptions(value: string | undefined, ...add: string[]): string {
  const options = parseSyncOptions(value);
  for (const option of add) {
    const key = option.split('=')[0];
    if (!options.some((o) => o.split('=')[0] === key)) options.push(option);
  }
  return options.join(',');
}
