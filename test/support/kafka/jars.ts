/**
 * Resolves the jars of a real Apache Kafka broker (`org.apache.kafka:kafka_2.13:<version>`
 * and its runtime dependencies, plus the logging binding the broker needs to log) with Maven,
 * into `<repo>/.cache/kafka/<version>/libs`.
 *
 * Requirements on the machine: `java` (17+) and `mvn` on the PATH (or JAVA_HOME / MAVEN_HOME).
 * `.ci/run` must make sure both exist, e.g. by running `scripts/kafka/ensure-java.sh`, which
 * apt-get installs `openjdk-17-jre-headless maven` when either is missing.
 *
 * Maven talks only to the registry configured for it on the machine (by artifact coordinates);
 * nothing here names a host.
 *
 * The cache of one version is complete when `<repo>/.cache/kafka/<version>/.complete` exists.
 * It is written last, inside a temporary folder that is then renamed into place, so concurrent
 * test workers never see (or use) a half-filled cache.
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Name of the marker file that marks a version's cache as complete. */
export const COMPLETE_MARKER = '.complete';

/** Version of maven-dependency-plugin used (fully qualified so the Maven default does not matter). */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1';

export interface KafkaJars {
  readonly version: string;
  /** Folder holding every jar. */
  readonly libDir: string;
  /** Absolute jar paths, sorted. */
  readonly jars: readonly string[];
  /** `jars` joined with the platform path separator, for `java -cp`. */
  readonly classpath: string;
  /** Main class of the KRaft storage tool (`format`). */
  readonly storageToolClass: string;
  /** Main class of the `kafka-configs` tool. */
  readonly configCommandClass: string;
  /** 'log4j2' for Kafka 4.x, 'log4j1' (reload4j) for Kafka 3.x. */
  readonly logging: 'log4j2' | 'log4j1';
}

interface CacheManifest {
  version: string;
  storageToolClass: string;
  configCommandClass: string;
  logging: 'log4j2' | 'log4j1';
  mavenCommands: string[];
}

