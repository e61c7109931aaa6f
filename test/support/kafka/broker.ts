/**
 * A REAL Apache Kafka broker for tests: the official jars (resolved with Maven into
 * `<repo>/.cache/kafka/<version>/`, see ./jars.ts), run as a child JVM in KRaft mode
 * (combined broker+controller, no ZooKeeper) on free 127.0.0.1 ports, with SASL/SCRAM-SHA-512
 * client authentication and the StandardAuthorizer (ACLs are enforced, no "allow everyone").
 *
 * Machine requirements: Java 17+ and Maven. `.ci/run` must make sure `java` and `mvn` exist,
 * e.g. `bash scripts/kafka/ensure-java.sh` (apt-get installs openjdk-17-jre-headless + maven
 * when missing). Everything the broker does stays on the loopback interface.
 *
 * Usage:
 *   const broker = await startBroker();              // newest verified 4.x
 *   const kafka = new Kafka({ brokers: [broker.bootstrap], sasl: broker.sasl });
 *   ...
 *   await broker.destroy();
 *
 * Process hygiene: the JVM is started through `setpriv --pdeathsig KILL` when available (it dies
 * with the test worker that started it, whatever kills that worker); a process 'exit' handler
 * SIGKILLs every broker still running and removes its temp dir; temp dirs of test processes that
 * were killed outright are swept by the next startBroker() (each dir records its owner pid).
 * Set KAFKA_HARNESS_KEEP=1 to keep the temp dirs (config, data, broker.log) for a post-mortem.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, openSync, rmSync, closeSync, promises as fs, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import {
  adminClientProperties,
  log4j1Properties,
  log4j2Properties,
  serverProperties,
} from './config';
import { javaExecutable, resolveKafkaJars, run, type KafkaJars } from './jars';

/**
 * Kafka versions verified to resolve (with all runtime dependencies) and to pass
 * ./broker.test.ts. `current` is the newest 4.x whose artifacts all resolve from the registry
 * (4.4.0's kafka-tools-api is not published there), `legacy` the newest 3.9.x.
 */
export const KAFKA_VERSIONS: { readonly current: string; readonly legacy: string } = {
  current: '4.3.1',
  legacy: '3.9.2',
};

export interface BrokerHandle {
  readonly version: string;
  /** '127.0.0.1:PORT' of the SASL_PLAINTEXT (SCRAM-SHA-512) listener. */
  readonly bootstrap: string;
  /** The admin super user. */
  readonly sasl: { mechanism: 'scram-sha-512'; username: string; password: string };
  /** Graceful stop: SIGTERM, wait for exit, SIGKILL after a timeout. No-op when stopped. */
  stop(): Promise<void>;
  /** Restart after stop() with the same ports and data dir. No-op when running. */
  start(): Promise<void>;
  /** stop() and remove the temp dir. */
  destroy(): Promise<void>;
  /** Creates (or updates) a SCRAM-SHA-512 user, and waits until it can authenticate. */
  createScramUser(name: string, password: string): Promise<void>;

  /** The broker's temp dir (configs, data, log). */
  readonly dir: string;
  /** The broker JVM's stdout+stderr (and the tools'). */
  readonly logFile: string;
  readonly ports: { readonly client: number; readonly controller: number };
  readonly clusterId: string;
  /** Milliseconds from spawning the JVM to readiness, for the last start. */
  readonly lastStartupMs: number;
  /** True while the broker JVM runs. */
  readonly running: boolean;
  /** The last `lines` lines of the log file. */
  logTail(lines?: number): string;
}

