import { IConstruct } from 'constructs';
import { KubeObject } from './manifest';

/**
 * Rewrites the resolved objects below one construct, all at once, after they are resolved and before they are laid
 * out and rendered (for example: annotations that depend on the other objects of an environment). It returns the
 * objects in the same order, one for each it was given; the file of an object is derived after the transform, so a
 * transform must not change an object's kind, name or namespace.
 */
export type ObjectTransform = (objects: readonly KubeObject[]) => readonly KubeObject[];

interface Registration { readonly scope: IConstruct; readonly transform: ObjectTransform }

const TRANSFORMS = Symbol.for('cdk8s-dataops.object-transforms');

/**
 * Transforms of resolved objects, registered on a construct and applied to every object below it whenever its
 * platform or environment is synthesized. Resolving each object once (instead of rendering it to look at it and
 * again to write it) keeps large platforms fast.
 */
export class ObjectTransforms {
  /** Registers a transform of the objects below `scope` (an Environment, normally). Applied in registration order. */
  public static add(scope: IConstruct, transform: ObjectTransform): void {
    ObjectTransforms.registrations(scope.node.root).push({ scope, transform });
  }

  /**
   * @internal Applies the transforms registered on `env`, its ancestors or its descendants to its resolved objects
   * (`paths[i]` is the construct path of `objects[i]`).
   */
  public static _apply(env: IConstruct, objects: KubeObject[], paths: readonly string[]): void {
    for (const { scope, transform } of ObjectTransforms.registrations(env.node.root)) {
      const prefix = scope.node.path;
      const envPath = env.node.path;
      const covers = prefix === '' || envPath === prefix || envPath.startsWith(`${prefix}/`);
      const inside = !covers && prefix.startsWith(`${envPath}/`);
      if (!covers && !inside) continue;
      const picked: number[] = [];
      for (let i = 0; i < objects.length; i++) if (covers || paths[i] === prefix || paths[i].startsWith(`${prefix}/`)) picked.push(i);
      if (picked.length === 0) continue;
      const result = transform(picked.map((i) => objects[i]));
      if (result.length !== picked.length) {
        throw new Error(`an object transform of ${prefix || 'the platform'} returned ${result.length} objects for ${picked.length}`);
      }
      picked.forEach((index, j) => { objects[index] = result[j]; });
    }
  }

  private static registrations(root: IConstruct): Registration[] {
    const holder = root as unknown as { [TRANSFORMS]?: Registration[] };
    return (holder[TRANSFORMS] ??= []);
  }
}
