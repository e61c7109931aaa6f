/**
 * `synth kafka plan|apply|drift|import`: the pull model, for Kafka clusters Strimzi does not run (MSK,
 * Confluent Cloud, Aiven, plain brokers). The desired state is the synthesized dist (KafkaTopic and
 * KafkaUser objects), the same files Argo CD / Flux read.
 *
 * The reconciler (ops/kafka, with kafkajs) is loaded only when a kafka subcommand runs, so `synth` itself does not
 * pay for it. Failures a person can fix (broker unreachable, credentials, permissions, timeouts) exit 2 with what
 * to do (ops/kafka/errors.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import pc from 'picocolors';
import type { KafkaApplyEvent, KafkaApplyStep, KafkaConnectionOptions, LiveKafka } from '../../ops/kafka';
import { DataOpsError } from '../../lib/errors';
import { OutputFlags, outOption, outputFor, withOutputFlags } from '../flags';
import { Output } from '../output';

/** Flags of plan, apply and drift. */
export interface KafkaFlags extends OutputFlags {
  /** The synthesized output folder. @default 'dist' */
  readonly out?: string;
  /** Deprecated alias of `out`. */
  readonly dist?: string;
  readonly env?: string;
  readonly cluster?: string;
  readonly bootstrap?: string;
  readonly config?: string;
  readonly output?: 'text' | 'json';
  readonly prune?: boolean;
  readonly allowDenyRemoval?: boolean;
  readonly batchSize?: string;
}

/** Flags of import. */
export interface KafkaImportFlags extends OutputFlags {
  readonly bootstrap?: string;
  readonly config?: string;
  /** The TypeScript file to write. */
  readonly file?: string;
  /** Deprecated: the file to write (`--out` is the output folder everywhere else). */
  readonly out?: string;
  readonly include?: string;
  readonly env?: string;
  readonly cluster?: string;
  readonly namespace?: string;
  readonly pipelines?: boolean;
  readonly force?: boolean;
}

const STEP_LABEL: Record<KafkaApplyStep, string> = {
  'create-topics': 'creating topics',
  'create-partitions': 'adding partitions',
  'alter-configs': 'changing configs',
  'create-acls': 'creating ACLs',
  'delete-acls': 'deleting ACLs',
  'delete-topics': 'deleting topics',
  'verify': 'verifying',
  'record-state': 'recording state',
};

/** The reconciler, loaded on first use (kafkajs and its dependencies are not needed by `synth`). */
function ops(): Promise<typeof import('../../ops/kafka')> {
  return import('../../ops/kafka');
}

function connectionFlags(cmd: Command): Command {
  return withOutputFlags(cmd
    .addOption(new Option('--bootstrap <host:port>', 'bootstrap server(s), comma-separated (or KAFKA_BOOTSTRAP_SERVERS)'))
    .addOption(new Option('--config <file>', 'JSON connection file: { bootstrap, sasl: { mechanism, username, password }, ssl, clientId, requestTimeout }; ' +
      'KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE take precedence')));
}

function desiredFlags(cmd: Command): Command {
  return connectionFlags(cmd)
    .addOption(outOption('the synthesized output folder (default: dist)'))
    .addOption(new Option('--dist <dir>', 'deprecated: use --out').hideHelp())
    .addOption(new Option('--env <name>', 'environment under <out>/manifests (required when there are several)'))
    .addOption(new Option('--cluster <name>', 'only objects labelled strimzi.io/cluster=<name> (required when there are several)'))
    .addOption(new Option('--output <format>', 'text or json').choices(['text', 'json']).default('text'));
}

function distDir(flags: KafkaFlags, out: Output): string {
  if (flags.dist !== undefined && flags.out === undefined) out.error('--dist is deprecated: use --out (the output folder, as in every synth command)');
  return path.resolve(flags.out ?? flags.dist ?? 'dist');
}

