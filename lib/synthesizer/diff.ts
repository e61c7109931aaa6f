import { KubeObject } from './manifest';

/** One changed field, with a readable path such as `spec.config["retention.ms"]` or `containers[name=app].image`. */
export interface FieldChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** How one object changes between two versions of the output. */
export interface ObjectChange {
  readonly type: 'added' | 'removed' | 'changed';
  /** File path relative to the output folder (it identifies the object). */
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly before?: KubeObject;
  readonly after?: KubeObject;
  /** Field-level changes (for 'changed'). */
  readonly fields: readonly FieldChange[];
  /** Why the change is destructive (empty when it is not). */
  readonly destructive: readonly string[];
}

/**
 * Decides whether a change loses data or breaks consumers. Domain modules register detectors
 * (partition decrease, retention cut, schema break); object deletion is destructive from the start.
 */
export interface DestructiveChangeDetector {
  readonly id: string;
  /** Only changes of these kinds are given to the detector. @default - every kind */
  readonly kinds?: readonly string[];
  /** Reasons this change is destructive; empty when it is not. */
  detect(change: Omit<ObjectChange, 'destructive'>): readonly string[];
}

const detectors: DestructiveChangeDetector[] = [];

/** Registers a detector for every diff in this process. Registering the same id twice replaces it. */
export function registerDestructiveChangeDetector(detector: DestructiveChangeDetector): void {
  const i = detectors.findIndex((d) => d.id === detector.id);
  if (i >= 0) detectors[i] = detector;
  else detectors.push(detector);
}

registerDestructiveChangeDetector({
  id: 'object-deleted',
  detect: (c) => (c.type === 'removed' ? [`${c.kind} '${c.name}' is deleted`] : []),
});

/**
 * Compares two sets of objects keyed by file. Destructive changes come first, then the rest;
 * each group in file order.
 */
export function diffObjects(before: ReadonlyMap<string, KubeObject>, after: ReadonlyMap<string, KubeObject>): ObjectChange[] {
  const files = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: ObjectChange[] = [];
  for (const file of files) {
    const b = before.get(file);
    const a = after.get(file);
    let base: Omit<ObjectChange, 'destructive'>;
    const o = (a ?? b)!;
    const id = { file, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace };
    if (!b) base = { ...id, type: 'added', after: a, fields: [] };
    else if (!a) base = { ...id, type: 'removed', before: b, fields: [] };
    else {
      const fields = diffValues(b, a);
      if (fields.length === 0) continue;
      base = { ...id, type: 'changed', before: b, after: a, fields };
    }
    const destructive = detectors.filter((d) => !d.kinds || d.kinds.includes(base.kind)).flatMap((d) => d.detect(base));
    changes.push({ ...base, destructive });
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
