/**
 * A REAL Kafka Connect worker for tests: Apache Kafka's own Connect runtime (`connect-runtime`, `connect-file`,
 * `connect-transforms`, `connect-json` and their runtime dependencies, resolved with Maven into
 * `<repo>/.cache/kafka/connect-<version>/libs` the way ./jars.ts resolves the broker, same Maven cache), run as a
 * child JVM in standalone mode (`ConnectStandalone`) against the test broker (./broker.ts), REST listener on a free
 * 127.0.0.1 port.
 *
 * Usage:
 *   const worker = await startConnectStandalone({ broker, connector: { name: 'sink', 'connector.class': ..., ... } });
 *   ... wait for its output ...
 *   await worker.stop();
 *
 * Process hygiene as the broker's: the JVM runs under `setpriv --pdeathsig KILL` when available (it dies with the
 * test worker), a process 'exit' handler SIGKILLs workers still running and removes their temp dirs, and every
 * wait is bounded (startup: `timeoutMs`, default 60 s; stop: 10 s, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync, rmSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrokerHandle } from './broker';
import { freePort } from './broker';
import { log4j1Properties } from './config';
import { COMPLETE_MARKER, javaExecutable, kafkaCacheRoot, listJars, mvnCopyDependencies, pom, resolveOnce } from './jars';

/** The Connect runtime's jars. */
export interface ConnectJars {
  readonly version: string;
  readonly classpath: string;
}

const inFlight = new Map<string, Promise<ConnectJars>>();

/**
 * Resolves Apache Kafka's Connect runtime `version` (connect-runtime, connect-file, connect-transforms, connect-json
 * and their runtime dependencies) plus an SLF4J 1.7 binding (slf4j-reload4j, so the worker logs), with Maven into the
 * cache; a complete cache (marker written last, folder renamed into place) is reused without Maven.
 */
export function resolveConnectJars(version: string): Promise<ConnectJars> {
  if (!/^\d+\.\d+\.\d+$/.test(version)) return Promise.reject(new Error(`Connect test harness: bad Kafka version '${version}'`));
  return resolveOnce(inFlight, version, () => doResolve(version));
}

async function readCache(dir: string, version: string): Promise<ConnectJars | undefined> {
  if (!existsSync(path.join(dir, COMPLETE_MARKER))) return undefined;
  const jars = await listJars(path.join(dir, 'libs'));
  return { version, classpath: jars.join(path.delimiter) };
}

