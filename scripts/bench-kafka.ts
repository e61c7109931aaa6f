/**
 * Benchmark of the pull model against a REAL broker (the test harness: KRaft, SASL/SCRAM, ACLs enforced).
 *
 *   npx ts-node --swc scripts/bench-kafka.ts [--topics 10000] [--acls 10000] [--apply 1000] [--version 4.3.1] [--json file]
 *
 * 1. Puts N topics and M ACL bindings on the broker (directly with kafkajs; not measured).
 * 2. Writes a dist declaring all of them (N KafkaTopic files, M/10 KafkaUser files with 10 bindings each),
 *    with a few differences so the plan has something to say, plus K topics to create.
 * 3. Whole process, as a user runs it: compiles the CLI (tsc → bench-out/kafka-cli) and times
 *    `synth kafka plan` (before any apply, and again once the state topic exists) and `synth kafka apply` of the
 *    K new topics, each in its own node process (wall clock from spawn to exit; peak RSS when /usr/bin/time exists).
 * 4. In process: the phases of plan (load dist, read cluster, read state, plan) and the admin requests by API, for
 *    several DescribeConfigs batch sizes, and for a tenth of the topics (round trips must not grow with topics); a
 *    DescribeConfigs of every topic with and without a config-name filter (where the read's cost comes from).
 * Prints the figures and the machine's load; writes them as JSON with --json; asserts nothing (a benchmark is not a test).
 *
 * The broker's own garbage collection is printed next to each whole-process figure (full GCs and their seconds, from
 * `jstat` when the JDK has it): the harness gives the broker a 512 MB heap, which 10,000 partitions and 10,000 ACLs
 * nearly fill (about 315 MB live); 1,000 more partitions push it into back-to-back full GCs, and every request
 * (plan, verify) then waits for them. `--broker-heap 1g` runs the broker with Kafka's own default heap instead
 * (kafka-server-start.sh: 1 GB) through a `java` wrapper on JAVA_HOME, to tell the pull model's time from that.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { applyLive, LiveKafka, loadDesiredState, planDrift, planLive, waitForLeaders } from '../ops/kafka';
import { KAFKA_VERSIONS, startBroker } from '../test/support/kafka/broker';
import { buildCli, kafkaTopicYaml, kafkaUserYaml } from './kafka/bench-support';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const TOPICS = arg('topics', 10_000);
const ACLS = arg('acls', 10_000);
const APPLY = arg('apply', 1_000);
const versionArg = process.argv.indexOf('--version');
const VERSION = versionArg > 0 ? process.argv[versionArg + 1] : KAFKA_VERSIONS.current;

const jsonArg = process.argv.indexOf('--json');
const JSON_OUT = jsonArg > 0 ? process.argv[jsonArg + 1] : undefined;
const heapArg = process.argv.indexOf('--broker-heap');
const BROKER_HEAP = heapArg > 0 ? process.argv[heapArg + 1] : undefined;
const figures: Record<string, unknown> = {};

const ms = (t: number) => `${(t / 1000).toFixed(2)} s`;

/** Runs the CLI in its own process: wall time from spawn to exit, exit code, peak RSS (MB, when /usr/bin/time exists). */
function runCli(launcher: string, args: string[], env: NodeJS.ProcessEnv): { ms: number; code: number | null; rssMb?: number; stdout: string; stderr: string } {
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const cmd = timeBin ?? process.execPath;
  const argv = timeBin ? ['-f', '%M', process.execPath, launcher, ...args] : [launcher, ...args];
  const t = performance.now();
  const r = spawnSync(cmd, argv, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const elapsed = performance.now() - t;
  let stderr = r.stderr ?? '';
  let rssMb: number | undefined;
  if (timeBin) {
    const lines = stderr.trimEnd().split('\n');
    rssMb = Math.round(Number(lines.pop()) / 1024);
    stderr = lines.join('\n');
  }
  return { ms: elapsed, code: r.status, rssMb, stdout: r.stdout ?? '', stderr };
}

/**
 * Makes the harness start its broker with `-Xmx<heap>` instead of its -Xmx512m: a `java` wrapper in a JAVA_HOME of
 * its own (the harness runs `$JAVA_HOME/bin/java`). Returns the wrapper's folder.
 */
function brokerHeapWrapper(heap: string, dir: string): string {
  if (!/^\d+[mMgG]$/.test(heap)) throw new Error(`--broker-heap ${heap}: expected e.g. 1g or 768m`);
  const home = process.env.JAVA_HOME;
  const real = home && fs.existsSync(path.join(home, 'bin', 'java')) ? path.join(home, 'bin', 'java')
    : spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).stdout.trim();
  if (!real) throw new Error('--broker-heap: no java on the PATH');
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  const wrapper = path.join(dir, 'bin', 'java');
  fs.writeFileSync(wrapper, `#!/bin/sh
# bench-kafka.ts --broker-heap: the harness' -Xmx512m becomes -Xmx${heap}
for a in "$@"; do shift; if [ "$a" = "-Xmx512m" ]; then set -- "$@" "-Xmx${heap}"; else set -- "$@" "$a"; fi; done
exec '${real}' "$@"
`, { mode: 0o755 });
  return dir;
}

