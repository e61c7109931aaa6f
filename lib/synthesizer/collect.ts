import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AggregateDataOpsError, DataOpsError } from '../errors';
import { InheritedMetadata, inheritedMetadataResolver } from '../metadata';
import { DataPlatform, Environment } from '../platform';
import { compactMetadata } from './api-object-json';
import { compactScopes } from './compact-tree';
import { isClusterScoped } from './kinds';
import { manifestPath } from './layout';
import { apiGroupOf, KubeObject, SynthesizedObject } from './manifest';
import { ObjectTransforms } from './transforms';

/** Options of {@link collectObjects}. */
export interface CollectOptions {
  /** Only these environments. @default - all */
  readonly environments?: readonly string[];
}

/**
 * Resolves every Kubernetes object of a platform (or one environment) into plain JSON with its file path.
 * Runs construct validations first and reports all failures together, each with its construct path.
 * Fails when two objects would land in the same file, naming both constructs.
 */
export function collectObjects(scope: DataPlatform | Environment, options: CollectOptions = {}): SynthesizedObject[] {
  validateTree(scope);
  const envs = scope instanceof Environment ? [scope] : scope.environments;
  if (options.environments) {
    const known = new Set(envs.map((e) => e.name));
    const unknown = options.environments.filter((e) => !known.has(e));
    if (unknown.length > 0) {
      throw new DataOpsError(`unknown environment(s) ${unknown.map((u) => `'${u}'`).join(', ')}; the app defines ${[...known].map((k) => `'${k}'`).join(', ') || 'none'}`);
    }
  }
  if (scope instanceof DataPlatform) assertObjectsInEnvironments(scope);

  const out: SynthesizedObject[] = [];
  const byFile = new Map<string, string>();
  const errors: DataOpsError[] = [];
  const inherited = inheritedMetadataResolver();
  for (const env of envs) {
    if (options.environments && !options.environments.includes(env.name)) continue;
    const resolved: KubeObject[] = [];
    const paths: string[] = [];
    const order: (number | DataOpsError)[] = []; // definition order: an index into resolved, or the failure of an object
    for (const apiObject of apiObjectsOf(env)) {
      try {
        applyInheritedMetadata(apiObject, inherited(apiObject));
        resolved.push(apiObject.toJson());
        paths.push(apiObject.node.path);
        order.push(resolved.length - 1);
      } catch (e) {
        order.push(resolutionError(e, userPath(apiObject.node.path)));
      }
    }
    // Transforms see every object of an environment; when one failed, synthesis fails and only collisions are looked for.
    if (order.length === resolved.length) ObjectTransforms._apply(env, resolved, paths);
    for (const i of order) {
      if (typeof i !== 'number') {
        errors.push(i);
        continue;
      }
      const object = normalize(resolved[i]);
      const constructPath = userPath(paths[i]);
      const file = manifestPath(env.name, object);
      const other = byFile.get(file);
      if (other !== undefined) {
        errors.push(new DataOpsError(
          `${constructPath} and ${other} both produce ${object.kind} '${object.metadata.name}'` +
          `${object.metadata.namespace ? ` in namespace '${object.metadata.namespace}'` : ''} (file ${file}); give one of them a different name`,
        ));
        continue;
      }
      byFile.set(file, constructPath);
      out.push({ environment: env.name, constructPath, file, object });
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateDataOpsError(errors);
  return out;
}

/**
 * Errors and findings name the construct a user wrote, not its inner 'Resource' (an L2 around a cdk8s-plus construct
 * around its ApiObject has two: `app/Deployment/Resource/Resource` is `app/Deployment`).
 */
function userPath(path: string): string {
  return path.replace(/(\/(Resource|Default))+$/, '');
}

/** All ApiObjects below a construct, depth first in definition order. */
export function apiObjectsOf(scope: IConstruct): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}

function validateTree(scope: IConstruct): void {
  const errors: DataOpsError[] = [];
  for (const c of scope.node.findAll()) {
    compactScopes(c);
    if (c instanceof ApiObject) compactMetadata(c);
    for (const message of c.node.validate()) errors.push(new DataOpsError(message, { constructPath: c.node.path }));
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateDataOpsError(errors, `${errors.length} constructs are invalid`);
}

function assertObjectsInEnvironments(platform: DataPlatform): void {
  for (const child of platform.node.children) {
    if (child instanceof Environment) continue;
    const stray = child instanceof ApiObject ? [child] : apiObjectsOf(child);
    if (stray.length > 0) {
      throw new DataOpsError(`${stray[0].node.path} is not inside an Environment; every Kubernetes object belongs to one (new Environment(platform, 'prod'))`);
    }
  }
}

/** Stamps the labels and annotations passed down by ancestors (ObjectMetadata); the object's own win. */
function applyInheritedMetadata(apiObject: ApiObject, { labels, annotations }: InheritedMetadata): void {
  const own = apiObject.metadata;
  for (const k in labels) if (own.getLabel(k) === undefined) own.addLabel(k, labels[k]);
  let ownAnnotations: Readonly<Record<string, unknown>> | undefined;
  for (const k in annotations) {
    ownAnnotations ??= annotationsOf(own);
    if (ownAnnotations[k] === undefined) own.addAnnotation(k, annotations[k]);
  }
}

/**
 * The annotations an object's metadata holds. cdk8s has `getLabel` but no `getAnnotation`; resolving the whole
 * metadata (`toJson`) for it cost 0.4 s at 60,000 objects, so its own map is read when it is there.
 */
function annotationsOf(metadata: ApiObject['metadata']): Readonly<Record<string, unknown>> {
  const own = (metadata as unknown as { annotations?: unknown }).annotations;
  if (typeof own === 'object' && own !== null) return own as Record<string, unknown>;
  return metadata.toJson().annotations ?? {};
}

/**
 * The error of an object that failed to resolve. cdk8s wraps whatever a token throws into a plain Error
 * ("Failed serializing construct at path '...' with name '...': DataOpsError: ..."); the wrapping is taken off so the
 * message reads like any other: the construct path, then what went wrong. An error of ours already names its
 * construct and field and is kept as it was written.
 */
function resolutionError(e: unknown, constructPath: string): DataOpsError {
  if (e instanceof DataOpsError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const wrapped = /^Failed serializing construct at path '[^']*' with name '[^']*': (?:(\w+): )?/s.exec(message);
  if (!wrapped) return new DataOpsError(message, { constructPath, cause: e });
  const inner = message.slice(wrapped[0].length);
  if (wrapped[1] && /^(DataOps|Validation|AggregateDataOps)Error$/.test(wrapped[1])) return new DataOpsError(inner, { cause: e });
  return new DataOpsError(wrapped[1] && wrapped[1] !== 'Error' ? `${wrapped[1]}: ${inner}` : inner, { constructPath, cause: e });
}

/** Cluster-scoped kinds carry no namespace (cdk8s adds the chart namespace to every object). */
function normalize(o: KubeObject): KubeObject {
  if (o.metadata?.namespace !== undefined && isClusterScoped(apiGroupOf(o.apiVersion), o.kind)) {
    const { namespace: _ignored, ...metadata } = o.metadata;
    return { ...o, metadata: metadata as KubeObject['metadata'] };
  }
  return o;
}