export interface StartBrokerOptions {
  /** Kafka version, default KAFKA_VERSIONS.current. */
  version?: string;
  /** Max time for the broker to become ready, per start (jar download not included). Default 120 s. */
  timeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------
// Process hygiene

/** Brokers not yet destroyed in this process: killed (and their dirs removed) on exit. */
const liveBrokers = new Set<{ dir: string; child(): ChildProcess | undefined }>();
let exitHookInstalled = false;
const DIR_PREFIX = 'kafka-harness-';
const OWNER_FILE = 'owner.pid';

function keepDirs(): boolean {
  return Boolean(process.env.KAFKA_HARNESS_KEEP);
}

function registerForExit(broker: { dir: string; child(): ChildProcess | undefined }): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const b of liveBrokers) {
        try {
          b.child()?.kill('SIGKILL');
        } catch {
          // already gone
        }
        if (!keepDirs()) {
          try {
            rmSync(b.dir, { recursive: true, force: true });
          } catch {
            // best effort
          }
        }
      }
    });
  }
  liveBrokers.add(broker);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes broker temp dirs left behind by test processes that were killed (their JVMs died with them). */
async function sweepStaleDirs(): Promise<void> {
  if (keepDirs()) return;
  const tmp = os.tmpdir();
  let names: string[];
  try {
    names = (await fs.readdir(tmp)).filter((n) => n.startsWith(DIR_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = path.join(tmp, name);
    try {
      const pid = Number((await fs.readFile(path.join(dir, OWNER_FILE), 'utf8')).trim());
      if (pid > 0 && pid !== process.pid && !isAlive(pid)) await fs.rm(dir, { recursive: true, force: true });
    } catch {
      // no owner file (kept on purpose, or being created): leave it
    }
  }
}

function findOnPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, bin))) return path.join(dir, bin);
  }
  return undefined;
}

/** `setpriv --pdeathsig KILL`: the JVM gets SIGKILL when the thread that spawned it dies. */
const setpriv = process.platform === 'linux' ? findOnPath('setpriv') : undefined;

// ---------------------------------------------------------------------------------------------
// Helpers

/** A free TCP port on 127.0.0.1 (bind :0, read, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

/** A KRaft cluster id: 16 random bytes, base64url without padding (like `kafka-storage random-uuid`). */
/** A KRaft cluster id. Like Kafka's Uuid.randomUuid, never one starting with '-' (the storage tool reads it as a flag). */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function tail(file: string, lines: number): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '(no log)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const JVM_COMMON = [
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
  '-Djava.net.preferIPv4Stack=true',
];

// ---------------------------------------------------------------------------------------------
// The broker

class Broker implements BrokerHandle {
  readonly sasl: { mechanism: 'scram-sha-512'; username: string; password: string };
  readonly bootstrap: string;
  readonly logFile: string;
  lastStartupMs = 0;
  private proc: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private destroyed = false;

  constructor(
    private readonly jars: KafkaJars,
    readonly dir: string,
    readonly ports: { client: number; controller: number },
    readonly clusterId: string,
    adminPassword: string,
    private readonly timeoutMs: number,
  ) {
    this.sasl = { mechanism: 'scram-sha-512', username: 'admin', password: adminPassword };
    this.bootstrap = `127.0.0.1:${ports.client}`;
    this.logFile = path.join(dir, 'broker.log');
    registerForExit(this);
  }

  get version(): string {
    return this.jars.version;
  }

  /** The running JVM, if any (used by the exit hook). */
  child(): ChildProcess | undefined {
    return this.proc;
  }

  get running(): boolean {
    return this.proc !== undefined;
  }

  logTail(lines = 80): string {
    return tail(this.logFile, lines);
  }

  private get serverProps(): string {
    return path.join(this.dir, 'server.properties');
  }

  private logConfigArgs(kind: 'broker' | 'tool'): string[] {
    const file = path.join(this.dir, `${kind}-log4j${this.jars.logging === 'log4j2' ? '2' : ''}.properties`);
    return this.jars.logging === 'log4j2'
      ? [`-Dlog4j2.configurationFile=${file}`]
      : [`-Dlog4j.configuration=file:${file}`];
  }

