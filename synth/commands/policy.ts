import * as path from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { renderPolicySummary } from '../../lib/policy/text-report';
import { PolicyReport } from '../../lib/policy/report';
import { synthesizePlatform } from '../../lib/synthesizer/synthesizer';
import { resolveConfig } from '../config';
import { ExitCode } from '../exit-codes';
import { CommonFlags, outputFor } from '../flags';
import { loadApp } from '../load-app';
import { Output } from '../output';

/** Flags of `synth policy`. */
export interface PolicyFlags extends CommonFlags {
  /** Print the findings as JSON. @default false */
  readonly json?: boolean;
}

/** Registers `synth policy`. */
export function registerPolicy(program: Command, common: (cmd: Command) => Command, setCode: (code: number) => void): void {
  common(program.command('policy'))
    .description('Evaluate the policy packs and print the findings (acknowledged ones with their reason), writing nothing; exit 2 on an unacknowledged error')
    .option('--json', 'print the findings as JSON')
    .action((flags: PolicyFlags) => setCode(runPolicy(flags, outputFor(flags))));
}

/** `synth policy`: evaluates and prints, writes nothing. Returns the exit code. */
export function runPolicy(flags: PolicyFlags, out: Output): number {
  const config = resolveConfig(process.cwd(), flags);
  const platforms = loadApp(config.app, config.outdir);
  const reports: PolicyReport[] = [];
  for (const { platform, outdir } of platforms) {
    const started = performance.now();
    const synthesis = synthesizePlatform(platform, { outdir, environments: flags.env, policy: 'report' });
    reports.push(synthesis.policy);
    if (flags.json) continue;
    out.info(`${path.relative(process.cwd(), outdir) || '.'}: evaluated in ${Math.round(performance.now() - started)} ms (synthesis included)`);
    printPolicySummary(synthesis.policy, out);
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(reports.flatMap((r) => r.findings), null, 2)}\n`);
  return reports.some((r) => r.blocking.length > 0) ? ExitCode.INPUT_ERROR : ExitCode.OK;
}

/** The terminal summary, coloured: errors red, warnings yellow, acknowledgements dim. */
export function printPolicySummary(report: PolicyReport, out: Output): void {
  for (const line of renderPolicySummary(report)) {
    if (line.startsWith('ERROR')) out.info(pc.red(line));
    else if (line.startsWith('WARN')) out.info(pc.yellow(line));
    else if (line.startsWith('ACK')) out.info(pc.dim(line));
    else out.info(line);
  }
}
