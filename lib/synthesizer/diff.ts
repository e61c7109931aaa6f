import { ChangeDetector, ObjectChangeSubject } from '../policy/change';
import { Finding } from '../policy/finding';
import { KubeObject } from './manifest';
import { OBJECT_DELETED } from './rules';

/** One changed field, with a readable path such as `spec.config["retention.ms"]` or `containers[name=app].image`. */
export interface FieldChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** How one object changes between two versions of the output, with its field-level changes and judgement. */
export interface ObjectChange extends ObjectChangeSubject {
  /** Field-level changes (for 'changed'). */
  readonly fields: readonly FieldChange[];
  /** Why the change is destructive (empty when it is not). */
  readonly destructive: readonly string[];
  /** The same reasons as policy findings: the detector's id and level, the object and its file. */
  readonly findings: readonly Finding[];
}

/**
 * Compares two sets of objects keyed by file and judges each change with the detectors (from the packs in use, see
 * `changeDetectorsOf`; by default only object deletion). Destructive changes come first, then the rest; each group in file order.
 * @param constructPathOf the construct that produces a file now, for the findings
 */
export function diffObjects(before: ReadonlyMap<string, KubeObject>, after: ReadonlyMap<string, KubeObject>,
  detectors: readonly ChangeDetector[] = [OBJECT_DELETED], constructPathOf: (file: string) => string | undefined = () => undefined): ObjectChange[] {
  const files = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: ObjectChange[] = [];
  for (const file of files) {
    const b = before.get(file);
    const a = after.get(file);
    let base: Omit<ObjectChange, 'destructive' | 'findings'>;
    const o = (a ?? b)!;
    const id = { file, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace };
    if (!b) base = { ...id, type: 'added', after: a, fields: [] };
    else if (!a) base = { ...id, type: 'removed', before: b, fields: [] };
    else {
      const fields = diffValues(b, a);
      if (fields.length === 0) continue;
      base = { ...id, type: 'changed', before: b, after: a, fields };
    }
    const findings: Finding[] = [];
    for (const d of detectors) {
      if (d.kinds !== '*' && !d.kinds.includes(base.kind)) continue;
      for (const message of d.detect(base)) {
        findings.push({
          ruleId: d.id, level: d.level, pack: 'diff', message, constructPath: constructPathOf(file) ?? '',
          ...(file.split('/')[0] === 'manifests' ? { environment: file.split('/')[1] } : {}),
          object: { apiVersion: o.apiVersion, kind: o.kind, ...(o.metadata.namespace !== undefined ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name, file },
        });
      }
    }
    changes.push({ ...base, destructive: findings.map((f) => f.message), findings });
  }
  return [...changes.filter((c) => c.destructive.length > 0), ...changes.filter((c) => c.destructive.length === 0)];
}

/** Field-level differences between two JSON values. Lists of named items are matched by name. */
export function diffValues(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (deepEqual(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], joinKey(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    if (isNamedList(before) && isNamedList(after)) {
      const names = [...new Set([...before.map((x) => x.name), ...after.map((x) => x.name)])];
      return names.flatMap((n) => diffValues(before.find((x) => x.name === n), after.find((x) => x.name === n), `${path}[name=${n}]`));
    }
    if (before.length === after.length) return before.flatMap((x, i) => diffValues(x, after[i], `${path}[${i}]`));
  }
  return [{ path: path || '.', before, after }];
}

/** Equality of JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNamedList(v: unknown[]): v is { name: string }[] {
  const names = v.map((x) => (isPlainObject(x) && typeof x.name === 'string' ? x.name : undefined));
  return v.length > 0 && names.every((n) => n !== undefined) && new Set(names).size === names.length;
}

function joinKey(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}