/** Where the repository root is: the nearest folder upwards holding a package.json. */
export function findRepoRoot(): string {
  const starts: string[] = [];
  // `__dirname` exists under CommonJS and under vitest; guard for a pure-ESM loader.
  if (typeof __dirname === 'string') starts.push(__dirname);
  starts.push(process.cwd());
  for (const start of starts) {
    let dir = path.resolve(start);
    for (;;) {
      if (existsSync(path.join(dir, 'package.json'))) return dir;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return process.cwd();
}

/** `<repo>/.cache/kafka`, or `$KAFKA_HARNESS_CACHE_DIR` when set. */
export function kafkaCacheRoot(): string {
  const override = process.env.KAFKA_HARNESS_CACHE_DIR;
  if (override) return path.resolve(override);
  return path.join(findRepoRoot(), '.cache', 'kafka');
}

/** The `java` executable: `$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` from the PATH. */
export function javaExecutable(): string {
  const home = process.env.JAVA_HOME;
  if (home && existsSync(path.join(home, 'bin', 'java'))) return path.join(home, 'bin', 'java');
  return 'java';
}

function mavenExecutable(): string {
  const home = process.env.MAVEN_HOME;
  if (home && existsSync(path.join(home, 'bin', 'mvn'))) return path.join(home, 'bin', 'mvn');
  return 'mvn';
}

interface RunResult {
  code: number | null;
  output: string;
}

/** Runs a command, collecting stdout+stderr; never throws on a non-zero exit. */
export function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs) {
      timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
      timer.unref();
    }
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      if (err.code === 'ENOENT') {
        reject(
          new Error(
            `Kafka test harness: '${cmd}' was not found on the PATH. ` +
              'Install Java 17+ and Maven first (run scripts/kafka/ensure-java.sh; .ci/run must do so).',
          ),
        );
      } else {
        reject(err);
      }
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

export function pom(deps: Array<{ g: string; a: string; v: string }>): string {
  const body = deps
    .map(
      (d) =>
        `    <dependency><groupId>${d.g}</groupId><artifactId>${d.a}</artifactId><version>${d.v}</version></dependency>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>cdk8s-dataops.test</groupId>
  <artifactId>kafka-harness-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${body}
  </dependencies>
</project>
`;
}

/** True when the jar's central directory names `entry` (file names are stored uncompressed). */
function jarHasEntry(jar: string, entry: string): boolean {
  return readFileSync(jar).includes(Buffer.from(entry, 'latin1'));
}

function findClass(jars: string[], candidates: string[]): string | undefined {
  for (const cls of candidates) {
    const entry = `${cls.replace(/\./g, '/')}.class`;
    if (jars.some((j) => jarHasEntry(j, entry))) return cls;
  }
  return undefined;
}

export async function listJars(libDir: string): Promise<string[]> {
  return (await fs.readdir(libDir))
    .filter((f) => f.endsWith('.jar'))
    .sort()
    .map((f) => path.join(libDir, f));
}

function versionOfJar(jars: string[], artifact: string): string | undefined {
  const re = new RegExp(`^${artifact.replace(/[.-]/g, (m) => `\\${m}`)}-(\\d[^/]*)\\.jar$`);
  for (const j of jars) {
    const m = re.exec(path.basename(j));
    if (m) return m[1];
  }
  return undefined;
}

export async function mvnCopyDependencies(
  workDir: string,
  pomName: string,
  libDir: string,
  extra: string[],
  log: string[],
): Promise<void> {
  const args = [
    '-B',
    '-q',
    '-Dstyle.color=never',
    '-f',
    path.join(workDir, pomName),
    `${DEPENDENCY_PLUGIN}:copy-dependencies`,
    `-DoutputDirectory=${libDir}`,
    '-DincludeScope=runtime',
    ...extra,
  ];
  log.push(`mvn ${args.map((a) => a.replace(workDir, '<tmp>')).join(' ')}`);
  const res = await run(mavenExecutable(), args, { cwd: workDir, timeoutMs: 10 * 60_000 });
  if (res.code !== 0) {
    throw new Error(
      `Kafka test harness: Maven could not resolve the Kafka jars (exit ${res.code}) with:\n  ${log[log.length - 1]}\n` +
        res.output.split('\n').slice(-40).join('\n'),
    );
  }
}

async function resolveInto(version: string, workDir: string): Promise<CacheManifest> {
  const libDir = path.join(workDir, 'libs');
  await fs.mkdir(libDir, { recursive: true });
  const mavenCommands: string[] = [];

  // 1. The broker (kafka_2.13 = the `kafka.Kafka` server, StorageTool, ...) and its runtime deps.
  //    `kafka-configs` (ConfigCommand) lives in core up to 4.3 (kafka.admin.ConfigCommand); newer
  //    releases may move it to kafka-tools (org.apache.kafka.tools.ConfigCommand): then resolve
  //    again with kafka-tools added, into a clean folder, so Maven mediates one version per jar.
  const configCandidates = ['kafka.admin.ConfigCommand', 'org.apache.kafka.tools.ConfigCommand'];
  const core = { g: 'org.apache.kafka', a: 'kafka_2.13', v: version };
  await fs.writeFile(path.join(workDir, 'pom-kafka.xml'), pom([core]));
  await mvnCopyDependencies(workDir, 'pom-kafka.xml', libDir, [], mavenCommands);
  let jars = await listJars(libDir);
  if (!findClass(jars, configCandidates)) {
    await fs.rm(libDir, { recursive: true, force: true });
    await fs.writeFile(
      path.join(workDir, 'pom-kafka.xml'),
      pom([core, { g: 'org.apache.kafka', a: 'kafka-tools', v: version }]),
    );
    await mvnCopyDependencies(workDir, 'pom-kafka.xml', libDir, [], mavenCommands);
    jars = await listJars(libDir);
  }

  // 2. A logging binding: kafka_2.13 depends on slf4j-api only (plus log4j-core in 4.x). The
  //    binding matches what the Kafka distribution ships: log4j-slf4j-impl (log4j2) for 4.x,
  //    slf4j-reload4j + reload4j (log4j 1 API) for 3.x. Copied without transitive deps so the
  //    versions already resolved for Kafka stay the only ones.
  const slf4j = versionOfJar(jars, 'slf4j-api');
  if (!slf4j) throw new Error(`Kafka test harness: no slf4j-api among the jars of Kafka ${version}`);
  const log4jApi = versionOfJar(jars, 'log4j-api');
  const logging: 'log4j2' | 'log4j1' = log4jApi ? 'log4j2' : 'log4j1';
  const bindings: Array<{ g: string; a: string; v: string }> = [];
  if (log4jApi) {
    const impl = slf4j.startsWith('1.') ? 'log4j-slf4j-impl' : 'log4j-slf4j2-impl';
    bindings.push({ g: 'org.apache.logging.log4j', a: impl, v: log4jApi });
    if (!versionOfJar(jars, 'log4j-core')) bindings.push({ g: 'org.apache.logging.log4j', a: 'log4j-core', v: log4jApi });
  } else {
    if (!versionOfJar(jars, 'slf4j-reload4j')) bindings.push({ g: 'org.slf4j', a: 'slf4j-reload4j', v: slf4j });
    if (!versionOfJar(jars, 'reload4j')) bindings.push({ g: 'ch.qos.reload4j', a: 'reload4j', v: '1.2.25' });
  }
  if (bindings.length > 0) {
    await fs.writeFile(path.join(workDir, 'pom-logging.xml'), pom(bindings));
    await mvnCopyDependencies(workDir, 'pom-logging.xml', libDir, ['-DexcludeTransitive=true'], mavenCommands);
  }

  jars = await listJars(libDir);
  const configCommandClass = findClass(jars, configCandidates);
  const storageToolClass = findClass(jars, ['kafka.tools.StorageTool', 'org.apache.kafka.tools.StorageTool']);
  if (!findClass(jars, ['kafka.Kafka'])) throw new Error(`Kafka test harness: kafka.Kafka missing from Kafka ${version} jars`);
  if (!storageToolClass) throw new Error(`Kafka test harness: no StorageTool among the jars of Kafka ${version}`);
  if (!configCommandClass) throw new Error(`Kafka test harness: no ConfigCommand among the jars of Kafka ${version}`);
  return { version, storageToolClass, configCommandClass, logging, mavenCommands };
}

const inFlight = new Map<string, Promise<KafkaJars>>();

/**
 * One resolution per key at a time in this process: concurrent callers share the promise; a failed one is forgotten
 * (so the next caller tries again).
 */
export function resolveOnce<T>(inFlightByKey: Map<string, Promise<T>>, key: string, resolve: () => Promise<T>): Promise<T> {
  let p = inFlightByKey.get(key);
  if (!p) {
    p = resolve();
    p.catch(() => inFlightByKey.delete(key));
    inFlightByKey.set(key, p);
  }
  return p;
}

/**
 * Returns the jars of Kafka `version`, resolving them with Maven into the cache on first use.
 * A complete cache is reused without running Maven.
 */
export function resolveKafkaJars(version: string): Promise<KafkaJars> {
  if (!/^\d+\.\d+\.\d+$/.test(version)) return Promise.reject(new Error(`Kafka test harness: bad Kafka version '${version}'`));
  return resolveOnce(inFlight, version, () => doResolve(version));
}

async function readCache(dir: string): Promise<KafkaJars | undefined> {
  if (!existsSync(path.join(dir, COMPLETE_MARKER))) return undefined;
  const manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8')) as CacheManifest;
  const libDir = path.join(dir, 'libs');
  const jars = await listJars(libDir);
  return {
    version: manifest.version,
    libDir,
    jars,
    classpath: jars.join(path.delimiter),
    storageToolClass: manifest.storageToolClass,
    configCommandClass: manifest.configCommandClass,
    logging: manifest.logging,
  };
}

async function doResolve(version: string): Promise<KafkaJars> {
  const root = kafkaCacheRoot();
  const dir = path.join(root, version);
  const cached = await readCache(dir);
  if (cached) return cached;

  await fs.mkdir(root, { recursive: true });
  const tmp = await fs.mkdtemp(path.join(root, `.${version}.tmp-`));
  try {
    await fs.chmod(tmp, 0o755); // mkdtemp makes it 0700
    const manifest = await resolveInto(version, tmp);
    await fs.writeFile(path.join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await fs.writeFile(path.join(tmp, COMPLETE_MARKER), `${new Date().toISOString()}\n`); // written last
    if (existsSync(dir) && !existsSync(path.join(dir, COMPLETE_MARKER))) {
      await fs.rm(dir, { recursive: true, force: true }); // a stale, incomplete cache
    }
    try {
      await fs.rename(tmp, dir);
    } catch (err) {
      // Another worker won the race with a complete cache: use theirs.
      const other = await readCache(dir);
      if (!other) throw err;
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  const done = await readCache(dir);
  if (!done) throw new Error(`Kafka test harness: cache ${dir} is incomplete after resolving`);
  return done;
}
