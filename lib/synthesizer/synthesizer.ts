import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataPlatform, Environment } from '../platform';
import { artifactContext, Artifacts } from './artifacts';
import { collectObjects } from './collect';
import { MANIFESTS_DIR } from './layout';
import { renderManifests, Sharding } from './shards';
import { PolicyReport } from '../policy/report';
import { SynthesizedObject } from './manifest';
import { PreviousOutput } from './previous';
import { addPolicyReports, checkPolicies } from './rules';
import { FileStates } from './file-states';
import { RenderCache } from './yaml';
import { compareOutput, OutputComparison, readOwnedFiles, writeOutput, WriteResult } from './writer';

/** Options of {@link synthesizePlatform}. */
export interface SynthesizeOptions {
  /** Output folder. @default - the platform's outdir */
  readonly outdir?: string;
  /** Only these environments (other environments' files are left as they are). @default - all */
  readonly environments?: readonly string[];
  /**
   * `enforce`: unacknowledged error findings of the policy packs throw (synth, synth --check). `report`: they are only
   * on {@link Synthesis.policy} (synth diff, synth policy). @default 'enforce'
   */
  readonly policy?: 'enforce' | 'report';
}

/** The result of synthesizing a platform in memory; nothing is written until `write()`. */
export class Synthesis {
  /** Every Kubernetes object, with its environment, construct path and file. */
  public readonly objects: readonly SynthesizedObject[];
  /** Every file the platform produces (manifests and artifacts): path relative to outdir → content. */
  public readonly files: ReadonlyMap<string, string>;
  /** The output folder. */
  public readonly outdir: string;
  /** The policy evaluation (findings, acknowledged ones included). */
  public readonly policy: PolicyReport;

  constructor(outdir: string, objects: readonly SynthesizedObject[], files: ReadonlyMap<string, string>, policy: PolicyReport) {
    this.outdir = outdir;
    this.policy = policy;
    this.objects = objects;
    this.files = files;
  }

  /** Writes the output folder atomically. */
  public write(): WriteResult {
    return writeOutput(this.outdir, this.files, fileStatesOf(this));
  }

  /** Compares with the output folder on disk, writing nothing. */
  public compare(): OutputComparison {
    return compareOutput(this.outdir, this.files, fileStatesOf(this));
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
  const renderings = new RenderCache();
  const states = FileStates.load(outdir);
  const policy = checkPolicies(platform, objects, { outdir, environments: options.environments, renderings, states });
  if (options.policy !== 'report') policy.assertNoBlocking();

  const { files, shards } = renderManifests(objects, Sharding.budgetOf(platform), renderings);
  Artifacts.render(platform, artifactContext(outdir, objects, shards), files);
  addPolicyReports(files, platform, policy, outdir, options.environments);
  if (options.environments) keepOtherEnvironments(outdir, files, options.environments);
  const synthesis = new Synthesis(outdir, objects, files, policy);
  statesOfSyntheses.set(synthesis, states);
  return synthesis;
}

/** The output folder's file states as {@link synthesizePlatform} found them (its policy rules proved files unchanged with them). */
const statesOfSyntheses = new WeakMap<Synthesis, FileStates>();

function fileStatesOf(synthesis: Synthesis): FileStates {
  return statesOfSyntheses.get(synthesis) ?? FileStates.load(synthesis.outdir);
}

/** Synthesizes one environment in memory (used by the testing helpers). */
export function synthesizeEnvironment(env: Environment): SynthesizedObject[] {
  const objects = collectObjects(env);
  checkPolicies(env, objects).assertNoBlocking();
  return objects;
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
