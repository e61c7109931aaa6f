import * as fs from 'node:fs';
import * as path from 'node:path';
import { AggregateDataOpsError, DataOpsError } from '../errors';
import { DataPlatform, Environment } from '../platform';
import { artifactContext, Artifacts } from './artifacts';
import { collectObjects } from './collect';
import { MANIFESTS_DIR } from './layout';
import { renderManifests, Sharding } from './shards';
import { KubeObject, SynthesizedObject } from './manifest';
import { PreviousOutput, readPreviousObject } from './previous';
import { outputRules, ruleApplies } from './rules';
import { compareOutput, OutputComparison, readOwnedFiles, writeOutput, WriteResult } from './writer';

/** Options of {@link synthesizePlatform}. */
export interface SynthesizeOptions {
  /** Output folder. @default - the platform's outdir */
  readonly outdir?: string;
  /** Only these environments (other environments' files are left as they are). @default - all */
  readonly environments?: readonly string[];
}

/** The result of synthesizing a platform in memory; nothing is written until `write()`. */
export class Synthesis {
  /** Every Kubernetes object, with its environment, construct path and file. */
  public readonly objects: readonly SynthesizedObject[];
  /** Every file the platform produces (manifests and artifacts): path relative to outdir → content. */
  public readonly files: ReadonlyMap<string, string>;
  /** The output folder. */
  public readonly outdir: string;

  constructor(outdir: string, objects: readonly SynthesizedObject[], files: ReadonlyMap<string, string>) {
    this.outdir = outdir;
    this.objects = objects;
    this.files = files;
  }

  /** Writes the output folder atomically. */
  public write(): WriteResult {
    return writeOutput(this.outdir, this.files);
  }

  /** Compares with the output folder on disk, writing nothing. */
  public compare(): OutputComparison {
    return compareOutput(this.outdir, this.files);
  }
}

/**
 * Synthesizes a platform: validates constructs, resolves objects, runs output rules (including rules that
 * compare with what the output folder holds now), renders deterministic YAML and artifacts. Throws a
 * DataOpsError listing every problem; on error nothing is written.
 */
export function synthesizePlatform(platform: DataPlatform, options: SynthesizeOptions = {}): Synthesis {
  const outdir = path.resolve(options.outdir ?? platform.outdir);
  const objects = PreviousOutput._during(platform, outdir, () => collectObjects(platform, { environments: options.environments }));
  checkRules(objects, outdir);

  const { files, shards } = renderManifests(objects, Sharding.budgetOf(platform));
  Artifacts.render(platform, artifactContext(outdir, objects, shards), files);
  if (options.environments) keepOtherEnvironments(outdir, files, options.environments);
  return new Synthesis(outdir, objects, files);
}

DataPlatform._writer = (platform) => {
  synthesizePlatform(platform).write();
};

/** Synthesizes one environment in memory (used by the testing helpers). */
export function synthesizeEnvironment(env: Environment): SynthesizedObject[] {
  const objects = collectObjects(env);
  checkRules(objects, undefined);
  return objects;
}

function checkRules(objects: readonly SynthesizedObject[], outdir: string | undefined): void {
  const rules = outputRules();
  const errors: DataOpsError[] = [];
  let owned: ReadonlySet<string> | undefined;
  for (const o of objects) {
    let previous: KubeObject | null | undefined; // undefined: not read yet, null: none
    for (const rule of rules) {
      if (!ruleApplies(rule, o.object.kind)) continue;
      for (const problem of rule.check?.(o) ?? []) errors.push(new DataOpsError(`${problem} [${rule.id}]`, { constructPath: o.constructPath }));
      if (rule.checkAgainstPrevious && outdir) {
        if (previous === undefined) previous = readPreviousObject(outdir, o.file, (owned ??= readOwnedFiles(outdir))) ?? null;
        if (previous) {
          for (const problem of rule.checkAgainstPrevious(o, previous)) {
            errors.push(new DataOpsError(`${problem} [${rule.id}]`, { constructPath: o.constructPath }));
          }
        }
      }
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateDataOpsError(errors);
}

/** With --env, the files of environments not synthesized stay as they are (and stay owned). */
function keepOtherEnvironments(outdir: string, files: Map<string, string>, environments: readonly string[]): void {
  for (const rel of readOwnedFiles(outdir)) {
    if (files.has(rel)) continue;
    const parts = rel.split('/');
    if (parts[0] === MANIFESTS_DIR && parts.length > 2 && !environments.includes(parts[1])) {
      try {
        files.set(rel, fs.readFileSync(path.join(outdir, rel), 'utf8'));
      } catch {
        // owned but gone: nothing to keep
      }
    }
  }
}
