import { DataOpsError } from '../../errors';
import { MANIFESTS_DIR } from '../../synthesizer/layout';
import { existingFolder, selectEnvironments } from '../dist';
import { readDistFiles } from '../dist-files';
import { applyFiles, ObjectOutcome } from './apply-folder';
import { KubeApi, KubeApiUnreachableError } from './kube-api';

/** Options of {@link validateOnServer}. */
export interface ServerCheckOptions {
  /** Only these environments (folders under `manifests/`). @default - all */
  readonly environments?: readonly string[];
  /** Field manager of the dry-run applies (nothing is stored). @default 'cdk8s-dataops' */
  readonly fieldManager?: string;
}

/** One object the server did not accept, or could not check. */
export interface ServerFinding extends Omit<ObjectOutcome, 'live' | 'desired'> {
  /** The environment (folder under `manifests/`). */
  readonly environment: string;
  /** Path of the construct that writes the file, when the caller knows the app. */
  readonly constructPath?: string;
}

/** What {@link validateOnServer} found. */
export interface ServerReport {
  /** The validated folder (absolute). */
  readonly outdir: string;
  /** The API server as the client reached it (a caller may replace it with how the user named it) and its version, e.g. `v1.34.4`. */
  readonly server: string;
  readonly serverVersion: string;
  readonly environments: readonly string[];
  /** Objects sent to the server. */
  readonly objects: number;
  readonly accepted: number;
  /** Objects the server rejected (a sync of them would fail), by file. */
  readonly rejected: readonly ServerFinding[];
  /** Objects a dry run could not check (their namespace does not exist on the cluster). */
  readonly notChecked: readonly ServerFinding[];
  readonly durationMs: number;
}

/**
 * Sends every object of each `manifests/<env>` folder to a real API server as a server-side apply dry run
 * (`dryRun=All`, `fieldValidation=Strict`): the server's own schemas, defaulting, validating admission (webhooks and
 * policies included) judge each object, and nothing is stored. Read-only for the cluster.
 *
 * @throws DataOpsError when the folder or an environment does not exist, or the server cannot be reached
 */
export async function validateOnServer(outdir: string, api: KubeApi, options: ServerCheckOptions = {}): Promise<ServerReport> {
  const started = performance.now();
  const root = existingFolder(outdir);
  const { environments, files } = selectEnvironments(root, readDistFiles(root, MANIFESTS_DIR), options.environments, outdir);
  const serverVersion = await versionOf(api);
  const rejected: ServerFinding[] = [];
  const notChecked: ServerFinding[] = [];
  let objects = 0;
  for (const environment of environments) {
    const prefix = `${MANIFESTS_DIR}/${environment}/`;
    const outcomes = await applyFiles(api, files.filter((f) => f.path.startsWith(prefix)), { dryRun: true, fieldManager: options.fieldManager });
    objects += outcomes.length;
    for (const { file, object, outcome, message } of outcomes) {
      if (outcome === 'rejected') rejected.push({ environment, file, object, outcome, message });
      if (outcome === 'not-checked') notChecked.push({ environment, file, object, outcome, message });
    }
  }
  return {
    outdir: root, server: api.endpoint.baseUrl, serverVersion, environments, objects,
    accepted: objects - rejected.length - notChecked.length, rejected, notChecked, durationMs: performance.now() - started,
  };
}

/** `GET /version`, failing with what to check when the server cannot be reached or refuses us. */
async function versionOf(api: KubeApi): Promise<string> {
  const check = 'check the kubeconfig context (--kubeconfig, --context) and that the cluster is up';
  let answer: { status: number; body: unknown; text: string };
  try {
    answer = await api.getJson('/version');
  } catch (e) {
    if (e instanceof KubeApiUnreachableError) throw new DataOpsError(`${e.message}; ${check}`);
    throw e;
  }
  const { status, body, text } = answer;
  const version = (body as { gitVersion?: unknown } | undefined)?.gitVersion;
  if (status === 200 && typeof version === 'string') return version;
  const why = (body as { message?: unknown } | undefined)?.message;
  if (status >= 500 && (body as { kind?: unknown } | undefined)?.kind !== 'Status') {
    // not the API server's answer: a proxy in between (kubectl proxy answers 500) that cannot reach it
    throw new DataOpsError(`cannot reach the Kubernetes API (the proxy answered: ${text.trim().split('\n')[0] || `HTTP ${status}`}); ${check}`);
  }
  throw new DataOpsError(`the Kubernetes API at ${api.endpoint.baseUrl} answered HTTP ${status} to GET /version` +
    `${typeof why === 'string' ? `: ${why}` : ''}; check the kubeconfig context (--kubeconfig, --context) and its credentials`);
}