/** Runs `fn` with a connected client; failures a person can fix become {@link DataOpsError}s. */
async function withCluster<T>(connection: KafkaConnectionOptions, out: Output, fn: (live: LiveKafka) => Promise<T>): Promise<T> {
  const { LiveKafka: Live, describeConnection, userFacingKafkaError } = await ops();
  const target = describeConnection(connection);
  let live: LiveKafka | undefined;
  try {
    live = await Live.connect(connection, { log: out.verbose ? (l) => out.detail(l) : undefined });
    return await fn(live);
  } catch (e) {
    throw userFacingKafkaError(e, target) ?? e;
  } finally {
    await live?.disconnect();
  }
}

/** `synth kafka plan` / `drift`. Returns the exit code: plan 0; drift 1 unless the verdict is in-sync. */
export async function runKafkaPlan(flags: KafkaFlags, mode: 'plan' | 'drift'): Promise<number> {
  const out = outputFor(flags);
  const k = await ops();
  const desired = k.loadDesiredState({ distDir: distDir(flags, out), env: flags.env, cluster: flags.cluster });
  const connection = k.resolveConnection(flags);
  const target = k.describeConnection(connection);
  return withCluster(connection, out, async (live) => {
    const lp = await k.planLive(live, desired, { prune: flags.prune, allowDenyRemoval: flags.allowDenyRemoval });
    if (flags.output === 'json') process.stdout.write(JSON.stringify(k.planJson(lp, target), null, 2) + '\n');
    else for (const line of mode === 'plan' ? k.renderPlan(lp, { verbose: out.verbose, target }) : k.renderDrift(lp, { target })) out.info(line);
    return mode === 'drift' && k.planVerdict(lp.plan) !== 'in-sync' ? 1 : 0;
  });
}

