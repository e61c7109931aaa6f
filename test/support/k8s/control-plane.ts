/**
 * A REAL Kubernetes control plane for tests: etcd and kube-apiserver (built from their Go modules, see
 * ./binaries.ts), each a child process on free 127.0.0.1 ports, with what a cluster's API server normally has:
 * TLS from a throwaway CA (openssl), a static bearer token for a `system:masters` user, RBAC authorization,
 * service-account signing keys, and the default admission plugins (NamespaceLifecycle rejects objects in a
 * namespace that does not exist, as a real cluster does). No controller-manager, scheduler or kubelet: objects are
 * stored and validated, nothing runs them. `--endpoint-reconciler-type=none` because nothing serves the
 * `kubernetes` Service.
 *
 * Usage:
 *   const cp = await startControlPlane();             // CRDs of schemas/crds installed and Established
 *   const api = cp.api;                               // lib/schema/server KubeApi, authenticated
 *   spawn('kubectl', ['--kubeconfig', cp.kubeconfig, ...]);
 *   await cp.stop();
 *
 * Process hygiene, as the Kafka harness: both servers run under `setpriv --pdeathsig KILL` when available (they die
 * with the test worker that started them, whatever kills it); a process 'exit' handler kills what is still running
 * and removes the temp dir; temp dirs of killed test processes are swept by the next start (each records its owner
 * pid). K8S_HARNESS_KEEP=1 keeps the temp dir (logs, certificates, kubeconfig) for a post-mortem.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, promises as fs, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ApiObject, KubeApi } from '../../../lib/schema/server/kube-api';
import { freePort } from '../kafka/broker';
import { findRepoRoot } from '../kafka/jars';
import { ensureControlPlaneBinaries, K8S_VERSIONS } from './binaries';

/** A running control plane. */
export interface ControlPlane {
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  /** A kubeconfig file (context `harness`) for kubectl and other clients. */
  readonly kubeconfig: string;
  /** An authenticated client. */
  readonly api: KubeApi;
  /** The temp dir (certificates, data, logs). */
  readonly dir: string;
  /** Milliseconds from spawning etcd to a ready API server with the CRDs Established. */
  readonly startupMs: number;
  /** Process ids of etcd and kube-apiserver (of `setpriv` when it wraps them: it execs the server, same pid). */
  readonly pids: readonly number[];
  /** The last lines of kube-apiserver's log. */
  logTail(lines?: number): string;
  /** Stops both servers and removes the temp dir. */
  stop(): Promise<void>;
}

/** Options of {@link startControlPlane}. */
export interface StartControlPlaneOptions {
  /** Install the CRDs of these folders (recursively) and wait until they are Established. @default [schemas/crds] */
  readonly crdDirs?: readonly string[];
  /**
   * Install only the CRDs of these kinds (`group/Kind`, e.g. `kafka.strimzi.io/KafkaTopic`): a large CRD costs the
   * server seconds of OpenAPI work, so a test that applies a few kinds starts faster. @default - every CRD of `crdDirs`
   */
  readonly onlyKinds?: Iterable<string>;
  /** Give up when not ready after this long. @default 180000 */
  readonly timeoutMs?: number;
}

/** The CRDs shipped with the package (vendored upstream copies). */
export const BUNDLED_CRDS = path.join(findRepoRoot(), 'schemas', 'crds');

const DIR_PREFIX = 'k8s-harness-';
const OWNER_FILE = 'owner.pid';
const live = new Set<{ dir: string; children: ChildProcess[] }>();
let exitHook = false;

const setpriv = process.platform === 'linux' && spawnSync('setpriv', ['--version']).status === 0 ? 'setpriv' : undefined;

/** Starts etcd and kube-apiserver, installs the CRDs and waits until they are served. */
export async function startControlPlane(options: StartControlPlaneOptions = {}): Promise<ControlPlane> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 180_000;
  const bins = ensureControlPlaneBinaries();
  await sweepStaleDirs();
  const dir = mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
  writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
  const state = { dir, children: [] as ChildProcess[] };
  registerForExit(state);

  const stop = async () => {
    for (const child of state.children) await terminate(child);
    live.delete(state);
    if (!process.env.K8S_HARNESS_KEEP) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const pki = makePki(dir);
    const token = randomBytes(24).toString('hex');
    writeFileSync(path.join(dir, 'tokens.csv'), `${token},harness-admin,harness-admin,"system:masters"\n`);

    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    state.children.push(launch(bins.etcd, [
      '--name=harness', `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`, `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=harness=http://127.0.0.1:${etcdPeer}`,
      '--unsafe-no-fsync', '--log-level=warn', '--listen-metrics-urls=',
    ], path.join(dir, 'etcd.log')));

    state.children.push(launch(bins.kubeApiserver, [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
      `--tls-cert-file=${pki.serverCert}`, `--tls-private-key-file=${pki.serverKey}`, `--client-ca-file=${pki.caCert}`,
      `--token-auth-file=${path.join(dir, 'tokens.csv')}`, '--authorization-mode=RBAC',
      `--service-account-issuer=https://kubernetes.default.svc`, `--service-account-key-file=${pki.saPub}`,
      `--service-account-signing-key-file=${pki.saKey}`, '--service-cluster-ip-range=10.96.0.0/16',
      '--endpoint-reconciler-type=none', '--enable-priority-and-fairness=false', '--profiling=false',
      '--storage-backend=etcd3', '--v=0',
    ], path.join(dir, 'kube-apiserver.log')));

    const server = `https://127.0.0.1:${apiPort}`;
    const ca = readFileSync(pki.caCert, 'utf8');
    const api = new KubeApi({ baseUrl: server, token, ca });
    const kubeconfig = path.join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml(server, pki.caCert, token));

    await until(timeoutMs, 'kube-apiserver /readyz', state, async () => (await api.getJson('/readyz')).status === 200);
    await installCrds(api, options.crdDirs ?? [BUNDLED_CRDS], options.onlyKinds ? new Set(options.onlyKinds) : undefined, timeoutMs, state);
    const startupMs = Date.now() - started;
    return {
      server, kubeconfig, api, dir, startupMs, stop, pids: state.children.map((c) => c.pid!),
      logTail: (lines = 40) => tail(path.join(dir, 'kube-apiserver.log'), lines),
    };
  } catch (e) {
    const log = tail(path.join(dir, 'kube-apiserver.log'), 30);
    await stop();
    throw new Error(`Kubernetes harness (kube-apiserver v${K8S_VERSIONS.kubernetes}, etcd v${K8S_VERSIONS.etcd}) did not start: ${(e as Error).message}\n${log}`);
  }
}

