/**
 * What a GitOps tool sees after it applied our object: every field we set must read back as we wrote it. A field the
 * API server rewrites to another value (defaulting or mutating a value we set) shows as a difference on every
 * comparison: Argo CD reports the Application OutOfSync forever.
 *
 * Two differences are only spelling, not value, and every consumer treats them as equal: the API server stores a
 * built-in kind through its Go type, so (1) a zero value (`false`, `0`, `""`, `[]`, `{}`) of an `omitempty` field is
 * not stored, and (2) a resource quantity is stored in canonical form (`1024Mi` as `1Gi`, `1000m` as `1`). Argo CD
 * compares built-in kinds after the same round trip through their Go types (gitops-engine's `remarshal`), and Flux
 * and server-side apply compare typed values, so neither is drift. They are reported apart ({@link normalizedFields}).
 */

/** A field that reads back differently: its path and both values. */
interface Difference {
  readonly path: string;
  readonly desired: unknown;
  readonly live: unknown;
}

/** Paths (`spec.template.spec.containers[0].image: "a" stored as "b"`) whose value the server changed. */
export function rewrittenFields(desired: unknown, live: unknown): string[] {
  return differences(desired, live).filter((d) => !isSpellingOnly(d)).map(format);
}

/** Differences that are only spelling: zero values not stored, quantities in canonical form. */
export function normalizedFields(desired: unknown, live: unknown): string[] {
  return differences(desired, live).filter(isSpellingOnly).map(format);
}

function format(d: Difference): string {
  return `${d.path}: ${JSON.stringify(d.desired)} stored as ${JSON.stringify(d.live)}`;
}

function differences(desired: unknown, live: unknown, at = ''): Difference[] {
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return [{ path: at, desired, live }];
    return desired.flatMap((d, i) => differences(d, live[i], `${at}[${i}]`));
  }
  if (desired !== null && typeof desired === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return [{ path: at, desired, live }];
    return Object.entries(desired as Record<string, unknown>).flatMap(([k, v]) =>
      differences(v, (live as Record<string, unknown>)[k], at ? `${at}.${k}` : k));
  }
  return desired === live ? [] : [{ path: at, desired, live }];
}

function isSpellingOnly(d: Difference): boolean {
  if (d.live === undefined) return isZero(d.desired);
  const a = quantity(d.desired);
  const b = quantity(d.live);
  return a !== undefined && b !== undefined && a === b;
}

function isZero(v: unknown): boolean {
  if (v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return v !== null && typeof v === 'object' && Object.keys(v).length === 0;
}

const SUFFIX: Record<string, number> = {
  '': 1, 'm': 1e-3, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
};

/** The value of a Kubernetes resource quantity (`500m`, `1Gi`, `2`), undefined when it is not one. */
function quantity(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^([+-]?\d+(?:\.\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(v);
  return m ? Number(m[1]) * SUFFIX[m[2] ?? ''] : undefined;
}
