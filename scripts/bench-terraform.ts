/**
 * Side-by-side benchmark of the pull model and the Terraform Kafka provider (Mongey v0.13.1) on ONE real broker
 * (the test harness: KRaft, SASL/SCRAM-SHA-512, ACLs enforced). Needs `terraform` and `go` on PATH (skips otherwise).
 *
 *   npx ts-node --swc scripts/bench-terraform.ts [--n 1000] [--version 4.3.1] [--tf-parallelism 10] [--json file]
 *
 * 1. Builds the provider once into .cache/terraform-provider-kafka/ (git-ignored): `go mod download -json` of the
 *    module, a writable copy of its folder, `nice -n 19 go build -p 1` there (other people measure on the machine).
 *    Skipped when the binary exists. Terraform finds it through a CLI config file with `dev_overrides`, written into
 *    a temp folder and passed as TF_CLI_CONFIG_FILE to the terraform processes only (no `terraform init`).
 * 2. Starts one broker and times, each as its own whole process as a user runs it (wall clock from spawn to exit),
 *    terraform (topic prefix `tf.`, principals `User:tf-u*`) and the compiled `synth kafka` CLI (prefix `cdk.`,
 *    principals `User:cdk-u*`), same partitions, replicas and configs:
 *      a. apply of N new topics           (`terraform apply -auto-approve` / `synth kafka apply`)
 *      b. plan, the N topics present       (`terraform plan` / `synth kafka plan`; nothing to change)
 *      c. apply of N more ACL bindings     (the same project plus N `kafka_acl` / N/10 KafkaUser files of 10 bindings;
 *                                           both tools read the N topics again, as a user's next apply does)
 *      d. plan, topics and bindings present
 *    Both tools run with their defaults (terraform -parallelism=10 and its refresh; synth --batch-size 500).
 *    The provider creates topics one request each and then polls each one (first poll after 1 s), and after each
 *    ACL it lists every ACL until the new one shows: with 10 at a time that is about N/10 seconds or more.
 * 3. Compares what each left on the broker: partitions and replicas of every topic, the topic-level configs
 *    (DescribeConfigs, dynamic entries) of every topic, and the ACL bindings, tf.* against cdk.*.
 * Prints a table (seconds per tool per step, ratio) and the machine's load; --json writes the figures. Asserts nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { KAFKA_VERSIONS, startBroker } from '../test/support/kafka/broker';
import { buildCli, kafkaTopicYaml, kafkaUserYaml } from './kafka/bench-support';

function argOf(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const N = Number(argOf('n') ?? 1000);
const VERSION = argOf('version') ?? KAFKA_VERSIONS.current;
const JSON_OUT = argOf('json');
/** terraform -parallelism; unset = terraform's default (10), what a user gets. */
const TF_PARALLELISM = argOf('tf-parallelism');
const PARTITIONS = 3;
const REPLICAS = 1;
const TOPIC_CONFIG: Record<string, string> = { 'retention.ms': '86400000', 'segment.ms': '3600000', 'cleanup.policy': 'delete' };
const PROVIDER_MODULE = 'github.com/Mongey/terraform-provider-kafka';
const PROVIDER_VERSION = 'v0.13.1';

const repo = path.join(__dirname, '..');
const cacheDir = path.join(repo, '.cache', 'terraform-provider-kafka');
const providerBin = path.join(cacheDir, PROVIDER_VERSION, 'terraform-provider-kafka');
const s = (t: number) => `${(t / 1000).toFixed(1)} s`;

