import * as path from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { BUNDLED_CRDS_DIR, FileProblem, formatProblem, Report, SchemaValidator, validateDist } from '../../lib/schema';
import { KubeApi } from '../../lib/schema/server/kube-api';
import { startKubectlProxy } from '../../lib/schema/server/kubectl-proxy';
import { ServerReport, validateOnServer } from '../../lib/schema/server/server-check';
import { collectObjects } from '../../lib/synthesizer/collect';
import { DataPlatform } from '../../lib/platform';
import { DataOpsError } from '../../lib/errors';
import { resolveConfig } from '../config';
import { ExitCode } from '../exit-codes';
import { CommonFlags } from '../flags';
import { loadApp } from '../load-app';
import { Output, seconds } from '../output';

/** Flags of `synth validate`. */
export interface ValidateFlags extends CommonFlags {
  readonly quiet?: boolean;
  readonly verbose?: boolean;
  readonly strictUnknown?: boolean;
  /** false with --no-kustomize */
  readonly kustomize?: boolean;
  readonly crds?: string[];
  readonly json?: boolean;
  /** Also send every object to the cluster of the kubeconfig as a server-side dry run. */
  readonly server?: boolean;
  /** The kubeconfig file for --server. @default - kubectl's ($KUBECONFIG, else ~/.kube/config) */
  readonly kubeconfig?: string;
  /** The kubeconfig context for --server. @default - the current context */
  readonly context?: string;
}

/** Warnings with the same message are listed together; this many of their files are shown unless --verbose. */
const FILES_PER_WARNING = 5;