async function doResolve(version: string): Promise<ConnectJars> {
  const root = kafkaCacheRoot();
  const dir = path.join(root, `connect-${version}`);
  const cached = await readCache(dir, version);
  if (cached) return cached;
  await fs.mkdir(root, { recursive: true });
  const tmp = await fs.mkdtemp(path.join(root, `.connect-${version}.tmp-`));
  try {
    await fs.chmod(tmp, 0o755);
    const libDir = path.join(tmp, 'libs');
    await fs.mkdir(libDir, { recursive: true });
    const log: string[] = [];
    const kafka = (a: string) => ({ g: 'org.apache.kafka', a, v: version });
    await fs.writeFile(path.join(tmp, 'pom-connect.xml'), pom([kafka('connect-runtime'), kafka('connect-file'), kafka('connect-transforms'), kafka('connect-json')]));
    await mvnCopyDependencies(tmp, 'pom-connect.xml', libDir, [], log);
    const jars = await listJars(libDir);
    const slf4j = jars.map((j) => /slf4j-api-(1\.[\d.]+)\.jar$/.exec(j)?.[1]).find(Boolean);
    if (slf4j) {
      await fs.writeFile(path.join(tmp, 'pom-logging.xml'), pom([{ g: 'org.slf4j', a: 'slf4j-reload4j', v: slf4j }, { g: 'ch.qos.reload4j', a: 'reload4j', v: '1.2.25' }]));
      await mvnCopyDependencies(tmp, 'pom-logging.xml', libDir, ['-DexcludeTransitive=true'], log);
    }
    await fs.writeFile(path.join(tmp, 'maven-commands.txt'), `${log.join('\n')}\n`);
    await fs.writeFile(path.join(tmp, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
    if (existsSync(dir) && !existsSync(path.join(dir, COMPLETE_MARKER))) await fs.rm(dir, { recursive: true, force: true });
    try {
      await fs.rename(tmp, dir);
    } catch (err) {
      if (!(await readCache(dir, version))) throw err;
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  const done = await readCache(dir, version);
  if (!done) throw new Error(`Connect test harness: cache ${dir} is incomplete after resolving`);
  return done;
}

export interface StartConnectOptions {
  /** The broker the worker and its connector use (as its admin super user). */
  readonly broker: BrokerHandle;
  /** The connector's configuration (`name`, `connector.class`, `tasks.max`, `topics`, transforms, ...). */
  readonly connector: Readonly<Record<string, string>>;
  /** Extra worker properties. @default - JSON converters without schemas */
  readonly worker?: Readonly<Record<string, string>>;
  /** Bound on the startup (the REST listener answering). @default 60000 */
  readonly timeoutMs?: number;
}

export interface ConnectWorker {
  /** The worker's temp dir (configs, offsets, log). */
  readonly dir: string;
  /** The worker JVM's output. */
  readonly logFile: string;
  /** `http://127.0.0.1:<port>` of the REST API. */
  readonly restUrl: string;
  /** Milliseconds from spawning the JVM to the connector's task RUNNING. */
  readonly startupMs: number;
  /** The last lines of the log. */
  logTail(lines?: number): string;
  /** SIGTERM, wait up to 10 s, SIGKILL; removes the temp dir (unless CONNECT_HARNESS_KEEP=1). */
  stop(): Promise<void>;
}

const live = new Set<{ child: ChildProcess; dir: string }>();
let exitHook = false;
const keep = () => process.env.CONNECT_HARNESS_KEEP === '1';

function properties(values: Readonly<Record<string, string>>): string {
  // Java properties: escape backslashes and the characters that end a key.
  const esc = (s: string, key: boolean) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(key ? /([=: #!])/g : /^([ #!])/g, '\\$1');
  return `${Object.entries(values).map(([k, v]) => `${esc(k, true)}=${esc(v, false)}`).join('\n')}\n`;
}

function setprivPath(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  return (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'setpriv')).find((p) => existsSync(p));
}

/** Starts a standalone Connect worker running one connector; resolves once the connector's task is RUNNING. */
export async function startConnectStandalone(options: StartConnectOptions): Promise<ConnectWorker> {
  const jars = await resolveConnectJars(options.broker.version);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataops-connect-'));
  const port = await freePort();
  const { username, password } = options.broker.sasl;
  const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${username}" password="${password}";`;
  const client = { 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'SCRAM-SHA-512', 'sasl.jaas.config': jaas };
  const worker: Record<string, string> = {
    'bootstrap.servers': options.broker.bootstrap,
    ...client,
    ...Object.fromEntries(Object.entries(client).flatMap(([k, v]) => [[`consumer.${k}`, v], [`producer.${k}`, v], [`admin.${k}`, v]])),
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
    'offset.storage.file.filename': path.join(dir, 'connect.offsets'),
    'offset.flush.interval.ms': '1000',
    'listeners': `http://127.0.0.1:${port}`,
    'rest.advertised.host.name': '127.0.0.1',
    'plugin.discovery': 'only_scan',
    ...options.worker,
  };
  await fs.writeFile(path.join(dir, 'worker.properties'), properties(worker));
  await fs.writeFile(path.join(dir, 'connector.properties'), properties(options.connector));
  await fs.writeFile(path.join(dir, 'log4j.properties'), log4j1Properties('INFO'));
  const logFile = path.join(dir, 'connect.log');
  const out = openSync(logFile, 'a');
  const javaArgs = ['-Xmx384m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.net.preferIPv4Stack=true', `-Dlog4j.configuration=file:${path.join(dir, 'log4j.properties')}`,
    '-cp', jars.classpath, 'org.apache.kafka.connect.cli.ConnectStandalone', path.join(dir, 'worker.properties'), path.join(dir, 'connector.properties')];
  const setpriv = setprivPath();
  const started = Date.now();
  const child = setpriv
    ? spawn(setpriv, ['--pdeathsig', 'KILL', javaExecutable(), ...javaArgs], { cwd: dir, stdio: ['ignore', out, out] })
    : spawn(javaExecutable(), javaArgs, { cwd: dir, stdio: ['ignore', out, out] });
  const entry = { child, dir };
  live.add(entry);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const w of live) {
        try { w.child.kill('SIGKILL'); } catch { /* gone */ }
        if (!keep()) rmSync(w.dir, { recursive: true, force: true });
      }
    });
  }
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let dead = false;
  void exited.then(() => { dead = true; });
  const logTail = (lines = 60) => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)');
  const stop = async () => {
    if (!dead) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    live.delete(entry);
    if (!keep()) await fs.rm(dir, { recursive: true, force: true });
  };
  const restUrl = `http://127.0.0.1:${port}`;
  const deadline = started + (options.timeoutMs ?? 60_000);
  const name = options.connector.name;
  for (;;) {
    if (dead) {
      const tailText = logTail();
      await stop();
      throw new Error(`Connect test harness: the worker exited during startup:\n${tailText}`);
    }
    try {
      const res = await fetch(`${restUrl}/connectors/${encodeURIComponent(name)}/status`);
      if (res.ok) {
        const status = await res.json() as { connector: { state: string }; tasks: Array<{ state: string; trace?: string }> };
        if (status.tasks.some((t) => t.state === 'FAILED') || status.connector.state === 'FAILED') {
          const trace = status.tasks.map((t) => t.trace).filter(Boolean).join('\n');
          await stop();
          throw new Error(`Connect test harness: connector ${name} failed:\n${trace}`);
        }
        if (status.connector.state === 'RUNNING' && status.tasks.length > 0 && status.tasks.every((t) => t.state === 'RUNNING')) break;
      }
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('Connect test harness')) throw err;
      // not listening yet
    }
    if (Date.now() > deadline) {
      const tailText = logTail();
      await stop();
      throw new Error(`Connect test harness: connector ${name} not RUNNING after ${options.timeoutMs ?? 60_000} ms:\n${tailText}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { dir, logFile, restUrl, startupMs: Date.now() - started, logTail, stop };
}
