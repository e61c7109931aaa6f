import { DataOpsError } from './errors';
import { Environment } from './platform';
import { KubeObject, SynthesizedObject } from './synthesizer/manifest';
import { synthesizeEnvironment } from './synthesizer/synthesizer';

/** A synthesized object with loosely typed fields, convenient in assertions (`obj.spec.partitions`). */
export type Manifest = {
  readonly [key: string]: any;
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly [key: string]: any; readonly name: string; readonly namespace?: string };
};

/** Where tests look for objects: an environment (synthesized in memory) or objects already synthesized. */
export type ObjectSource = Environment | readonly SynthesizedObject[] | readonly KubeObject[];

/**
 * Synthesizes an environment in memory, with the same validations and output rules as `npx synth`,
 * and returns its objects. Nothing is written.
 */
export function synthesize(env: Environment): Manifest[] {
  return synthesizeEnvironment(env).map((o) => o.object as Manifest);
}

/** All objects of a kind, optionally filtered by a predicate. */
export function findObjects(source: ObjectSource, kind: string, where?: (o: Manifest) => boolean): Manifest[] {
  return objectsOf(source).filter((o) => o.kind === kind && (!where || where(o)));
}

/**
 * The one object of `kind` named `name` (and in `namespace`, when given). Throws an error listing the objects
 * of that kind that do exist, so a failing test says what is there.
 *
 * ```ts
 * expect(findObject(prod, 'KafkaTopic', 'orders').spec.partitions).toBe(12);
 * ```
 */
export function findObject(source: ObjectSource, kind: string, name: string, namespace?: string): Manifest {
  const all = objectsOf(source);
  const matches = all.filter((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
  if (matches.length === 1) return matches[0];
  const sameKind = all.filter((o) => o.kind === kind).map((o) => `${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`);
  if (matches.length === 0) {
    throw new DataOpsError(`no ${kind} named '${name}'${namespace ? ` in namespace '${namespace}'` : ''}; ` +
      (sameKind.length > 0 ? `${kind} objects: ${sameKind.join(', ')}` : `there is no ${kind} at all (kinds: ${[...new Set(all.map((o) => o.kind))].sort().join(', ') || 'none'})`));
  }
  throw new DataOpsError(`${matches.length} ${kind} objects are named '${name}' (in ${matches.map((m) => m.metadata.namespace).join(', ')}); pass a namespace`);
}

function objectsOf(source: ObjectSource): Manifest[] {
  if (source instanceof Environment) return synthesize(source);
  return (source as readonly (SynthesizedObject | KubeObject)[]).map((o) => ('object' in o && 'file' in o ? o.object : o) as Manifest);
}