function loadNow(): number[] {
  return os.loadavg().map((x) => Math.round(x * 10) / 10);
}
function load(): string {
  const [one, five] = os.loadavg();
  return `load average ${one.toFixed(1)} (1 min), ${five.toFixed(1)} (5 min) on ${os.cpus().length} CPUs`;
}
function onPath(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}
function sh(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}${r.error ? ` (${r.error.message})` : ''}:\n${(r.stderr ?? '').slice(-4000)}`);
  return r.stdout;
}

/** The provider binary: built once (download of the module, writable copy, niced single-job go build). */
function buildProvider(): string {
  if (fs.existsSync(providerBin)) {
    console.log(`provider: ${path.relative(repo, providerBin)} (cached)`);
    return providerBin;
  }
  const t = Date.now();
  const info = JSON.parse(sh('go', ['mod', 'download', '-json', `${PROVIDER_MODULE}@${PROVIDER_VERSION}`]));
  if (!info.Dir) throw new Error(`go mod download gave no Dir: ${JSON.stringify(info)}`);
  const src = path.join(cacheDir, PROVIDER_VERSION, 'src');
  fs.rmSync(src, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(src), { recursive: true });
  fs.cpSync(info.Dir, src, { recursive: true });
  sh('chmod', ['-R', 'u+w', src]); // the module cache is read-only
  sh('nice', ['-n', '19', 'go', 'build', '-p', '1', '-o', providerBin, '.'], src);
  console.log(`provider: built ${PROVIDER_MODULE}@${PROVIDER_VERSION} into ${path.relative(repo, providerBin)} in ${s(Date.now() - t)}`);
  return providerBin;
}

interface Run { ms: number; code: number | null; stdout: string; stderr: string }
function timed(cmd: string, args: string[], opts: { cwd?: string; env: NodeJS.ProcessEnv }): Run {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  return { ms: performance.now() - t, code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

// --- the two projects

const users = () => Math.ceil(N / 10);
/** Binding k (0..9) of user u: Read or Describe on one of five topics of the tool's prefix. */
const bindingTopic = (prefix: string, u: number, k: number) => `${prefix}.t${(u * 5 + Math.floor(k / 2)) % N}`;

function writeTerraform(dir: string, bootstrap: string, sasl: { username: string; password: string }, withAcls: boolean): void {
  const topics: Record<string, unknown> = {};
  for (let i = 0; i < N; i++) topics[`t${i}`] = { name: `tf.t${i}`, partitions: PARTITIONS, replication_factor: REPLICAS, config: TOPIC_CONFIG };
  const resource: Record<string, unknown> = { kafka_topic: topics };
  if (withAcls) {
    const acls: Record<string, unknown> = {};
    for (let u = 0; u < users(); u++) {
      for (let k = 0; k < 10 && u * 10 + k < N; k++) {
        acls[`u${u}_${k}`] = {
          resource_name: bindingTopic('tf', u, k), resource_type: 'Topic', resource_pattern_type_filter: 'Literal',
          acl_principal: `User:tf-u${u}`, acl_host: '*', acl_operation: k % 2 === 0 ? 'Read' : 'Describe', acl_permission_type: 'Allow',
        };
      }
    }
    resource.kafka_acl = acls;
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({
    terraform: { required_providers: { kafka: { source: 'mongey/kafka' } } },
    provider: { kafka: { bootstrap_servers: [bootstrap], sasl_mechanism: 'scram-sha512', sasl_username: sasl.username, sasl_password: sasl.password, tls_enabled: false } },
    resource,
  }, null, 1));
}

function writeDist(dir: string, withAcls: boolean): void {
  const base = path.join(dir, 'manifests', 'bench', 'kafka');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(base, { recursive: true });
  const config = Object.entries(TOPIC_CONFIG).map(([k, v]) => `    ${k}: ${/^\d+$/.test(v) ? v : JSON.stringify(v)}\n`).join('');
  for (let i = 0; i < N; i++) {
    fs.writeFileSync(path.join(base, `kafkatopic.cdk.t${i}.yaml`), kafkaTopicYaml(`cdk.t${i}`, { partitions: PARTITIONS, replicas: REPLICAS, config }));
  }
  if (!withAcls) return;
  for (let u = 0; u < users(); u++) {
    const rules = [];
    for (let k = 0; k < 10 && u * 10 + k < N; k += 2) {
      const ops = u * 10 + k + 1 < N ? '[Read, Describe]' : '[Read]';
      rules.push(`      - resource: { type: topic, name: ${bindingTopic('cdk', u, k)}, patternType: literal }\n        operations: ${ops}`);
    }
    fs.writeFileSync(path.join(base, `kafkauser.cdk-u${u}.yaml`), kafkaUserYaml(`cdk-u${u}`, rules.join('\n')));
  }
}

// --- broker state of both

async function compareState(bootstrap: string, sasl: any): Promise<{ same: boolean; lines: string[] }> {
  const kafka = new Kafka({ clientId: 'bench-terraform-check', brokers: [bootstrap], sasl, logLevel: logLevel.NOTHING, requestTimeout: 120_000 });
  const admin = kafka.admin();
  await admin.connect();
  const lines: string[] = [];
  let same = true;
  const differ = (line: string) => { same = false; if (lines.length < 20) lines.push(line); };
  try {
    const names = (prefix: string) => Array.from({ length: N }, (_, i) => `${prefix}.t${i}`);
    const shape = async (prefix: string) => {
      const out = new Map<string, string>();
      const md = await admin.fetchTopicMetadata({ topics: names(prefix) });
      for (const t of md.topics) out.set(t.name.slice(prefix.length), `${t.partitions.length} partitions, replicas ${[...new Set(t.partitions.map((p) => p.replicas.length))].join('/')}`);
      return out;
    };
    const configs = async (prefix: string) => {
      const out = new Map<string, string>();
      const all = names(prefix);
      for (let i = 0; i < all.length; i += 500) {
        const r = await admin.describeConfigs({ includeSynonyms: false, resources: all.slice(i, i + 500).map((name) => ({ type: 2, name })) });
        for (const res of r.resources) {
          // configSource 1 = DYNAMIC_TOPIC_CONFIG: what was set on the topic (the rest are broker defaults).
          const set = res.configEntries.filter((e: any) => e.configSource === 1).map((e) => `${e.configName}=${e.configValue}`).sort();
          out.set(res.resourceName.slice(prefix.length), set.join(','));
        }
      }
      return out;
    };
    const [tfShape, cdkShape, tfConf, cdkConf] = [await shape('tf'), await shape('cdk'), await configs('tf'), await configs('cdk')];
    for (const [what, tf, cdk] of [['topic', tfShape, cdkShape], ['configs', tfConf, cdkConf]] as const) {
      if (tf.size !== N || cdk.size !== N) differ(`${what}: ${tf.size} tf.* and ${cdk.size} cdk.* of ${N}`);
      for (const [k, v] of tf) if (cdk.get(k) !== v) differ(`${what} of .${k}: tf ${v} vs cdk ${cdk.get(k)}`);
    }
    const acls = await admin.describeAcls({ resourceType: 1, resourcePatternType: 1, operation: 1, permissionType: 1 } as any);
    const bindings = (prefix: string) => {
      const out = new Set<string>();
      for (const r of acls.resources) {
        for (const a of r.acls) {
          if (!a.principal.startsWith(`User:${prefix}-u`)) continue;
          out.add(`${r.resourceType}:${r.resourcePatternType}:${r.resourceName.slice(prefix.length)} ${a.principal.slice(5 + prefix.length)} ${a.host} op${a.operation} perm${a.permissionType}`);
        }
      }
      return out;
    };
    const tfAcls = bindings('tf');
    const cdkAcls = bindings('cdk');
    if (tfAcls.size !== N || cdkAcls.size !== N) differ(`ACL bindings: ${tfAcls.size} User:tf-u* and ${cdkAcls.size} User:cdk-u* of ${N}`);
    for (const b of tfAcls) if (!cdkAcls.has(b)) differ(`binding only from terraform: ${b}`);
    for (const b of cdkAcls) if (!tfAcls.has(b)) differ(`binding only from synth: ${b}`);
    const sample = [...tfShape.keys()].slice(0, 1)[0];
    lines.unshift(`checked ${tfShape.size}+${cdkShape.size} topics (partitions, replicas), ${tfConf.size}+${cdkConf.size} topic configs, ` +
      `${tfAcls.size}+${cdkAcls.size} ACL bindings; e.g. tf${sample} / cdk${sample}: ${tfShape.get(sample)}, configs ${tfConf.get(sample)}`);
  } finally {
    await admin.disconnect();
  }
  return { same, lines };
}

async function main(): Promise<void> {
  const started = Date.now();
  if (!onPath('terraform') || !onPath('go')) {
    console.log('terraform or go is not on PATH: nothing to compare against (skipped)');
    return;
  }
  const tfVersion = sh('terraform', ['version']).split('\n')[0];
  console.log(`${tfVersion}, provider ${PROVIDER_MODULE} ${PROVIDER_VERSION}; Kafka ${VERSION}; N = ${N} topics (${PARTITIONS} partitions, ` +
    `${REPLICAS} replica, ${Object.entries(TOPIC_CONFIG).map(([k, v]) => `${k}=${v}`).join(' ')}), ${N} ACL bindings; ` +
    `terraform -parallelism=${TF_PARALLELISM ?? '10 (default)'}; ${load()}`);
  const provider = buildProvider();
  const launcher = buildCli('terraform-cli');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-terraform-'));
  const tfDir = path.join(tmp, 'tf');
  const distDir = path.join(tmp, 'dist');
  const cliConfig = path.join(tmp, 'terraformrc');
  fs.writeFileSync(cliConfig, `provider_installation {\n  dev_overrides {\n    "mongey/kafka" = ${JSON.stringify(path.dirname(provider))}\n  }\n  direct {}\n}\n`);
  const tfEnv: NodeJS.ProcessEnv = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  delete tfEnv.TF_LOG;

  const broker = await startBroker({ version: VERSION, timeoutMs: 180_000 });
  const rows: Array<{ step: string; terraform: Run; synth: Run; load: number[]; summary: { terraform: string; synth: string } }> = [];
  let state: { same: boolean; lines: string[] } | undefined;
  try {
    console.log(`broker ready on ${broker.bootstrap} in ${s(broker.lastStartupMs)}\n`);
    const cliEnv: NodeJS.ProcessEnv = { ...process.env, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: broker.sasl.username, KAFKA_SASL_PASSWORD: broker.sasl.password, FORCE_COLOR: '0' };
    const terraform = (cmd: 'apply' | 'plan') => timed('terraform',
      [...(cmd === 'apply' ? ['apply', '-auto-approve', '-input=false', '-no-color'] : ['plan', '-input=false', '-no-color', '-detailed-exitcode']),
        ...(TF_PARALLELISM ? [`-parallelism=${TF_PARALLELISM}`] : [])], { cwd: tfDir, env: tfEnv });
    const synth = (cmd: 'apply' | 'plan') => timed(process.execPath, [launcher, 'kafka', cmd, '--out', distDir, '--bootstrap', broker.bootstrap, '--output', 'json'], { env: cliEnv });
    const summary = (tool: string, r: Run) => {
      if (tool === 'terraform') {
        const line = r.stdout.split('\n').reverse().find((l) => /^(Apply complete|Plan:|No changes)/.test(l)) ?? r.stderr.trim().split('\n').slice(-3).join(' | ');
        return `exit ${r.code}: ${line.trim()}`;
      }
      try {
        const j = JSON.parse(r.stdout);
        const p = j.done ? j.plan : j;
        const planned = `planned ${p.creates.length} creates, ${p.updates.length} updates, ${p.aclCreates.length} ACL creates (${p.verdict})`;
        const done = j.done ? `; done ${Object.entries(j.done).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ')}, verified ${j.verified}` : '';
        return `exit ${r.code}: ${planned}${done}; in process ${s(j.stats.durationMs)}, ${j.stats.requests.total} admin requests`;
      } catch {
        return `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`;
      }
    };
    const step = (label: string, cmd: 'apply' | 'plan') => {
      // terraform first, then synth: each runs alone on the machine.
      const tf = terraform(cmd);
      console.log(`${label}\n  terraform ${cmd}: ${s(tf.ms)} (${summary('terraform', tf)})`);
      const cdk = synth(cmd);
      console.log(`  synth kafka ${cmd}: ${s(cdk.ms)} (${summary('synth', cdk)}); ${load()}`);
      rows.push({ step: label, terraform: tf, synth: cdk, load: loadNow(), summary: { terraform: summary('terraform', tf), synth: summary('synth', cdk) } });
    };

    writeTerraform(tfDir, broker.bootstrap, broker.sasl, false);
    writeDist(distDir, false);
    step(`a. apply ${N} new topics`, 'apply');
    step(`b. plan, ${N} topics present`, 'plan');
    writeTerraform(tfDir, broker.bootstrap, broker.sasl, true);
    writeDist(distDir, true);
    step(`c. apply ${N} new ACL bindings (+${N} topics read)`, 'apply');
    step(`d. plan, ${N} topics + ${N} bindings present`, 'plan');

    state = await compareState(broker.bootstrap, broker.sasl);
    console.log(`\nbroker state: ${state.same ? 'IDENTICAL' : 'DIFFERENT'} for tf.* and cdk.*`);
    for (const l of state.lines) console.log(`  ${l}`);
  } finally {
    await broker.destroy();
    if (!process.env.BENCH_TERRAFORM_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
    else console.log(`kept ${tmp}`);
  }

  const w = Math.max(...rows.map((r) => r.step.length));
  console.log(`\n${'step'.padEnd(w)}  terraform   synth  terraform/synth  load (1/5/15 min)`);
  for (const r of rows) {
    console.log(`${r.step.padEnd(w)}  ${s(r.terraform.ms).padStart(9)}  ${s(r.synth.ms).padStart(6)}  ${`${(r.terraform.ms / r.synth.ms).toFixed(1)}x`.padStart(15)}  ${r.load.join(' / ')}`);
  }
  console.log(`\ntotal ${s(Date.now() - started)}; ${load()}`);
  if (JSON_OUT) {
    fs.mkdirSync(path.dirname(path.resolve(JSON_OUT)), { recursive: true });
    fs.writeFileSync(JSON_OUT, JSON.stringify({
      date: new Date().toISOString(), kafka: VERSION, terraform: tfVersion, tfParallelism: TF_PARALLELISM ? Number(TF_PARALLELISM) : 'default (10)', provider: `${PROVIDER_MODULE}@${PROVIDER_VERSION}`, n: N,
      partitions: PARTITIONS, replicas: REPLICAS, config: TOPIC_CONFIG, cpus: os.cpus().length, load: loadNow(),
      steps: rows.map((r) => ({ step: r.step, terraformMs: Math.round(r.terraform.ms), terraformExit: r.terraform.code, synthMs: Math.round(r.synth.ms), synthExit: r.synth.code, load: r.load, summary: r.summary })),
      brokerState: state,
    }, null, 2));
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