  /** Writes the config files; called once, before the first start. */
  async writeConfig(controllerPassword: string): Promise<void> {
    await fs.mkdir(path.join(this.dir, 'data'), { recursive: true });
    await fs.writeFile(
      this.serverProps,
      serverProperties({
        clientPort: this.ports.client,
        controllerPort: this.ports.controller,
        logDir: path.join(this.dir, 'data'),
        adminUser: this.sasl.username,
        adminPassword: this.sasl.password,
        controllerUser: 'controller',
        controllerPassword,
      }),
    );
    await fs.writeFile(path.join(this.dir, 'admin-client.properties'), adminClientProperties(this.sasl.username, this.sasl.password));
    const two = this.jars.logging === 'log4j2';
    const render = two ? log4j2Properties : log4j1Properties;
    await fs.writeFile(path.join(this.dir, `broker-log4j${two ? '2' : ''}.properties`), render('INFO'));
    await fs.writeFile(path.join(this.dir, `tool-log4j${two ? '2' : ''}.properties`), render('WARN'));
  }

  /** Runs a Kafka tool (StorageTool, ConfigCommand) to completion; output appended to the log. */
  private async runTool(mainClass: string, args: string[], what: string): Promise<string> {
    const javaArgs = ['-Xmx256m', ...JVM_COMMON, ...this.logConfigArgs('tool'), '-cp', this.jars.classpath, mainClass, ...args];
    const started = Date.now();
    const res = await run(javaExecutable(), javaArgs, { cwd: this.dir, timeoutMs: 120_000 });
    await fs.appendFile(this.logFile, `\n===== ${what} (${mainClass}, exit ${res.code}, ${Date.now() - started} ms)\n${res.output}\n`);
    if (res.code !== 0) {
      throw new Error(`Kafka test harness (Kafka ${this.version}): ${what} failed (exit ${res.code}):\n${res.output.split('\n').slice(-40).join('\n')}`);
    }
    return res.output;
  }

  /** `kafka-storage format` with the cluster id and the admin SCRAM credential. */
  async format(): Promise<void> {
    await this.runTool(
      this.jars.storageToolClass,
      [
        'format',
        '--cluster-id',
        this.clusterId,
        '--config',
        this.serverProps,
        '--add-scram',
        `SCRAM-SHA-512=[name=${this.sasl.username},password=${this.sasl.password}]`,
      ],
      'storage format',
    );
  }

