import * as path from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { BUNDLED_CRDS_DIR, FileProblem, formatProblem, Report, SchemaValidator, validateDist } from '../../lib/schema';
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
    .action(async (flags: ValidateFlags) => {
      setCode(await runValidate(flags, new Output(flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal')));
    });
}

/**
 * `synth validate`: validates what is on disk in the output folder (it does not synthesize, so it can run in CI
 * after `synth --check`). The folder is `--out`, else the one the app configures. Returns the exit code.
 */
export async function runValidate(flags: ValidateFlags, out: Output): Promise<number> {
  const outdirs = outputFolders(flags);
  const validator = new SchemaValidator({
    crdDirs: [BUNDLED_CRDS_DIR, ...(flags.crds ?? []).map((d) => path.resolve(d))],
    strictUnknown: flags.strictUnknown,
  });
  const reports: Report[] = [];
  for (const outdir of outdirs) {
    reports.push(await validateDist(outdir, { validator, environments: flags.env, kustomize: flags.kustomize !== false }));
  }
  if (flags.json) process.stdout.write(JSON.stringify(reports, null, 2) + '\n');
  else for (const report of reports) print(report, out);
  return reports.some((r) => r.errors > 0) ? ExitCode.CHECK_FAILED : ExitCode.OK;
}

/** `--out`, else the app's configured output folder, else each platform's own (the app is loaded, not synthesized). */
function outputFolders(flags: ValidateFlags): string[] {
  if (flags.out) return [path.resolve(process.cwd(), flags.out)];
  const config = resolveConfig(process.cwd(), flags);
  if (config.outdir) return [config.outdir];
  return [...new Set(loadApp(config.app).map((p) => p.outdir))];
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
