/**
 * `synth kafka plan|apply|drift|import`: the pull model, for Kafka clusters Strimzi does not run (MSK,
 * Confluent Cloud, Aiven, plain brokers). The desired state is the synthesized dist (KafkaTopic and
 * KafkaUser objects), the same files Argo CD / Flux read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import pc from 'picocolors';
import {
  applyJson, applyLive, KafkaApplyEvent, KafkaApplyStep, KafkaConnectionOptions, describeConnection, planDrift, importCluster, LiveKafka,
  loadDesiredState, planJson, planLive, renderApply, renderDrift, renderPlan, resolveConnection,
} from '../../ops/kafka';
import { DataOpsError } from '../../lib/errors';
import { Output } from '../output';

/** Flags of plan, apply and drift. */
export interface KafkaFlags {
  readonly dist?: string;
  readonly env?: string;
  readonly cluster?: string;
  readonly bootstrap?: string;
  readonly config?: string;
  readonly output?: 'text' | 'json';
  readonly prune?: boolean;
  readonly batchSize?: string;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
}

/** Flags of import. */
export interface KafkaImportFlags {
  readonly bootstrap?: string;
  readonly config?: string;
  readonly out: string;
  readonly include?: string;
  readonly env?: string;
  readonly cluster?: string;
  readonly namespace?: string;
  readonly force?: boolean;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
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

function outputOf(flags: { quiet?: boolean; verbose?: boolean }): Output {
  return new Output(flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal');
}

function connectionFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--bootstrap <host:port>', 'bootstrap server(s), comma-separated (or KAFKA_BOOTSTRAP_SERVERS)'))
    .addOption(new Option('--config <file>', 'JSON connection file: { bootstrap, sasl: { mechanism, username, password }, ssl, clientId }; ' +
      'KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE take precedence'))
    .addOption(new Option('-q, --quiet', 'print errors only'))
    .addOption(new Option('-v, --verbose', 'print every unmanaged object and kafkajs warnings'));
}

function desiredFlags(cmd: Command): Command {
  return connectionFlags(cmd)
    .addOption(new Option('--dist <dir>', 'the synthesized output folder').default('dist'))
    .addOption(new Option('--env <name>', 'environment under dist/manifests (required when there are several)'))
    .addOption(new Option('--cluster <name>', "only objects labelled strimzi.io/cluster=<name> (required when there are several)"))
    .addOption(new Option('--output <format>', 'text or json').choices(['text', 'json']).default('text'));
}

async function connect(connection: KafkaConnectionOptions, out: Output): Promise<LiveKafka> {
  try {
    return await LiveKafka.connect(connection, { log: out.verbose ? (l) => out.detail(l) : undefined });
  } catch (e) {
    throw new DataOpsError(`cannot connect to Kafka at ${describeConnection(connection)}: ${(e as Error).message}`, { cause: e });
  }
}

/** `synth kafka plan` / `drift`. Returns the exit code. */
export async function runKafkaPlan(flags: KafkaFlags, mode: 'plan' | 'drift'): Promise<number> {
  const out = outputOf(flags);
  const desired = loadDesiredState({ distDir: path.resolve(flags.dist ?? 'dist'), env: flags.env, cluster: flags.cluster });
  const connection = resolveConnection(flags);
  const target = describeConnection(connection);
  const live = await connect(connection, out);
  try {
    const lp = await planLive(live, desired, { prune: flags.prune });
    const drift = planDrift(lp.plan);
    if (flags.output === 'json') process.stdout.write(JSON.stringify(planJson(lp, target), null, 2) + '\n');
    else for (const line of mode === 'plan' ? renderPlan(lp, { verbose: out.verbose, target }) : renderDrift(lp, { target })) out.info(line);
    return mode === 'drift' && drift.length > 0 ? 1 : 0;
  } finally {
    await live.disconnect();
  }
}

/** `synth kafka apply`. Returns the exit code (1 when the cluster still differs from dist afterwards). */
export async function runKafkaApply(flags: KafkaFlags): Promise<number> {
  const out = outputOf(flags);
  const json = flags.output === 'json';
  const desired = loadDesiredState({ distDir: path.resolve(flags.dist ?? 'dist'), env: flags.env, cluster: flags.cluster });
  const connection = resolveConnection(flags);
  const target = describeConnection(connection);
  const batchSize = flags.batchSize !== undefined ? Number(flags.batchSize) : undefined;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) throw new DataOpsError(`--batch-size: '${flags.batchSize}' is not a positive integer`);
  const live = await connect(connection, out);
  const tty = !json && !flags.quiet && process.stderr.isTTY === true;
  let bar: SingleBar | undefined;
  const onEvent = (e: KafkaApplyEvent) => {
    if (!tty || e.step === 'verify' || e.step === 'record-state') return;
    if (e.type === 'step-start') {
      bar = new SingleBar({ format: `  ${STEP_LABEL[e.step].padEnd(18)} [{bar}] {value}/{total} {duration_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: false });
      bar.start(e.total, 0);
    } else if (e.type === 'step-progress') bar?.update(e.done);
    else {
      bar?.update(e.done);
      bar?.stop();
      bar = undefined;
    }
  };
  try {
    const planned = await planLive(live, desired, { prune: flags.prune });
    if (!json) for (const line of renderPlan(planned, { verbose: out.verbose, target })) out.info(line);
    const result = await applyLive(live, desired, { prune: flags.prune, planned, batchSize, onEvent });
    if (json) process.stdout.write(JSON.stringify(applyJson(result, target), null, 2) + '\n');
    else for (const line of renderApply(result)) out.info(line);
    const remaining = planDrift(result.after.plan);
    if (remaining.length > 0 && !json) {
      out.info(`${pc.yellow('!')} the cluster still differs from dist in ${remaining.length} way(s):`);
      for (const r of remaining) out.info(`  - ${r}`);
    }
    return remaining.length > 0 ? 1 : 0;
  } finally {
    bar?.stop();
    await live.disconnect();
  }
}

/** `synth kafka import`. */
export async function runKafkaImport(flags: KafkaImportFlags): Promise<number> {
  const out = outputOf(flags);
  const file = path.resolve(flags.out);
  if (fs.existsSync(file) && !flags.force) throw new DataOpsError(`${flags.out} exists; pass --force to overwrite it`);
  let include: RegExp | undefined;
  if (flags.include !== undefined) {
    try {
      include = new RegExp(flags.include);
    } catch (e) {
      throw new DataOpsError(`--include: invalid regular expression (${(e as Error).message})`);
    }
  }
  const connection = resolveConnection(flags);
  const live = await connect(connection, out);
  try {
    const result = await importCluster(live, {
      include, env: flags.env, clusterName: flags.cluster, namespace: flags.namespace, bootstrap: connection.brokers.join(','),
    });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, result.code);
    fs.renameSync(tmp, file);
    out.info(`${pc.green('✔')} wrote ${path.relative(process.cwd(), file) || file}: ${result.topics} topic(s), ${result.users} user(s), ${result.acls} ACL(s)`);
    if (result.skipped.length > 0) {
      out.info(`${pc.yellow('!')} ${result.skipped.length} item(s) could not be expressed and are comments in the file:`);
      for (const s of result.skipped.slice(0, out.verbose ? undefined : 20)) out.info(`  - ${s}`);
    }
    return 0;
  } finally {
    await live.disconnect();
  }
}

/** Registers `synth kafka ...` (one line in synth/cli.ts). */
export function registerKafka(program: Command, _common: unknown, setCode: (code: number) => void): void {
  const kafka = program.command('kafka').description('Plan, apply, check drift and import against a live Kafka cluster (the pull model, kafkajs)');
  desiredFlags(kafka.command('plan'))
    .description('Show what apply would change on the cluster to match dist')
    .option('--prune', 'plan the deletion of objects removed from dist that were recorded as removable')
    .action(async (flags: KafkaFlags) => setCode(await runKafkaPlan(flags, 'plan')));
  desiredFlags(kafka.command('apply'))
    .description('Change the cluster to match dist: create topics, add partitions, change configs, create ACLs (deletes only with --prune)')
    .option('--prune', 'also delete objects removed from dist that were recorded with RemovalPolicy.DESTROY')
    .option('--batch-size <n>', 'items per request', '500')
    .action(async (flags: KafkaFlags) => setCode(await runKafkaApply(flags)));
  desiredFlags(kafka.command('drift'))
    .description('Exit 1 and list the differences when the cluster has drifted from dist; 0 when in sync')
    .action(async (flags: KafkaFlags) => setCode(await runKafkaPlan(flags, 'drift')));
  connectionFlags(kafka.command('import'))
    .description("Generate TypeScript declaring an existing cluster's topics (non-default configs) and ACLs with cdk8s-dataops constructs")
    .requiredOption('--out <file>', 'the TypeScript file to write')
    .option('--include <regex>', 'only topics (and topic ACLs) whose name matches')
    .option('--env <name>', 'the Environment to declare them in', 'prod')
    .option('--cluster <name>', 'the Strimzi cluster name (strimzi.io/cluster)', 'main')
    .option('--namespace <name>', 'the namespace of the Kafka objects', 'kafka')
    .option('--force', 'overwrite --out if it exists')
    .action(async (flags: KafkaImportFlags) => setCode(await runKafkaImport(flags)));
}