/** A progress bar per apply step on a terminal. */
function progress(enabled: boolean): { onEvent: (e: KafkaApplyEvent) => void; stop: () => void } {
  let bar: SingleBar | undefined;
  const onEvent = (e: KafkaApplyEvent) => {
    if (!enabled || e.step === 'verify' || e.step === 'record-state') return;
    if (e.type === 'step-start') {
      const { SingleBar: Bar } = require('cli-progress') as typeof import('cli-progress');
      bar = new Bar({ format: `  ${STEP_LABEL[e.step].padEnd(18)} [{bar}] {value}/{total} {duration_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: false });
      bar.start(e.total, 0);
    } else if (e.type === 'step-progress') bar?.update(e.done);
    else {
      bar?.update(e.done);
      bar?.stop();
      bar = undefined;
    }
  };
  return { onEvent, stop: () => bar?.stop() };
}

/** `synth kafka apply`. Returns the exit code (1 when the cluster still differs from dist afterwards). */
export async function runKafkaApply(flags: KafkaFlags): Promise<number> {
  const out = outputFor(flags);
  const k = await ops();
  const json = flags.output === 'json';
  const desired = k.loadDesiredState({ distDir: distDir(flags, out), env: flags.env, cluster: flags.cluster });
  const connection = k.resolveConnection(flags);
  const target = k.describeConnection(connection);
  const batchSize = flags.batchSize !== undefined ? Number(flags.batchSize) : undefined;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) throw new DataOpsError(`--batch-size: '${flags.batchSize}' is not a positive integer`);
  const bar = progress(!json && !flags.quiet && process.stderr.isTTY === true);
  try {
    return await withCluster(connection, out, async (live) => {
      const options = { prune: flags.prune, allowDenyRemoval: flags.allowDenyRemoval };
      const planned = await k.planLive(live, desired, options);
      if (!json) for (const line of k.renderPlan(planned, { verbose: out.verbose, target })) out.info(line);
      const result = await k.applyLive(live, desired, { ...options, planned, batchSize, onEvent: bar.onEvent });
      if (json) process.stdout.write(JSON.stringify(k.applyJson(result, target), null, 2) + '\n');
      else for (const line of k.renderApply(result)) out.info(line);
      return k.planVerdict(result.after.plan) === 'in-sync' ? 0 : 1;
    });
  } finally {
    bar.stop();
  }
}

/** `synth kafka import`. */
export async function runKafkaImport(flags: KafkaImportFlags): Promise<number> {
  const out = outputFor(flags);
  const k = await ops();
  const given = flags.file ?? flags.out;
  if (given === undefined) throw new DataOpsError('synth kafka import: --file <file.ts> is required (the TypeScript file to write)');
  if (flags.file === undefined) out.error('--out is deprecated for import (it names the output folder in every other command): use --file');
  const file = path.resolve(given);
  if (fs.existsSync(file) && !flags.force) throw new DataOpsError(`${given} exists; pass --force to overwrite it`);
  let include: RegExp | undefined;
  if (flags.include !== undefined) {
    try {
      include = new RegExp(flags.include);
    } catch (e) {
      throw new DataOpsError(`--include: invalid regular expression (${(e as Error).message})`);
    }
  }
  const connection = k.resolveConnection(flags);
  const result = await withCluster(connection, out, (live) => k.importCluster(live, {
    include, env: flags.env, clusterName: flags.cluster, namespace: flags.namespace, bootstrap: connection.brokers.join(','), pipelines: flags.pipelines,
  }));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, result.code);
  fs.renameSync(tmp, file);
  out.info(`${pc.green('✔')} wrote ${path.relative(process.cwd(), file) || file}: ${result.topics} topic(s), ${result.users} user(s), ${result.acls} ACL binding(s)`);
  if (result.findings.length > 0) {
    out.info(`${pc.yellow('!')} ${result.findings.length} setting(s) imported as found that deserve a look:`);
    for (const f of result.findings) out.info(`  - ${f}`);
  }
  if (result.skipped.length > 0) {
    out.info(`${pc.yellow('!')} ${result.skipped.length} item(s) could not be expressed and are comments in the file:`);
    for (const s of result.skipped.slice(0, out.verbose ? undefined : 20)) out.info(`  - ${s}`);
  }
  return 0;
}

/** Registers `synth kafka ...` (one line in synth/cli.ts). */
export function registerKafka(program: Command, _common: unknown, setCode: (code: number) => void): void {
  const kafka = program.command('kafka').description('Plan, apply, check drift and import against a live Kafka cluster (the pull model, kafkajs)');
  const denyOption = () => new Option('--allow-deny-removal', 'let --prune delete DENY bindings (deleting a DENY widens access)');
  desiredFlags(kafka.command('plan'))
    .description('Show what apply would change on the cluster to match dist, and what would still differ (exit 0)')
    .option('--prune', 'plan the deletion of objects removed from dist that were recorded as removable')
    .addOption(denyOption())
    .action(async (flags: KafkaFlags) => setCode(await runKafkaPlan(flags, 'plan')));
  desiredFlags(kafka.command('apply'))
    .description('Change the cluster to match dist: create topics, add partitions, change configs, create ACLs (deletes only with --prune); ' +
      'exit 1 when the cluster still differs afterwards')
    .option('--prune', 'also delete objects removed from dist that cdk8s-dataops created, or that are marked RemovalPolicy.DESTROY')
    .addOption(denyOption())
    .option('--batch-size <n>', 'items per request (default 500; new topics: as many per CreateTopics as 5,000 partitions and 5,000 metadata records allow)')
    .action(async (flags: KafkaFlags) => setCode(await runKafkaApply(flags)));
  desiredFlags(kafka.command('drift'))
    .description('Exit 1 and list the differences when the cluster differs from dist; 0 when in sync')
    .action(async (flags: KafkaFlags) => setCode(await runKafkaPlan(flags, 'drift')));
  connectionFlags(kafka.command('import'))
    .description("Generate TypeScript declaring an existing cluster's topics (non-default configs) and ACLs with cdk8s-dataops constructs")
    .option('--file <file>', 'the TypeScript file to write')
    .addOption(new Option('--out <file>', 'deprecated: use --file').hideHelp())
    .option('--include <regex>', 'only topics (and topic ACLs) whose name matches')
    .option('--env <name>', 'the Environment to declare them in', 'prod')
    .option('--cluster <name>', 'the Strimzi cluster name (strimzi.io/cluster)', 'main')
    .option('--namespace <name>', 'the namespace of the Kafka objects', 'kafka')
    .option('--no-pipelines', 'do not group topics into Pipelines by name prefix')
    .option('--force', 'overwrite the file if it exists')
    .action(async (flags: KafkaImportFlags) => setCode(await runKafkaImport(flags)));
}