  async start(): Promise<void> {
    if (this.destroyed) throw new Error('Kafka test harness: broker was destroyed');
    if (this.proc) return;
    const started = Date.now();
    appendFileSync(this.logFile, `\n===== harness: starting Kafka ${this.version} broker on ${this.bootstrap} (${new Date(started).toISOString()})\n`);
    const out = openSync(this.logFile, 'a');
    const javaArgs = [
      '-Xmx512m',
      '-Xms128m',
      ...JVM_COMMON,
      ...this.logConfigArgs('broker'),
      `-Dkafka.logs.dir=${this.dir}`,
      '-cp',
      this.jars.classpath,
      'kafka.Kafka',
      this.serverProps,
    ];
    const [cmd, args] = setpriv
      ? [setpriv, ['--pdeathsig', 'KILL', javaExecutable(), ...javaArgs]]
      : [javaExecutable(), javaArgs];
    let child: ChildProcess;
    try {
      child = spawn(cmd, args, { cwd: this.dir, stdio: ['ignore', out, out] });
    } finally {
      closeSync(out);
    }
    this.proc = child;
    let exitInfo: string | undefined;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exitInfo = `exit code ${code}, signal ${signal}`;
        try {
          appendFileSync(this.logFile, `\n===== harness: broker JVM exited (${exitInfo})\n`);
        } catch {
          // dir already removed
        }
        if (this.proc === child) this.proc = undefined;
        resolve();
      });
      child.once('error', (err) => {
        exitInfo = `spawn error: ${err.message}`;
        if (this.proc === child) this.proc = undefined;
        resolve();
      });
    });

    const deadline = started + this.timeoutMs;
    let lastError = 'not tried';
    while (Date.now() < deadline) {
      if (exitInfo) {
        throw new Error(
          `Kafka test harness: Kafka ${this.version} broker exited during startup (${exitInfo}). Log ${this.logFile}, tail:\n${this.logTail()}`,
        );
      }
      try {
        await this.probe(this.sasl.username, this.sasl.password, true);
        this.lastStartupMs = Date.now() - started;
        await fs.appendFile(this.logFile, `\n===== harness: broker ready after ${this.lastStartupMs} ms\n`);
        return;
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
      }
      await sleep(300);
    }
    const tailText = this.logTail();
    await this.kill();
    throw new Error(
      `Kafka test harness: Kafka ${this.version} broker not ready after ${this.timeoutMs} ms ` +
        `(last error: ${lastError}). Log ${this.logFile}, tail:\n${tailText}`,
    );
  }

  /** Connects as `user`; with `describe`, also runs describeCluster(). Throws on failure. */
  private async probe(user: string, password: string, describe: boolean): Promise<void> {
    const kafka = new Kafka({
      clientId: 'kafka-harness-probe',
      brokers: [this.bootstrap],
      sasl: { mechanism: 'scram-sha-512', username: user, password },
      connectionTimeout: 2_000,
      authenticationTimeout: 5_000,
      requestTimeout: 5_000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      if (describe) {
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length === 0) throw new Error('describeCluster: no brokers yet');
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async kill(): Promise<void> {
    const child = this.proc;
    if (!child) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  async stop(timeoutMs = 30_000): Promise<void> {
    const child = this.proc;
    if (!child) return;
    child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout') {
      await fs.appendFile(this.logFile, `\n===== harness: no exit ${timeoutMs} ms after SIGTERM, SIGKILL\n`).catch(() => undefined);
      await this.kill();
    }
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    await this.stop();
    this.destroyed = true;
    liveBrokers.delete(this);
    if (!keepDirs()) {
      await fs.rm(this.dir, { recursive: true, force: true });
    }
  }

  async createScramUser(name: string, password: string): Promise<void> {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`Kafka test harness: unsupported user name '${name}'`);
    // ConfigCommand parses `[k=v,k=v]`; keep passwords to characters it cannot misread.
    if (!/^[A-Za-z0-9._~+-]+$/.test(password)) throw new Error('Kafka test harness: password must match [A-Za-z0-9._~+-]+');
    if (!this.proc) throw new Error('Kafka test harness: broker is not running');
    await this.runTool(
      this.jars.configCommandClass,
      [
        '--bootstrap-server',
        this.bootstrap,
        '--command-config',
        path.join(this.dir, 'admin-client.properties'),
        '--alter',
        '--entity-type',
        'users',
        '--entity-name',
        name,
        '--add-config',
        `SCRAM-SHA-512=[iterations=4096,password=${password}]`,
      ],
      `create SCRAM user ${name}`,
    );
    // The credential reaches the broker through the metadata log: wait until it authenticates.
    const deadline = Date.now() + 30_000;
    let lastError = '';
    while (Date.now() < deadline) {
      try {
        await this.probe(name, password, false);
        return;
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
      }
      await sleep(200);
    }
    throw new Error(`Kafka test harness: SCRAM user ${name} cannot authenticate after creation: ${lastError}`);
  }
}

/**
 * Starts a real Kafka broker (KRaft, SASL/SCRAM-SHA-512, ACLs enforced) on free loopback ports.
 * Resolves the jars with Maven on first use of a version (cached in `<repo>/.cache/kafka`).
 * Throws, with the tail of the broker log, if the broker cannot start.
 */
export async function startBroker(opts: StartBrokerOptions = {}): Promise<BrokerHandle> {
  const version = opts.version ?? KAFKA_VERSIONS.current;
  const jars = await resolveKafkaJars(version);
  await sweepStaleDirs();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `${DIR_PREFIX}${version}-`));
  await fs.writeFile(path.join(dir, OWNER_FILE), `${process.pid}\n`);
  const client = await freePort();
  let controller = await freePort();
  while (controller === client) controller = await freePort();
  const broker = new Broker(
    jars,
    dir,
    { client, controller },
    newClusterId(),
    randomBytes(12).toString('hex'),
    opts.timeoutMs ?? 120_000,
  );
  try {
    await broker.writeConfig(randomBytes(12).toString('hex'));
    await broker.format();
    await broker.start();
  } catch (err) {
    // Keep the dir for post-mortem only when asked; the error carries the log tail.
    await broker.destroy().catch(() => undefined);
    throw err;
  }
  return broker;
}
