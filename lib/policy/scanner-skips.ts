import { SynthesizedObject } from '../synthesizer/manifest';
import { PolicyReport } from './report';

/**
 * Outside scanners agree with us: when a finding of a rule that maps to Checkov or kube-linter checks
 * ({@link ScannerMappings}) is acknowledged, the object gets those scanners' own skip annotations with the reason, so
 * that a scan of the dist reports the check as skipped (with our reason) instead of failed.
 *
 * - Checkov: `checkov.io/skip<N>: <CHECK_ID>=<reason>` on the object's metadata (Checkov reads every annotation whose
 *   key contains `checkov.io/skip` and splits its value at `=`: checkov/kubernetes/kubernetes_utils.py,
 *   `SKIP_ANNOTATION_PREFIXES`; a `=` in the reason would break that split, so it is written as `:`).
 * - kube-linter: `ignore-check.kube-linter.io/<check>: <reason>` (docs/configuring-kubelinter.md, "Ignoring
 *   violations for specific cases").
 */
export const CHECKOV_SKIP_PREFIX = 'checkov.io/skip';
/** The kube-linter annotation prefix (the check name follows). */
export const KUBE_LINTER_IGNORE_PREFIX = 'ignore-check.kube-linter.io/';

/** The skip annotations that acknowledged findings call for, by the object's dist file (keys and reasons sorted). */
export function scannerSkipAnnotations(report: PolicyReport): Map<string, Record<string, string>> {
  const scannersOf = new Map(report.rules.map((r) => [r.id, r.scanners]));
  const checkov = new Map<string, Map<string, Set<string>>>();
  const kubeLinter = new Map<string, Map<string, Set<string>>>();
  const add = (into: Map<string, Map<string, Set<string>>>, file: string, check: string, reason: string) => {
    let byCheck = into.get(file);
    if (!byCheck) into.set(file, (byCheck = new Map()));
    let reasons = byCheck.get(check);
    if (!reasons) byCheck.set(check, (reasons = new Set()));
    reasons.add(reason);
  };
  for (const f of report.findings) {
    if (!f.acknowledged || !f.object) continue;
    const scanners = scannersOf.get(f.ruleId);
    const reason = `${f.acknowledged.reason} (${f.ruleId})`;
    for (const id of byField(scanners?.checkov, scanners?.checkovByField, f.field)) add(checkov, f.object.file, id, reason);
    for (const check of byField(scanners?.kubeLinter, scanners?.kubeLinterByField, f.field)) add(kubeLinter, f.object.file, check, reason);
  }
  const out = new Map<string, Record<string, string>>();
  const reasonText = (reasons: Set<string>) => [...reasons].sort().join('; ');
  for (const file of new Set([...checkov.keys(), ...kubeLinter.keys()])) {
    const annotations: Record<string, string> = {};
    [...(checkov.get(file) ?? new Map()).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).forEach(([id, reasons], i) => {
      annotations[`${CHECKOV_SKIP_PREFIX}${i + 1}`] = `${id}=${reasonText(reasons).replace(/=/g, ':')}`;
    });
    for (const [check, reasons] of [...(kubeLinter.get(file) ?? new Map()).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      annotations[`${KUBE_LINTER_IGNORE_PREFIX}${check}`] = reasonText(reasons);
    }
    out.set(file, annotations);
  }
  return out;
}

/** The checks a finding maps to: those of the first field suffix its field ends with, else all of the rule's. */
function byField(all: readonly string[] | undefined, narrower: Readonly<Record<string, readonly string[]>> | undefined, field: string | undefined): readonly string[] {
  if (field && narrower) for (const [suffix, ids] of Object.entries(narrower)) if (field.endsWith(suffix)) return ids;
  return all ?? [];
}

/**
 * Writes the skip annotations of acknowledged findings onto the synthesized objects (before they are rendered).
 * Annotations the object already has are kept; Checkov skips are numbered after the object's own. Returns the objects
 * it changed.
 */
export function applyScannerSkips(objects: readonly SynthesizedObject[], report: PolicyReport): SynthesizedObject[] {
  const byFile = scannerSkipAnnotations(report);
  const changed: SynthesizedObject[] = [];
  if (byFile.size === 0) return changed;
  for (const o of objects) {
    const add = byFile.get(o.file);
    if (!add) continue;
    const metadata = o.object.metadata as { annotations?: Record<string, string> };
    const own = metadata.annotations ?? {};
    const taken = Object.keys(own).filter((k) => k.includes(CHECKOV_SKIP_PREFIX)).length;
    const annotations: Record<string, string> = { ...own };
    for (const [key, value] of Object.entries(add)) {
      if (key.startsWith(CHECKOV_SKIP_PREFIX)) annotations[`${CHECKOV_SKIP_PREFIX}${Number(key.slice(CHECKOV_SKIP_PREFIX.length)) + taken}`] = value;
      else if (!(key in own)) annotations[key] = value;
    }
    metadata.annotations = annotations;
    changed.push(o);
  }
  return changed;
}
