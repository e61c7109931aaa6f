/**
 * Synthesizer benchmark (figures, never assertions): `npx projen bench` or `node scripts/bench.js [--sizes 10000,50000]
 * [--runs 3] [--out bench-out] [--only ours|raw|rerun|cdk8s]`.
 *
 * For N objects (a realistic mix: KafkaTopics and KafkaUsers made by the real Topic/KafkaUser constructs, plus
 * ConfigMaps and Deployments as raw ApiObjects), measures in one process, best of `--runs` each:
 *  1. raw:     `yaml` stringify of the same plain objects + one writeFileSync per object into a fresh folder;
 *  2. synth:   `synthesizePlatform(platform, { outdir }).write()` into a fresh folder, object resolution included,
 *              with the default lineage reports (reports/lineage.md and .html) and without them;
 *  3. re-run:  the same synth on an unchanged output folder (nothing is written);
 *  4. cdk8s:   `App.synth()` of an equivalent plain cdk8s app (the same objects as ApiObjects in one Chart), with
 *              cdk8s's default one-file-per-chart output and with one file per resource.
 * Measurements run in rounds (each round runs each once) and the best time of each is kept, so that load on a
 * shared machine affects them alike. File-system times vary a lot between runs on a busy disk; `--out` on a tmpfs
 * (e.g. /dev/shm/bench) shows the CPU side alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { stringify } from 'yaml';
import { DataPlatform, DataPlatformProps, Environment } from '../lib/platform';
import { collectObjects } from '../lib/synthesizer/collect';
import { KubeObject } from '../lib/synthesizer/manifest';
import { synthesizePlatform } from '../lib/synthesizer/synthesizer';
import { KafkaCluster } from '../constructs/kafka/cluster';
import { Topic } from '../constructs/kafka/topic';
import { KafkaUser } from '../constructs/kafka/user';

interface Options { sizes: number[]; runs: number; out: string; only?: string }

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { sizes: [10_000, 50_000], runs: 3, out: path.resolve('bench-out') };
  for (let i = 0; i < argv.length; i++) {
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    switch (argv[i]) {
      case '--sizes': opts.sizes = next().split(',').map((s) => Number(s.replace(/k$/i, '000'))); break;
      case '--runs': opts.runs = Number(next()); break;
      case '--out': opts.out = path.resolve(next()); break;
      case '--only': opts.only = next(); break;
      default: throw new Error(`unknown argument ${argv[i]} (use --sizes 10000,50000 --runs 3 --out DIR --only ours|raw|rerun|cdk8s)`);
    }
  }
  if (opts.sizes.some((n) => !Number.isInteger(n) || n < 10)) throw new Error('--sizes: integers of at least 10');
  return opts;
}

/**
 * A platform of `n` objects: per block of 10, 4 KafkaTopics, 2 KafkaUsers (each granted read on two topics and
 * write on one, so their ACLs are derived), 2 ConfigMaps and 2 Deployments.
 */