/** The broker JVM's pid (its command line names the harness' temp dir). */
function brokerPid(dir: string): number | undefined {
  for (const p of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
      if (cmd.includes(`-Dkafka.logs.dir=${dir}`) && cmd.includes('kafka.Kafka')) return Number(p);
    } catch {
      // gone
    }
  }
  return undefined;
}

interface GcCounters { fullGcs: number; fullGcS: number; youngGcS: number; oldUsedMb: number; oldMaxMb: number }

/** The broker's GC counters (jstat -gc), when jstat is there. */
function brokerGc(pid: number | undefined): GcCounters | undefined {
  if (pid === undefined) return undefined;
  const r = spawnSync('jstat', ['-gc', String(pid)], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout) return undefined;
  const [head, values] = r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
  const v = (k: string) => Number(values?.[head.indexOf(k)]);
  return { fullGcs: v('FGC'), fullGcS: v('FGCT'), youngGcS: v('YGCT'), oldUsedMb: Math.round(v('OU') / 1024), oldMaxMb: Math.round(v('OC') / 1024) };
}

/** `broker: 3 full GCs (2.10 s), old gen 330/341 MB` between two counters. */
function gcSince(before: GcCounters | undefined, after: GcCounters | undefined): { text: string; fullGcs?: number; fullGcS?: number } {
  if (!before || !after) return { text: 'broker GC: (no jstat)' };
  const fullGcs = after.fullGcs - before.fullGcs;
  const fullGcS = Math.round((after.fullGcS - before.fullGcS) * 100) / 100;
  return { text: `broker: ${fullGcs} full GCs (${fullGcS.toFixed(2)} s), old gen ${after.oldUsedMb}/${after.oldMaxMb} MB`, fullGcs, fullGcS };
}

function load(): string {
  const [one, five] = os.loadavg();
  return `load average ${one.toFixed(1)} (1 min), ${five.toFixed(1)} (5 min) on ${os.cpus().length} CPUs`;
}