/** Server-side applies every CRD in the folders and waits until each is Established and served. */
async function installCrds(api: KubeApi, dirs: readonly string[], only: ReadonlySet<string> | undefined, timeoutMs: number, state: { children: ChildProcess[] }): Promise<void> {
  const crds: ApiObject[] = [];
  for (const dir of dirs) {
    for (const file of yamlFiles(dir)) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const obj = doc.toJS() as ApiObject | null;
        const spec = (obj as { spec?: { group?: string; names?: { kind?: string } } } | null)?.spec;
        if (obj?.kind === 'CustomResourceDefinition' && (!only || only.has(`${spec?.group}/${spec?.names?.kind}`))) crds.push(obj);
      }
    }
  }
  const results = await Promise.all(crds.map((crd) => api.apply(crd, { fieldManager: 'k8s-harness' })));
  const rejected = results.map((r, i) => (r.ok ? undefined : `${crds[i].metadata.name}: ${r.message}`)).filter(Boolean);
  if (rejected.length) throw new Error(`CRDs rejected: ${rejected.join('; ')}`);
  await until(timeoutMs, 'CRDs Established', state, async () => {
    for (const crd of crds) {
      const live = await api.get(crd) as { status?: { conditions?: Array<{ type: string; status: string }> } } | undefined;
      if (!live?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return false;
    }
    return true;
  });
  // Established is set before discovery serves the new group/versions: wait for each served version.
  await until(timeoutMs, 'CRD kinds served', state, async () => {
    for (const crd of crds) {
      const spec = (crd as any).spec as { group: string; versions: Array<{ name: string; served: boolean }> };
      for (const v of spec.versions.filter((x) => x.served)) {
        if ((await api.getJson(`/apis/${spec.group}/${v.name}`)).status !== 200) return false;
      }
    }
    return true;
  });
  api.refresh();
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(e.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

interface Pki {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly saKey: string;
  readonly saPub: string;
}

/** A throwaway CA, a serving certificate for 127.0.0.1/localhost, and an EC service-account signing key pair. */
function makePki(dir: string): Pki {
  const p = (f: string) => path.join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '2', '-subj', '/CN=k8s-harness-ca']);
  openssl(['req', ...ec, '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=kube-apiserver']);
  writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial',
    '-out', p('server.crt'), '-days', '2', '-extfile', p('server.ext')]);
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p('sa.key')]);
  openssl(['ec', '-in', p('sa.key'), '-pubout', '-out', p('sa.pub')]);
  return { caCert: p('ca.crt'), serverCert: p('server.crt'), serverKey: p('server.key'), saKey: p('sa.key'), saPub: p('sa.pub') };
}

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`openssl is required by the Kubernetes harness: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

function kubeconfigYaml(server: string, caFile: string, token: string): string {
  return [
    'apiVersion: v1', 'kind: Config', 'current-context: harness',
    'clusters:', '- name: harness', '  cluster:', `    server: ${server}`, `    certificate-authority: ${caFile}`,
    'users:', '- name: harness-admin', '  user:', `    token: ${token}`,
    'contexts:', '- name: harness', '  context:', '    cluster: harness', '    user: harness-admin', '',
  ].join('\n');
}

function launch(bin: string, args: string[], logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  const [cmd, argv] = setpriv ? [setpriv, ['--pdeathsig', 'KILL', bin, ...args]] : [bin, args];
  const child = spawn(cmd, argv, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.on('error', () => undefined);
  return child;
}

async function until(timeoutMs: number, what: string, state: { children: ChildProcess[] }, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = state.children.find((c) => c.exitCode !== null || c.signalCode !== null);
    if (dead) throw new Error(`${path.basename(String(dead.spawnargs.find((a) => a.includes('/')) ?? dead.spawnfile))} exited (${dead.exitCode ?? dead.signalCode}) while waiting for ${what}`);
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

function registerForExit(state: { dir: string; children: ChildProcess[] }): void {
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const s of live) {
        for (const c of s.children) {
          try {
            c.kill('SIGKILL');
          } catch {
            // gone
          }
        }
        if (!process.env.K8S_HARNESS_KEEP) rmSync(s.dir, { recursive: true, force: true });
      }
    });
  }
  live.add(state);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp dirs of test processes that were killed (their servers died with them). */
async function sweepStaleDirs(): Promise<void> {
  if (process.env.K8S_HARNESS_KEEP) return;
  for (const name of (await fs.readdir(os.tmpdir())).filter((n) => n.startsWith(DIR_PREFIX))) {
    const dir = path.join(os.tmpdir(), name);
    try {
      const pid = Number(readFileSync(path.join(dir, OWNER_FILE), 'utf8').trim());
      if (pid > 0 && pid !== process.pid && !isAlive(pid)) await fs.rm(dir, { recursive: true, force: true });
    } catch {
      // no owner file yet
    }
  }
}
