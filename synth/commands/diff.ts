import * as path from 'node:path';
import pc from 'picocolors';
import { diffObjects, ObjectChange } from '../../lib/synthesizer/diff';
import { MANIFESTS_DIR } from '../../lib/synthesizer/layout';
import { changeDetectorsOf } from '../../lib/synthesizer/rules';
import { KubeObject } from '../../lib/synthesizer/manifest';
import { synthesizePlatform } from '../../lib/synthesizer/synthesizer';
import { parseYamlDocuments } from '../../lib/synthesizer/yaml';
import { resolveConfig } from '../config';
import { ExitCode } from '../exit-codes';
import { CommonFlags } from '../flags';
import { readTreeAt } from '../git';
import { loadApp } from '../load-app';
import { Output } from '../output';

/** Flags of `synth diff`. */
export interface DiffFlags extends CommonFlags {
  /** Git revision to compare with. @default 'HEAD' */
  readonly base?: string;
  /** Print the changes as JSON. @default false */
  readonly json?: boolean;
  /** Exit 1 when a change is destructive. @default false */
  readonly failOnDestructive?: boolean;
}

/** `synth diff`: what the code changes compared with the dist committed at `--base`. Returns the exit code. */
export function runDiff(flags: DiffFlags, out: Output): number {
  const base = flags.base ?? 'HEAD';
  const config = resolveConfig(process.cwd(), flags);
  const platforms = loadApp(config.app, config.outdir);
  const all: ObjectChange[] = [];
  for (const { platform, outdir } of platforms) {
    // Policy errors do not stop a diff: a partition decrease is listed as destructive, not thrown.
    const synthesis = synthesizePlatform(platform, { outdir, environments: flags.env, policy: 'report' });
    const inEnv = (file: string) => !flags.env || flags.env.includes(file.split('/')[1]);
    const after = new Map<string, KubeObject>();
    for (const o of synthesis.objects) after.set(o.file, o.object);
    const before = new Map<string, KubeObject>();
    for (const [file, text] of readTreeAt(outdir, base)) {
      if (!file.startsWith(`${MANIFESTS_DIR}/`) || !/\.(ya?ml|json)$/.test(file) || !inEnv(file)) continue;
      const doc = parseYamlDocuments(text, file)[0] as KubeObject | undefined;
      if (doc) before.set(file, doc);
    }
    const paths = new Map(synthesis.objects.map((o) => [o.file, o.constructPath]));
    const changes = diffObjects(before, after, changeDetectorsOf(platform), (f) => paths.get(f));
    all.push(...changes);
    if (!flags.json) printChanges(changes, path.relative(process.cwd(), outdir) || '.', base, out);
  }
  if (flags.json) process.stdout.write(JSON.stringify(all.map(({ before: _b, after: _a, ...c }) => c), null, 2) + '\n');
  return flags.failOnDestructive && all.some((c) => c.destructive.length > 0) ? ExitCode.CHECK_FAILED : ExitCode.OK;
}

function printChanges(changes: readonly ObjectChange[], shown: string, base: string, out: Output): void {
  if (changes.length === 0) {
    out.info(`${pc.green('✔')} no changes to ${shown} since ${base}`);
    return;
  }
  const destructive = changes.filter((c) => c.destructive.length > 0);
  out.info(`${shown} compared with ${base}: ${changes.length} object(s) change` +
    (destructive.length ? `, ${pc.red(pc.bold(`${destructive.length} destructive`))}` : ''));
  for (const c of changes) {
    const mark = c.type === 'added' ? pc.green('+') : c.type === 'removed' ? pc.red('-') : pc.yellow('~');
    out.info(`${mark} ${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}  ${pc.dim(c.file)}`);
    for (const f of c.findings) out.info(`    ${pc.red('DESTRUCTIVE')} [${f.ruleId}] ${f.message}`);
    for (const f of c.fields) out.info(`    ${f.path}: ${show(f.before)} → ${show(f.after)}`);
  }
}

function show(v: unknown): string {
  if (v === undefined) return pc.dim('(none)');
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