function writeDist(dir: string, topics: number, users: number, extraTopics: number): void {
  const base = path.join(dir, 'manifests', 'bench', 'kafka');
  fs.mkdirSync(base, { recursive: true });
  const topicYaml = (name: string, config: string) => kafkaTopicYaml(name, {
    partitions: 1, replicas: 1, config, annotations: '    dataops.cdk8s.io/removal-policy: retain\n',
  });
  for (let i = 0; i < topics; i++) {
    // Every 100th topic declares a different retention: the plan has 1% config changes.
    const retention = i % 100 === 0 ? 172800000 : 86400000;
    fs.writeFileSync(path.join(base, `kafkatopic.bench.t${i}.yaml`), topicYaml(`bench.t${i}`, `    retention.ms: ${retention}\n    cleanup.policy: delete\n`));
  }
  for (let i = 0; i < extraTopics; i++) {
    fs.writeFileSync(path.join(base, `kafkatopic.bench.new${i}.yaml`), topicYaml(`bench.new${i}`, '    retention.ms: 86400000\n    segment.ms: 3600000\n'));
  }
  for (let u = 0; u < users; u++) {
    const acls = Array.from({ length: 5 }, (_, k) => `      - resource: { type: topic, name: bench.t${(u * 5 + k) % Math.max(1, topics)}, patternType: literal }
        operations: [Read, Describe]`).join('\n');
    fs.writeFileSync(path.join(base, `kafkauser.bench-u${u}.yaml`), kafkaUserYaml(`bench-u${u}`, acls));
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`Kafka ${VERSION}: ${TOPICS} topics, ${ACLS} ACL bindings on the broker; apply creates ${APPLY} topics`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-kafka-'));
  if (BROKER_HEAP) process.env.JAVA_HOME = brokerHeapWrapper(BROKER_HEAP, path.join(tmp, 'java-home'));
  const broker = await startBroker({ version: VERSION, timeoutMs: 180_000 });
  const pid = brokerPid(broker.dir);
  try {
    console.log(`broker ready on ${broker.bootstrap} in ${ms(broker.lastStartupMs)}, heap ${BROKER_HEAP ?? '512m (the harness default)'}`);
    figures.brokerHeap = BROKER_HEAP ?? '512m';
    const kafka = new Kafka({ clientId: 'bench-setup', brokers: [broker.bootstrap], sasl: broker.sasl, logLevel: logLevel.NOTHING, requestTimeout: 120_000 });
    const admin = kafka.admin();
    await admin.connect();

    // --- setup (not measured)
    let t = Date.now();
    const users = Math.ceil(ACLS / 10);
    for (let i = 0; i < TOPICS; i += 1000) {
      const names = Array.from({ length: Math.min(1000, TOPICS - i) }, (_, k) => `bench.t${i + k}`);
      await admin.createTopics({
        waitForLeaders: false, timeout: 120_000,
        topics: names.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '86400000' }, { name: 'cleanup.policy', value: 'delete' }] })),
      });
    }
    const acl = [];
    for (let u = 0; u < users; u++) {
      for (let k = 0; k < 5; k++) {
        for (const operation of [3, 8]) {
          acl.push({ resourceType: 2, resourceName: `bench.t${(u * 5 + k) % Math.max(1, TOPICS)}`, resourcePatternType: 3, principal: `User:bench-u${u}`, host: '*', operation, permissionType: 3 });
        }
      }
    }
    for (let i = 0; i < acl.length; i += 2000) await admin.createAcls({ acl: acl.slice(i, i + 2000) as any });
    // ACLs reach the broker's authorizer asynchronously: wait until all are visible.
    for (let seen = -1; seen < acl.length;) {
      const r = await admin.describeAcls({ resourceType: 1, resourcePatternType: 1, operation: 1, permissionType: 1 } as any);
      seen = r.resources.reduce((n: number, x: any) => n + x.acls.filter((a: any) => a.principal.startsWith('User:bench-u')).length, 0);
      if (seen < acl.length) await new Promise((res) => setTimeout(res, 500));
    }
    const setupLive = await LiveKafka.connect({ brokers: [broker.bootstrap], sasl: broker.sasl, requestTimeout: 120_000 });
    await waitForLeaders(setupLive, Array.from({ length: TOPICS }, (_, i) => `bench.t${i}`), 300_000);
    await setupLive.disconnect();
    console.log(`setup: ${TOPICS} topics and ${acl.length} ACL bindings created in ${ms(Date.now() - t)}`);
    await admin.disconnect();

    // --- plan
    t = Date.now();
    writeDist(tmp, TOPICS, users, APPLY);
    console.log(`dist written (${TOPICS + APPLY} KafkaTopic + ${users} KafkaUser files) in ${ms(Date.now() - t)}`);

    // --- whole process, as a user runs it
    const launcher = buildCli('kafka-cli');
    const cliEnv = { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: broker.sasl.username, KAFKA_SASL_PASSWORD: broker.sasl.password, FORCE_COLOR: '0' };
    const existingDist = path.join(tmp, 'existing');
    writeDist(existingDist, TOPICS, users, 0);
    const cliPlan = (dist: string, label: string) => {
      const gc0 = brokerGc(pid);
      const r = runCli(launcher, ['kafka', 'plan', '--out', dist, '--bootstrap', broker.bootstrap, '--output', 'json'], cliEnv);
      if (r.code !== 0) throw new Error(`synth kafka plan exited ${r.code}: ${r.stderr}`);
      const j = JSON.parse(r.stdout);
      const gc = gcSince(gc0, brokerGc(pid));
      console.log(`  ${label}: ${ms(r.ms)} whole process${r.rssMb ? `, peak RSS ${r.rssMb} MB` : ''}; in it: cluster read + plan ${ms(j.stats.durationMs)}, ` +
        `${j.stats.requests.total} requests (${Object.entries(j.stats.requests.byApi).map(([k, v]) => `${k} ${v}`).join(', ')}); ${gc.text}; ${load()}`);
      return { ms: Math.round(r.ms), rssMb: r.rssMb, inProcessMs: j.stats.durationMs, requests: j.stats.requests, brokerFullGcs: gc.fullGcs, brokerFullGcS: gc.fullGcS };
    };
    console.log(`\nwhole process (\`synth kafka plan\` of ${TOPICS} topics and ${users * 10} bindings, compiled CLI, own process):`);
    figures.planBeforeState = cliPlan(existingDist, 'plan, no state topic yet');
    const live = await LiveKafka.connect({ brokers: [broker.bootstrap], sasl: broker.sasl, requestTimeout: 120_000 });
    try {
      t = Date.now();
      const desired = loadDesiredState({ distDir: tmp });
      const loadMs = Date.now() - t;
      console.log(`\nplan (${desired.topics.length} desired topics, ${desired.users.length} users):`);
      console.log(`  load dist: ${ms(loadMs)}`);
      for (const batch of [undefined, 10_000, 2_500, 1_000, 500]) {
        // Without the new topics, so every desired topic exists and has its configs described.
        const existing = { ...desired, topics: desired.topics.filter((x) => !x.name.startsWith('bench.new')) };
        const r = await planLive(live, existing, { describeConfigsBatch: batch });
        console.log(`  DescribeConfigs batch ${String(batch ?? 'default').padStart(7)}: read+plan ${ms(r.stats.durationMs)} ${JSON.stringify(r.stats.phases)}, ${r.stats.requests.total} requests ` +
          `(${Object.entries(r.stats.requests.byApi).map(([k, v]) => `${k} ${v}`).join(', ')}); ` +
          `${r.plan.updates.length} updates, ${r.actual.acls.length} ACLs read`);
      }
      const tenth = { ...desired, topics: desired.topics.filter((x) => !x.name.startsWith('bench.new')).slice(0, Math.ceil(TOPICS / 10)) };
      const small = await planLive(live, tenth);
      console.log(`  with ${tenth.topics.length} desired topics (default batches): read+plan ${ms(small.stats.durationMs)}, ${small.stats.requests.total} requests`);
      t = Date.now();
      const full = await planLive(live, desired);
      console.log(`  full plan incl. ${APPLY} creates: ${ms(Date.now() - t)} (+ ${ms(loadMs)} loading dist), ${full.stats.requests.total} requests; ` +
        `${full.plan.creates.length} creates, ${full.plan.updates.length} updates, ${full.plan.aclCreates.length} ACL creates`);

      // --- apply: creates the new topics (and the 1% config changes)
      let gc0 = brokerGc(pid);
      t = Date.now();
      const steps: string[] = [];
      let stepStart = Date.now();
      const applied = await applyLive(live, desired, {
        planned: full,
        onEvent: (e) => {
          if (e.type === 'step-progress' && e.pending !== undefined) steps.push(`(verify: ${e.pending} pending at ${ms(Date.now() - stepStart)})`);
          if (e.type === 'step-start') stepStart = Date.now();
          if (e.type === 'step-done') steps.push(`${e.step} ${ms(Date.now() - stepStart)}`);
        },
      });
      console.log(`\napply: ${ms(Date.now() - t)} (${applied.done.topicsCreated} topics created, ${applied.done.configsAltered} configs altered, ` +
        `${applied.done.stateRecordsWritten} state records written, verified ${applied.verified}), ${applied.stats.requests.total} requests ` +
        `(${Object.entries(applied.stats.requests.byApi).map(([k, v]) => `${k} ${v}`).join(', ')})`);
      console.log(`  steps: ${steps.join(', ')}; ${gcSince(gc0, brokerGc(pid)).text}`);
      if (!applied.verified) for (const line of planDrift(applied.after.plan).slice(0, 5)) console.log(`  still differs: ${line}`);
      figures.applyInProcess = { ms: Date.now() - t, done: applied.done, requests: applied.stats.requests };
      t = Date.now();
      const again = await planLive(live, desired);
      console.log(`plan after apply (reads the ${again.state.topics.size + again.state.users.size} state records too): ${ms(Date.now() - t)}, ` +
        `phases ${JSON.stringify(again.stats.phases)}, ${again.stats.requests.total} requests (${Object.entries(again.stats.requests.byApi).map(([k, v]) => `${k} ${v}`).join(', ')}), ` +
        `changes: ${again.plan.creates.length + again.plan.updates.length + again.plan.aclCreates.length}`);

      console.log('\nwhole process, once the state topic holds a record for every object:');
      figures.planWithState = cliPlan(tmp, 'plan, state topic present');
      // Apply of APPLY more new topics (with configs), as a user runs it.
      const more = path.join(tmp, 'more');
      writeDist(more, TOPICS, users, 0);
      const moreBase = path.join(more, 'manifests', 'bench', 'kafka');
      for (const f of fs.readdirSync(path.join(tmp, 'manifests', 'bench', 'kafka')).filter((x) => x.startsWith('kafkatopic.bench.new'))) {
        fs.copyFileSync(path.join(tmp, 'manifests', 'bench', 'kafka', f), path.join(moreBase, f));
      }
      for (let i = 0; i < APPLY; i++) {
        fs.writeFileSync(path.join(moreBase, `kafkatopic.bench.more${i}.yaml`), fs.readFileSync(path.join(moreBase, 'kafkatopic.bench.new0.yaml'), 'utf8').replace(/bench\.new0/g, `bench.more${i}`));
      }
      gc0 = brokerGc(pid);
      const ap = runCli(launcher, ['kafka', 'apply', '--out', more, '--bootstrap', broker.bootstrap, '--output', 'json'], cliEnv);
      const aj = ap.stdout ? JSON.parse(ap.stdout) : {};
      console.log(`  apply creating ${APPLY} topics: ${ms(ap.ms)} whole process (exit ${ap.code})${ap.rssMb ? `, peak RSS ${ap.rssMb} MB` : ''}; ` +
        `in it: apply ${ms(aj.stats?.durationMs ?? NaN)}, ${aj.stats?.requests?.total} requests, done ${JSON.stringify(aj.done)}; ${gcSince(gc0, brokerGc(pid)).text}; ${load()}`);
      if (ap.code !== 0) console.log(`  ${ap.stderr.trim().split('\n').slice(-3).join(' | ')} ${(aj.remaining ?? []).slice(0, 3).join(' | ')}`);
      figures.applyWholeProcess = { ms: Math.round(ap.ms), code: ap.code, rssMb: ap.rssMb, done: aj.done, inProcessMs: aj.stats?.durationMs };

      // Where the cluster read's cost is: DescribeConfigs of every topic, all entries vs two named entries.
      const names = Array.from({ length: TOPICS }, (_, i) => `bench.t${i}`);
      t = Date.now();
      await live.admin.describeConfigs({ includeSynonyms: false, resources: names.map((name) => ({ type: 2, name })) });
      const all = Date.now() - t;
      t = Date.now();
      await live.admin.describeConfigs({ includeSynonyms: false, resources: names.map((name) => ({ type: 2, name, configNames: ['retention.ms', 'cleanup.policy'] })) });
      const two = Date.now() - t;
      console.log(`\nDescribeConfigs of ${TOPICS} topics in one request: every entry ${ms(all)}, two named entries ${ms(two)} (${load()})`);
      figures.describeConfigs = { allEntriesMs: all, twoEntriesMs: two };
    } finally {
      await live.disconnect();
    }
  } finally {
    await broker.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
    console.log(`\ntotal ${ms(Date.now() - started)}; ${load()}`);
    if (JSON_OUT) {
      fs.mkdirSync(path.dirname(path.resolve(JSON_OUT)), { recursive: true });
      fs.writeFileSync(JSON_OUT, JSON.stringify({ date: new Date().toISOString(), version: VERSION, topics: TOPICS, acls: ACLS, apply: APPLY, load: os.loadavg(), cpus: os.cpus().length, figures }, null, 2));
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
