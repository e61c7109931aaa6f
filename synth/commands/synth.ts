import * as path from 'node:path';
import pc from 'picocolors';
import { SynthesizedObject } from '../../lib/synthesizer/manifest';
import { synthesizePlatform } from '../../lib/synthesizer/synthesizer';
import { resolveConfig } from '../config';
import { ExitCode } from '../exit-codes';
import { CommonFlags } from '../flags';
import { loadApp } from '../load-app';
import { Output, seconds } from '../output';
import { Recording, ReplayCache } from '../replay/replay-cache';
import { printPolicySummary } from './policy';

/** Flags of `synth`. */
export interface SynthFlags extends CommonFlags {
  /** Write nothing; exit 1 when dist is stale. @default false */
  readonly check?: boolean;
  /** `--no-cache` (false): run the app even when a recorded run could be replayed. @default true */
  readonly cache?: boolean;
}

/** The line a replayed run ends with. */
const REPLAYED = '  replayed: nothing the run read has changed since it last ran (--no-cache runs the app)';

/**
 * `synth` and `synth --check`. Returns the exit code. A run that changed nothing is recorded, and replayed by the next
 * run with the same command line while nothing it read has changed (see {@link ReplayCache}); `--no-cache` runs the app.
 */
export function runSynth(flags: SynthFlags, out: Output): number {
  const started = performance.now();
  const elapsed = () => seconds(performance.now() - started);
  if (flags.cache === false) return synthesize(flags, out, elapsed).code;
  const cache = ReplayCache.near(process.cwd(), { app: flags.app, out: flags.out, env: flags.env, check: !!flags.check, quiet: !!flags.quiet, verbose: !!flags.verbose });
  if (cache.replay(elapsed)) {
    out.info(REPLAYED);
    return ExitCode.OK;
  }
  const recording = cache.record();
  let result: { code: ExitCode; steady: boolean };
  try {
    result = synthesize(flags, out, elapsed, recording);
  } catch (e) {
    recording.abandon();
    throw e;
  }
  const why = recording.finish(result.steady && result.code === ExitCode.OK);
  if (why !== undefined && result.steady) out.detail(`  not recorded for replay: ${why}`);
  return result.code;
}

/** One run of the app: synthesizes, then writes (or compares); `steady` when nothing needed to change. */
function synthesize(flags: SynthFlags, out: Output, elapsed: () => string, recording?: Recording): { code: ExitCode; steady: boolean } {
  const config = resolveConfig(process.cwd(), flags);
  const platforms = loadApp(config.app, config.outdir);
  let code: ExitCode = ExitCode.OK;
  let steady = true;
  for (const { outdir } of platforms) recording?.outputFolder(outdir);
  for (const { platform, outdir } of platforms) {
    const synthesis = synthesizePlatform(platform, { outdir, environments: flags.env });
    const shown = path.relative(process.cwd(), outdir) || '.';
    if (flags.check) {
      const cmp = synthesis.compare();
      if (cmp.upToDate) {
        out.info(`${pc.green('✔')} ${shown} is up to date (${synthesis.files.size} files)`);
        continue;
      }
      code = ExitCode.CHECK_FAILED;
      steady = false;
      out.error(`${shown} is stale: it differs from what the code produces. Run 'npx synth' and commit the result.`);
      for (const f of cmp.added) out.info(`  ${pc.green('missing ')} ${f}`);
      for (const f of cmp.changed) out.info(`  ${pc.yellow('changed ')} ${f}`);
      for (const f of cmp.removed) out.info(`  ${pc.red('obsolete')} ${f}`);
      if (cmp.added.length + cmp.changed.length + cmp.removed.length === 0) out.info(`  ${pc.yellow('changed ')} ${'.cdk8s-dataops.json (the ownership index)'}`);
      continue;
    }
    const result = synthesis.write();
    if (result.written.length > 0 || result.removed.length > 0) steady = false;
    const time = elapsed();
    out.info(`${pc.green('✔')} synthesized ${describeEnvironments(platform.environments.map((e) => e.name).filter((e) => !flags.env || flags.env.includes(e)))} into ${shown} in ${time}`);
    recording?.markTime(time);
    for (const line of objectsPerKind(synthesis.objects)) out.info(`  ${line}`);
    if (synthesis.policy.findings.length > 0 || synthesis.files.has('reports/policy.json')) printPolicySummary(synthesis.policy, out);
    out.info(`  files: ${result.written.length} written, ${result.unchanged.length} unchanged, ${result.removed.length} removed` +
      (result.foreign.length ? `, ${result.foreign.length} not ours (kept)` : ''));
    for (const f of result.written) out.detail(`  wrote   ${f}`);
    for (const f of result.removed) out.detail(`  removed ${f}`);
  }
  return { code, steady };
}

function describeEnvironments(envs: readonly string[]): string {
  return `${envs.length} environment${envs.length === 1 ? '' : 's'} (${envs.join(', ') || 'none'})`;
}

/** `prod: 12 objects (KafkaTopic 6, KafkaUser 4, Deployment 2)` per environment. */
export function objectsPerKind(objects: readonly SynthesizedObject[]): string[] {
  const byEnv = new Map<string, Map<string, number>>();
  for (const o of objects) {
    const kinds = byEnv.get(o.environment) ?? new Map<string, number>();
    kinds.set(o.object.kind, (kinds.get(o.object.kind) ?? 0) + 1);
    byEnv.set(o.environment, kinds);
  }
  return [...byEnv].map(([env, kinds]) => {
    const total = [...kinds.values()].reduce((a, b) => a + b, 0);
    const parts = [...kinds].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `${k} ${n}`);
    return `${env}: ${total} object${total === 1 ? '' : 's'} (${parts.join(', ')})`;
  });
}
