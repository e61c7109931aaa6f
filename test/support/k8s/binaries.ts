/**
 * The real control-plane binaries the Kubernetes harness runs, built from their published Go modules by
 * `scripts/ci/ensure-k8s.sh` and cached under `<repo>/.cache/k8s/` keyed by version (never committed; `.cache/`
 * is git-ignored). `.ci/run` runs the script before `npm test`; when a binary is missing here (a developer's first
 * run) the script is run from the test, which then takes the cold build time (about 10 minutes on 2 cores).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findRepoRoot } from '../kafka/jars';
import versions from './versions.json';

/** The versions built and tested: Kubernetes (kube-apiserver) and etcd. */
export const K8S_VERSIONS: { readonly kubernetes: string; readonly etcd: string } = versions;

/** Paths of the cached binaries. */
export interface ControlPlaneBinaries {
  readonly kubeApiserver: string;
  readonly etcd: string;
  /** test/consumers/flux built: Flux's kustomize generator and server-side apply engine. */
  readonly fluxConsumer: string;
}

/** `<repo>/.cache/k8s`, or `$K8S_HARNESS_CACHE_DIR`. */
export function k8sCacheRoot(): string {
  return process.env.K8S_HARNESS_CACHE_DIR ? path.resolve(process.env.K8S_HARNESS_CACHE_DIR) : path.join(findRepoRoot(), '.cache', 'k8s');
}

/** The Go program of test/consumers/flux; its cache key is a hash of its sources, as in ensure-k8s.sh. */
export const FLUX_CONSUMER_SRC = path.join(findRepoRoot(), 'test', 'consumers', 'flux');

function fluxConsumerKey(): string {
  const files = ['go.mod', 'go.sum', ...readdirSync(FLUX_CONSUMER_SRC).filter((f) => f.endsWith('.go')).sort()];
  const hash = createHash('sha256');
  for (const f of files) hash.update(readFileSync(path.join(FLUX_CONSUMER_SRC, f)));
  return hash.digest('hex').slice(0, 16);
}

function expected(): ControlPlaneBinaries {
  const root = k8sCacheRoot();
  return {
    kubeApiserver: path.join(root, `kube-apiserver-v${K8S_VERSIONS.kubernetes}`, 'kube-apiserver'),
    etcd: path.join(root, `etcd-v${K8S_VERSIONS.etcd}`, 'etcd'),
    fluxConsumer: path.join(root, `flux-consumer-${fluxConsumerKey()}`, 'flux-consumer'),
  };
}

/** The binaries, built by `scripts/ci/ensure-k8s.sh` first when any is missing. Throws when the build fails. */
export function ensureControlPlaneBinaries(): ControlPlaneBinaries {
  const bins = expected();
  if (Object.values(bins).every((b) => existsSync(b))) return bins;
  const script = path.join(findRepoRoot(), 'scripts', 'ci', 'ensure-k8s.sh');
  const result = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 3_600_000 });
  const missing = Object.values(bins).filter((b) => !existsSync(b));
  if (result.status !== 0 || missing.length) {
    throw new Error(`Kubernetes harness: ${script} failed (exit ${result.status}); missing ${missing.join(', ')}\n${result.stdout}\n${result.stderr}`);
  }
  return bins;
}
