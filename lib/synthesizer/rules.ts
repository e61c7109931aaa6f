import * as fs from 'node:fs';
import * as path from 'node:path';
import { IConstruct } from 'constructs';
import { DataPlatform, Environment } from '../platform';
import { ChangeDetector, changeDetector } from '../policy/change';
import { evaluatePolicies } from '../policy/evaluate';
import { renderPolicyJson } from '../policy/json-report';
import { PolicyPack } from '../policy/pack';
import { Policies } from '../policy/policies';
import { PolicyReport } from '../policy/report';
import { objectRule, RuleLevel } from '../policy/rule';
import { renderPolicySarif } from '../policy/sarif-report';
import { applyScannerSkips } from '../policy/scanner-skips';
import { KubeObject, SynthesizedObject } from './manifest';
import { FileStates } from './file-states';
import { readPreviousObject } from './previous';
import { RenderCache } from './yaml';
import { readOwnedFiles } from './writer';

/*
 * The synthesizer's side of the policy engine: its own output rules (what no dist may contain, whatever the
 * constructs), and the evaluation step of a synthesis. Domain rules come from the packs the platform uses and the
 * packs its constructs require (Policies.require); nothing is registered by importing a module.
 */

/** Secrets never appear in dist (DESIGN.md): values come from ExternalSecret or SealedSecret. */
export const NO_PLAINTEXT_SECRET = objectRule({
  id: 'DOP-SECRETS-001',
  level: RuleLevel.ERROR,
  description: 'No Kubernetes Secret with values in the output',
  rationale: 'dist is committed to Git and read by every GitOps tool: a Secret there publishes its values to everyone with read access, forever (Git history).',
  remediation: 'Use Secrets.fromExternal (an ExternalSecret that copies the value from a store) or Secrets.fromSealed (a SealedSecret encrypted for the cluster).',
  acknowledgeable: false,
  scanners: { checkov: ['CKV_SECRET_6'] },
  kinds: ['Secret'],
  evaluate: ({ object }) => {
    if (object.apiVersion !== 'v1') return [];
    const keys = ['data', 'stringData'].filter((k) => object[k] !== undefined && Object.keys(object[k] as object).length > 0);
    return keys.length === 0 ? [] : [{
      message: `Secret '${object.metadata.name}' carries plaintext values in '${keys.join("' and '")}'; secret values never go to Git. ` +
        'Use Secrets.fromExternal (ExternalSecret) or Secrets.fromSealed (SealedSecret) instead',
    }];
  },
});

/** Deleting an object from the code deletes it from the cluster when the GitOps tool prunes. */
export const OBJECT_DELETED = changeDetector({
  id: 'DOP-OUTPUT-101',
  level: RuleLevel.WARNING,
  description: 'An object is removed from the output',
  rationale: 'Argo CD and Flux prune objects that disappear from Git (unless the object says Prune=false): the thing in the cluster is deleted.',
  remediation: 'Make sure the deletion is intended; keep objects that hold data with RemovalPolicy.RETAIN.',
  kinds: '*',
  detect: (c) => {
    if (c.type !== 'removed') return [];
    const annotations = c.before?.metadata.annotations ?? {};
    if (annotations['argocd.argoproj.io/sync-options']?.includes('Prune=false') || annotations['kustomize.toolkit.fluxcd.io/prune'] === 'disabled') {
      return [`${c.kind} '${c.name}' leaves the output but carries Prune=false: Argo CD and Flux leave it in the cluster, orphaned (no longer managed), not deleted; delete it by hand if it should go`];
    }
    return [`${c.kind} '${c.name}' is deleted from the cluster when the GitOps tool prunes`];
  },
});

/** The synthesizer's own pack: applies to every platform. */
export const OUTPUT_PACK: PolicyPack = {
  name: 'output',
  description: 'What no output may contain, whatever the constructs',
  rules: [NO_PLAINTEXT_SECRET],
  detectors: [OBJECT_DELETED],
};