/** Registers `synth validate` (see the README, "Validating the output"). */
export function registerValidate(program: Command, common: (cmd: Command) => Command, setCode: (code: number) => void): void {
  common(program.command('validate'))
    .description('Check the output folder as it is on disk (nothing is synthesized) the way Kubernetes, Argo CD and Flux ' +
      'will read it: every object against its schema (bundled CRDs, Kubernetes built-in kinds), one object per file, ' +
      'and each environment built with kubectl kustomize as Flux builds it')
    .option('--strict-unknown', 'fail on objects of kinds without a CRD or Kubernetes schema (by default they are warnings)')
    .option('--no-kustomize', 'do not build the environment folders with kubectl kustomize (as Flux would)')
    .option('--crds <dir...>', 'more folders of CRD YAML files, beside the bundled upstream CRDs (a CRD there replaces a bundled one of the same kind)')
    .option('--json', 'print the report as JSON')
    .option('--server', 'also send every object to a real cluster as a server-side apply dry run (dryRun=All, strict field ' +
      'validation): read-only, nothing is stored; reports each rejected object with its file and construct')
    .option('--kubeconfig <file>', 'kubeconfig for --server (default: kubectl\'s, $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context for --server (default: the current context)')
    .action(async (flags: ValidateFlags) => {
      setCode(await runValidate(flags, new Output(flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal')));
    });
}

/**
 * `synth validate`: validates what is on disk in the output folder (it does not synthesize, so it can run in CI
 * after `synth --check`). The folder is `--out`, else the one the app configures. Returns the exit code.
 */
export async function runValidate(flags: ValidateFlags, out: Output): Promise<number> {
  if ((flags.kubeconfig || flags.context) && !flags.server) {
    throw new DataOpsError('--kubeconfig and --context select the cluster of --server; add --server');
  }
  const targets = outputFolders(flags);
  const validator = new SchemaValidator({
    crdDirs: [BUNDLED_CRDS_DIR, ...(flags.crds ?? []).map((d) => path.resolve(d))],
    strictUnknown: flags.strictUnknown,
  });
  const reports: Report[] = [];
  for (const { outdir } of targets) {
    reports.push(await validateDist(outdir, { validator, environments: flags.env, kustomize: flags.kustomize !== false }));
  }
  const server = flags.server ? await runOnServer(flags, targets) : undefined;
  if (flags.json) process.stdout.write(JSON.stringify(server ? { reports, server } : reports, null, 2) + '\n');
  else {
    for (const report of reports) print(report, out);
    for (const report of server ?? []) printServer(report, out);
  }
  const failed = reports.some((r) => r.errors > 0) || (server ?? []).some((r) => r.rejected.length > 0);
  return failed ? ExitCode.CHECK_FAILED : ExitCode.OK;
}

/** A folder to validate, and the platform that writes it when the app was loaded (for construct paths). */
interface Target {
  readonly outdir: string;
  readonly platform?: DataPlatform;
}

/** `--out`, else the app's configured output folder, else each platform's own (the app is loaded, not synthesized). */
function outputFolders(flags: ValidateFlags): Target[] {
  if (flags.out) return [{ outdir: path.resolve(process.cwd(), flags.out) }];
  const config = resolveConfig(process.cwd(), flags);
  if (config.outdir) return [{ outdir: config.outdir }];
  const byOutdir = new Map<string, Target>();
  for (const p of loadApp(config.app)) if (!byOutdir.has(p.outdir)) byOutdir.set(p.outdir, { outdir: p.outdir, platform: p.platform });
  return [...byOutdir.values()];
}

/** `--server`: a server-side dry run of each folder on the kubeconfig's cluster, through `kubectl proxy`. */
async function runOnServer(flags: ValidateFlags, targets: readonly Target[]): Promise<ServerReport[]> {
  const proxy = await startKubectlProxy({ kubeconfig: flags.kubeconfig, context: flags.context });
  try {
    const api = new KubeApi(proxy.endpoint);
    const reports: ServerReport[] = [];
    for (const t of targets) {
      const report = await validateOnServer(t.outdir, api, { environments: flags.env });
      const paths = constructPaths(t.platform ?? platformWriting(t.outdir, flags));
      const withPath = <T extends { file: string }>(f: T) => (paths.has(f.file) ? { ...f, constructPath: paths.get(f.file) } : f);
      reports.push({ ...report, server: flags.context ? `context ${flags.context}` : 'current context', rejected: report.rejected.map(withPath), notChecked: report.notChecked.map(withPath) });
    }
    return reports;
  } finally {
    proxy.stop();
  }
}

/** With --out, the app's platform that writes that folder, if the app can be loaded (only to name constructs). */
function platformWriting(outdir: string, flags: ValidateFlags): DataPlatform | undefined {
  try {
    const platforms = loadApp(resolveConfig(process.cwd(), { app: flags.app }).app);
    return platforms.find((p) => p.outdir === outdir)?.platform ?? (platforms.length === 1 ? platforms[0].platform : undefined);
  } catch {
    return undefined; // no app here: findings name files only
  }
}

/** File (relative to the output folder) → path of the construct that writes it, when the app was loaded. */
function constructPaths(platform: DataPlatform | undefined): Map<string, string> {
  if (!platform) return new Map();
  return new Map(collectObjects(platform).map((o) => [o.file, o.constructPath]));
}

function printServer(report: ServerReport, out: Output): void {
  const relative = path.relative(process.cwd(), report.outdir);
  const shown = relative.startsWith('..') ? report.outdir : relative || '.';
  const name = (f: ServerReport['rejected'][number]) =>
    `${path.join(shown, f.file).split(path.sep).join('/')}${f.constructPath ? ` (${f.constructPath})` : ''}`;
  for (const f of report.rejected) out.error(`${name(f)}: rejected by the API server: ${f.message}`);
  for (const f of report.notChecked) out.info(`${pc.yellow('warning')} ${name(f)}: not checked: ${f.message}`);
  const counts = `${report.objects} object${report.objects === 1 ? '' : 's'} of ${report.environments.join(', ')} on the ${report.server}'s cluster (${report.serverVersion})`;
  const notChecked = report.notChecked.length ? `, ${report.notChecked.length} not checked` : '';
  if (report.rejected.length) out.error(`${shown}: ${report.rejected.length} rejected${notChecked} of ${counts} (${seconds(report.durationMs)})`);
  else out.info(`${pc.green('✔')} ${shown}: ${report.accepted} accepted by a server-side dry run${notChecked}, ${counts} (${seconds(report.durationMs)})`);
}

function print(report: Report, out: Output): void {
  const relative = path.relative(process.cwd(), report.outdir);
  const shown = relative.startsWith('..') ? report.outdir : relative || '.';
  const where = (p: FileProblem) => ({ ...p, file: p.rule === 'schema-source' ? p.file : path.join(shown, p.file).split(path.sep).join('/') });
  for (const p of report.problems) if (p.severity === 'error') out.error(formatProblem(where(p)));

  const warnings = new Map<string, FileProblem[]>();
  for (const p of report.problems) {
    if (p.severity !== 'warning') continue;
    const key = `${p.field ?? ''}\u0000${p.message}`;
    warnings.set(key, [...(warnings.get(key) ?? []), where(p)]);
  }
  for (const list of warnings.values()) {
    const [first] = list;
    if (list.length === 1) {
      out.info(`${pc.yellow('warning')} ${formatProblem(first)}`);
      continue;
    }
    out.info(`${pc.yellow('warning')} ${first.field ? `${first.field}: ` : ''}${first.message} (${list.length} objects)`);
    const limit = out.verbose ? list.length : FILES_PER_WARNING;
    for (const p of list.slice(0, limit)) out.info(`    ${p.object && p.object.index > 0 ? `${p.file}#${p.object.index + 1}` : p.file}`);
    if (list.length > limit) out.info(`    ... and ${list.length - limit} more (--verbose lists them all)`);
  }

  const envs = `${report.environments.length} environment${report.environments.length === 1 ? '' : 's'}` +
    (report.environments.length ? ` (${report.environments.join(', ')})` : '');
  const built = report.kustomize ? `, kubectl kustomize built ${report.kustomize.reduce((n, b) => n + b.objects, 0)} objects` : ', kustomize build skipped';
  const warned = report.warnings ? `, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}` : '';
  const counts = `${report.objects} object${report.objects === 1 ? '' : 's'} in ${report.files} file${report.files === 1 ? '' : 's'}, ${envs}`;
  if (report.errors > 0) {
    out.error(`${shown}: ${report.errors} error${report.errors === 1 ? '' : 's'}${warned} in ${counts} (${seconds(report.durationMs)})`);
  } else {
    out.info(`${pc.green('✔')} ${shown}: ${counts} valid${built}${warned} (${seconds(report.durationMs)})`);
  }
}