export function buildPlatform(n: number, props: DataPlatformProps = {}): DataPlatform {
  const platform = new DataPlatform({ outdir: 'unused', ...props });
  const env = new Environment(platform, 'prod', { namespace: 'data', labels: { team: 'platform' } });
  const cluster = KafkaCluster.fromStrimzi(env, 'kafka', { name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093' });
  let made = 0;
  let topics: Topic[] = [];
  for (let block = 0; made < n; block++) {
    const domain = `domain${block % 50}`;
    const kinds = ['topic', 'topic', 'topic', 'topic', 'user', 'user', 'configmap', 'configmap', 'deployment', 'deployment'];
    for (let j = 0; j < kinds.length && made < n; j++, made++) {
      const id = `${domain}-b${block}-${j}`;
      switch (kinds[j]) {
        case 'topic':
          topics.push(new Topic(env, `topic-${id}`, {
            cluster, topicName: `${domain}.events-${block}-${j}.v1`, partitions: 6 + (block % 4) * 3,
            config: { retention: '7d', cleanupPolicy: j % 2 === 0 ? 'delete' : 'compact' },
          }));
          break;
        case 'user': {
          const user = new KafkaUser(env, `user-${id}`, { cluster, quotas: { producerByteRate: 1_048_576 } });
          const t = topics.slice(-4);
          if (t.length >= 3) {
            t[0].grantRead(user, { consumerGroup: `${domain}-consumers-${block}` });
            t[1].grantRead(user, { consumerGroup: `${domain}-consumers-${block}` });
            t[2].grantWrite(user);
          }
          break;
        }
        case 'configmap':
          new ApiObject(env, `config-${id}`, {
            apiVersion: 'v1', kind: 'ConfigMap',
            data: { 'application.properties': `bootstrap.servers=${cluster.bootstrapServers}\ngroup.id=${id}\n`, mode: 'on', level: 'yes', perms: '0777' },
          });
          break;
        default:
          new ApiObject(env, `app-${id}`, {
            apiVersion: 'apps/v1', kind: 'Deployment',
            spec: {
              replicas: 2,
              selector: { matchLabels: { app: id } },
              template: {
                metadata: { labels: { app: id } },
                spec: {
                  automountServiceAccountToken: false,
                  containers: [{
                    name: 'app', image: `registry.example.com/${domain}/app:1.${block % 10}.0`,
                    args: ['--config', '/etc/app/application.properties'],
                    env: [{ name: 'KAFKA_BOOTSTRAP', value: cluster.bootstrapServers }, { name: 'LOG_LEVEL', value: 'info' }],
                    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
                    securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
                    volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
                  }],
                  volumes: [{ name: 'config', configMap: { name: `config-${domain}-b${block}-6` } }],
                },
              },
            },
          });
      }
    }
    if (topics.length > 8) topics = topics.slice(-8);
  }
  return platform;
}

/** The plain cdk8s app with the same objects (already resolved) as ApiObjects in one Chart. */
function buildCdk8sApp(objects: readonly KubeObject[], outdir: string, yamlOutputType: YamlOutputType): App {
  const app = new App({ outdir, yamlOutputType });
  const chart = new Chart(app, 'prod', { disableResourceNameHashes: true });
  objects.forEach((o, i) => new ApiObject(chart, `o${i}`, structuredClone(o) as any));
  return app;
}

/** Baseline: plain `yaml` stringify and one writeFileSync per object. */
function rawWrite(objects: readonly KubeObject[], files: readonly string[], outdir: string): void {
  const made = new Set<string>();
  for (let i = 0; i < objects.length; i++) {
    const file = path.join(outdir, files[i]);
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    fs.writeFileSync(file, stringify(objects[i]));
  }
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function fresh(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

interface Measurement {
  readonly key: string;
  readonly label: string;
  /** Untimed preparation before each run. */
  readonly setup?: () => void;
  readonly run: () => void;
}

interface Row { size: number; label: string; ms: number }

/**
 * Runs the measurements in rounds (each round runs every measurement once, in order) and keeps the best time of each:
 * on a shared machine, load then affects all of them alike instead of whichever happened to run during a spike.
 */
function measure(runs: number, measurements: readonly Measurement[]): Map<string, number> {
  const bestMs = new Map<string, number>();
  for (let round = 0; round < runs; round++) {
    for (const m of measurements) {
      m.setup?.();
      gc();
      const t0 = performance.now();
      m.run();
      const ms = performance.now() - t0;
      bestMs.set(m.key, Math.min(bestMs.get(m.key) ?? Infinity, ms));
    }
  }
  return bestMs;
}

function benchSize(n: number, opts: Options): Row[] {
  const want = (what: string) => !opts.only || opts.only.split(',').includes(what);
  const platform = buildPlatform(n);
  const collected = collectObjects(platform);
  const objects = collected.map((o) => o.object);
  const files = collected.map((o) => o.file);
  const kinds = new Map<string, number>();
  for (const o of objects) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
  process.stdout.write(`\n${n} objects (${[...kinds].map(([k, c]) => `${k} ${c}`).join(', ')}), best of ${opts.runs}\n`);
  const root = path.join(opts.out, String(n));
  const dir = (name: string) => path.join(root, name);

  const ms: Measurement[] = [];
  if (want('raw')) ms.push({ key: 'raw', label: 'raw yaml stringify + writeFileSync', setup: () => fresh(dir('raw')), run: () => rawWrite(objects, files, dir('raw')) });
  let written = -1;
  if (want('ours') || want('rerun')) {
    ms.push({ key: 'ours', label: 'synth, fresh dist (with lineage reports)', setup: () => fresh(dir('synth')), run: () => synthesizePlatform(platform, { outdir: dir('synth') }).write() });
  }
  if (want('rerun')) {
    ms.push({
      key: 'rerun', label: 'synth re-run, unchanged dist',
      run: () => { written = synthesizePlatform(platform, { outdir: dir('synth') }).write().written.length; },
    });
  }
  if (want('ours')) {
    const bare = buildPlatform(n, { lineageReports: false });
    ms.push({ key: 'bare', label: 'synth, fresh dist (no lineage reports)', setup: () => fresh(dir('bare')), run: () => synthesizePlatform(bare, { outdir: dir('bare') }).write() });
  }
  if (want('cdk8s')) {
    for (const [name, type] of [['chart', YamlOutputType.FILE_PER_CHART], ['resource', YamlOutputType.FILE_PER_RESOURCE]] as const) {
      let app: App | undefined;
      ms.push({
        key: `cdk8s-${name}`, label: `cdk8s App.synth (file per ${name})`,
        setup: () => { fresh(dir(`cdk8s-${name}`)); app = buildCdk8sApp(objects, dir(`cdk8s-${name}`), type); },
        run: () => app!.synth(),
      });
    }
  }
  const results = measure(opts.runs, ms);
  fs.rmSync(root, { recursive: true, force: true });
  return ms.map((m) => ({ size: n, label: m.key === 'rerun' ? `${m.label} (${written} written)` : m.label, ms: results.get(m.key)! }));
}

function printTable(rows: readonly Row[]): void {
  const raw = new Map(rows.filter((r) => r.label.startsWith('raw')).map((r) => [r.size, r.ms]));
  const width = Math.max(...rows.map((r) => r.label.length));
  process.stdout.write(`\n${'objects'.padStart(7)}  ${'measurement'.padEnd(width)}  ${'time'.padStart(9)}  ${'× raw'.padStart(6)}\n`);
  for (const r of rows) {
    const base = raw.get(r.size);
    process.stdout.write(`${String(r.size).padStart(7)}  ${r.label.padEnd(width)}  ${`${r.ms.toFixed(0)} ms`.padStart(9)}  ${base ? `${(r.ms / base).toFixed(2)}`.padStart(6) : '     -'}\n`);
  }
}

export function main(argv: readonly string[]): void {
  const opts = parseArgs(argv);
  process.stdout.write(`node ${process.version}, ${require('node:os').cpus().length} CPU(s), output in ${opts.out}` +
    `${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for steadier figures)'}\n`);
  const rows: Row[] = [];
  for (const n of opts.sizes) {
    rows.push(...benchSize(n, opts));
    printTable(rows.filter((r) => r.size === n));
  }
  if (opts.sizes.length > 1) {
    process.stdout.write('\nall sizes:');
    printTable(rows);
  }
}