/** Options of {@link checkPolicies}. */
export interface CheckPoliciesOptions {
  /** The output folder as it is on disk (for rules about history). @default - none: in-memory synthesis */
  readonly outdir?: string;
  /** Only these environments. @default - all */
  readonly environments?: readonly string[];
  /** The synthesis's renderings (shared with the manifests, so that each object is rendered once). @default - its own */
  readonly renderings?: RenderCache;
  /** The output folder's file states (shared with the writer, so that a file proven unchanged is not looked at twice). @default - its own */
  readonly states?: FileStates;
}

/**
 * The evaluation step of a synthesis: the output pack, the packs of the platform and its environments and the
 * packs required by its constructs, judged in one pass. Source paths are relative to the repository root (the
 * nearest folder above the output with a `.git`), else the current directory.
 */
export function checkPolicies(scope: DataPlatform | Environment, objects: readonly SynthesizedObject[], options: CheckPoliciesOptions = {}): PolicyReport {
  ensureOutputPack(scope);
  const outdir = options.outdir;
  let owned: ReadonlySet<string> | undefined;
  let states = options.states;
  const renderings = options.renderings ?? new RenderCache();
  const previous = outdir === undefined ? undefined : (o: SynthesizedObject): KubeObject | undefined =>
    readPreviousObject(outdir, o.file, (owned ??= readOwnedFiles(outdir)), o.object, (states ??= FileStates.load(outdir)), renderings);
  const report = evaluatePolicies(scope, objects, { environments: options.environments, previous, root: repositoryRoot(outdir) });
  // Acknowledged findings of rules mapped to Checkov / kube-linter checks: those scanners' skip annotations, with the reason.
  for (const changed of applyScannerSkips(objects, report)) renderings.forget(changed.object);
  return report;
}

/** The change detectors of the packs a platform uses (for `synth diff`), output pack first. */
export function changeDetectorsOf(scope: DataPlatform | Environment): ChangeDetector[] {
  ensureOutputPack(scope);
  const packs = [...(Policies._peek(scope.node.root)?.packs ?? []), ...(scope instanceof Environment ? Policies._peek(scope)?.packs ?? [] : [])];
  const out: ChangeDetector[] = [];
  for (const pack of packs) for (const d of pack.detectors ?? []) if (!out.includes(d)) out.push(d);
  return out;
}

function ensureOutputPack(scope: IConstruct): void {
  Policies.require(scope, OUTPUT_PACK);
}

/** The folder that holds `.git` above `dir` (or the current directory when there is none). */
export function repositoryRoot(dir: string | undefined): string {
  for (let d = path.resolve(dir ?? process.cwd()); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return process.cwd();
  }
}

/** Where the policy reports go in the output folder. */
export const POLICY_REPORT_FILES = { json: 'reports/policy.json', sarif: 'reports/policy.sarif' } as const;

/**
 * Adds `reports/policy.json` and `reports/policy.sarif` to the files of a synthesis, when the platform (or one of its
 * environments) chose a pack with `Policies.of(...).add`. With `environments` (a partial synthesis, `--env`) the
 * reports of the last full synthesis are kept as they are.
 */
export function addPolicyReports(files: Map<string, string>, platform: DataPlatform, report: PolicyReport, outdir: string, environments?: readonly string[]): void {
  const chosen = [platform, ...platform.environments].some((s) => (Policies._peek(s)?.chosenPacks.length ?? 0) > 0);
  if (!chosen) return;
  if (environments) {
    for (const rel of Object.values(POLICY_REPORT_FILES)) {
      try {
        files.set(rel, fs.readFileSync(path.join(outdir, rel), 'utf8'));
      } catch {
        // none yet
      }
    }
    return;
  }
  const distDir = path.relative(repositoryRoot(outdir), outdir).split(path.sep).join('/');
  files.set(POLICY_REPORT_FILES.json, renderPolicyJson(report));
  files.set(POLICY_REPORT_FILES.sarif, renderPolicySarif(report, { distDir, rulesHelpUri: 'docs/rules.md' }));
}
