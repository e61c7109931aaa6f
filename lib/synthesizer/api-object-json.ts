import { createHash } from 'node:crypto';
import {
  ApiObject, ApiObjectMetadataDefinition, App, ImplicitTokenResolver, IResolver, JsonPatch, Lazy, LazyResolver,
  NumberStringUnionResolver,
} from 'cdk8s';

/**
 * `ApiObject.toJson` in one walk per object.
 *
 * cdk8s renders an object in two passes over every value: `resolve` (which, for each value, allocates a resolution
 * context and a copy of the key path and walks up the construct tree to find the App's resolvers) and then
 * `sanitizeValue` (which copies the result again, sorting keys and dropping empty values). At 63,000 objects that
 * was about 2 s of CPU and 2.2 GB of the 5.35 GB a synthesis allocated (CPU and allocation profiles), the largest cost
 * that was not ours.
 *
 * This renders the same JSON with the two passes fused into one: the App's resolvers are looked up once per object,
 * and each value is resolved and sanitized in the same visit. It is exact, not approximate:
 * - it is used only while the App has cdk8s's own resolvers and no others (an App given `resolvers` renders through
 *   cdk8s, which passes each resolver the key path);
 * - it applies those resolvers in cdk8s's order, with cdk8s's tests, until none replaces the value;
 * - values are visited in the order cdk8s visits them (insertion order), so Lazy producers run in the same order;
 * - it keeps cdk8s's error wrapping ("Failed serializing construct at path ..."), `CDK8S_DISABLE_SORT`, JSON patches
 *   and the key order of the result;
 * - an object with a `__proto__` key, which plain assignment cannot copy as cdk8s copies it, goes through cdk8s (the
 *   only case where its Lazy producers run a second time: the fused walk stops at that key and cdk8s starts over).
 *
 * It is installed only over the cdk8s code it was written against: the source text of every function it replaces or
 * reproduces is fingerprinted ({@link CDK8S_FINGERPRINT}); any other cdk8s keeps its own `toJson`. The tests compare the
 * two on generated objects and pin the fingerprint, so an upgrade of cdk8s that changes this code fails a test instead
 * of changing output.
 */
export function installFusedToJson(): boolean {
  if (installed !== undefined) return installed;
  installed = cdk8sFingerprint() === CDK8S_FINGERPRINT;
  if (!installed) return false;
  ApiObject.prototype.toJson = function fusedToJson(this: ApiObject): any {
    const resolvers = App.of(this).resolvers as IResolver[] | undefined;
    if (!defaultResolversOnly(resolvers)) return originalToJson.call(this);
    try {
      const data = { ...(this as unknown as { props: object }).props, metadata: this.metadata.toJson() };
      const sortKeys = process.env.CDK8S_DISABLE_SORT ? false : true;
      const json = render(data, sortKeys, false);
      const patches = (this as unknown as { patches: JsonPatch[] }).patches;
      // JsonPatch.apply copies the (empty) list of operations and returns the document as it is
      const patched = patches.length === 0 ? json : JsonPatch.apply(json, ...patches);
      const result: Record<string, unknown> = {};
      for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) {
        if (k in patched) result[k] = patched[k];
      }
      return result;
    } catch (e) {
      if (e === PROTO_KEY) return originalToJson.call(this);
      throw new Error(`Failed serializing construct at path '${this.node.path}' with name '${this.name}': ${e}`);
    }
  };
  ApiObjectMetadataDefinition.prototype.toJson = function fusedMetadataToJson(this: ApiObjectMetadataDefinition): any {
    const self = this as unknown as MetadataInternals;
    if (!defaultResolversOnly(App.of(self.apiObject).resolvers as IResolver[] | undefined)) return originalMetadataToJson.call(this);
    try {
      return render({
        ...self._additionalAttributes,
        name: self.name,
        namespace: self.namespace,
        annotations: self.annotations,
        finalizers: self.finalizers,
        ownerReferences: self.ownerReferences,
        labels: self.labels,
      }, true, true);
    } catch (e) {
      if (e === PROTO_KEY) return originalMetadataToJson.call(this);
      throw e;
    }
  };
  return true;
}

/** The metadata fields `toJson` takes from the definition itself, over the same keys of the constructor's options. */
const OWN_METADATA_FIELDS = new Set(['name', 'namespace', 'annotations', 'finalizers', 'ownerReferences', 'labels']);

/**
 * Drops from an ApiObject's metadata what cdk8s keeps but never renders. Its metadata keeps the options it was made
 * with (`_additionalAttributes`: the object's name, namespace, labels and annotations as given, in a map V8 holds in
 * dictionary mode, its labels in a hidden class of their own), and `toJson` renders them only under the definition's
 * own name, namespace, labels, annotations, finalizers and owner references, which replace them. Those values are
 * dropped; any other (`generateName`, what `metadata.add()` adds) is kept. 12 MB at 50,000 topics; done only over
 * the cdk8s code {@link installFusedToJson} was written against.
 */
export function compactMetadata(apiObject: ApiObject): void {
  if (!installFusedToJson()) return;
  const metadata = apiObject.metadata as unknown as { _additionalAttributes?: Record<string, unknown> };
  const given = metadata._additionalAttributes;
  if (typeof given !== 'object' || given === null) return;
  // The replaced keys stay, without their values: where a key is in this map decides where it is in the rendered
  // metadata, and so the order Lazy values are produced in.
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(given)) kept[key] = OWN_METADATA_FIELDS.has(key) ? undefined : given[key];
  metadata._additionalAttributes = kept;
}

/** The fingerprint (sha256 of the functions' source text) of the cdk8s code {@link installFusedToJson} reproduces. */
export const CDK8S_FINGERPRINT = 'f3a995e3bf4bb5eb78cb4c6ab9c9cad1bd7ef250ef0db7be42a37bc314da8acb';

/** The fingerprint of the installed cdk8s's code that {@link installFusedToJson} reproduces. */
export function cdk8sFingerprint(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const internals = { resolve: require('cdk8s/lib/resolve').resolve, sanitize: require('cdk8s/lib/_util').sanitizeValue };
  const sources = [
    originalToJson, originalMetadataToJson, internals.resolve, internals.sanitize, App.of,
    LazyResolver.prototype.resolve, ImplicitTokenResolver.prototype.resolve, NumberStringUnionResolver.prototype.resolve,
    JsonPatch.apply,
  ].map((f) => String(f));
  return createHash('sha256').update(sources.join('\n\0\n')).digest('hex');
}

interface MetadataInternals {
  readonly apiObject: ApiObject;
  readonly _additionalAttributes: Record<string, unknown>;
  readonly name?: string;
  readonly namespace?: string;
  readonly annotations: Record<string, string>;
  readonly finalizers: string[];
  readonly ownerReferences: unknown[];
  readonly labels: Record<string, string>;
}

const originalToJson = ApiObject.prototype.toJson;
const originalMetadataToJson = ApiObjectMetadataDefinition.prototype.toJson;

/** @internal cdk8s's own `toJson` of ApiObject and of its metadata, as they were before {@link installFusedToJson}. */
export const _cdk8sToJson = { apiObject: originalToJson, metadata: originalMetadataToJson } as const;
let installed: boolean | undefined;
/** Thrown (and caught) when a value has a `__proto__` key: that object renders through cdk8s. */
const PROTO_KEY = Symbol('__proto__ key');

/** Whether an App's resolvers are exactly cdk8s's defaults (Lazy, implicit token, number/string union), in order. */
function defaultResolversOnly(resolvers: readonly IResolver[] | undefined): boolean {
  return resolvers !== undefined && resolvers.length === 3 &&
    resolvers[0].constructor === LazyResolver &&
    resolvers[1].constructor === ImplicitTokenResolver &&
    resolvers[2].constructor === NumberStringUnionResolver;
}

/**
 * `sanitizeValue(resolve([], value))`. cdk8s resolves everything (running every Lazy producer) before it sanitizes, and
 * then refuses the first object it cannot render in the order it sanitizes (keys sorted); the fused walk notes what it
 * cannot render where it is ({@link Refusal}), goes on resolving, and throws that same first refusal at the end.
 */
function render(value: unknown, sortKeys: boolean, filter: boolean): unknown {
  const mark = refusals;
  let json: unknown;
  try {
    json = fused(value, sortKeys, filter);
  } catch (e) {
    refusals = mark;
    throw e;
  }
  if (refusals === mark) return json;
  refusals = mark;
  throw firstRefusal(json, sortKeys) ?? new Error('unreachable: a refusal was counted but not found');
}

/** What sanitizeValue refused to render, in place of it in the fused result. */
class Refusal {
  constructor(public readonly error: unknown) {}
}
/** Refusals made so far (a Lazy producer may render another object in the middle of a walk). */
let refusals = 0;

/** The first refusal in the order sanitizeValue visits the result: depth first, keys sorted when it sorts them. */
function firstRefusal(json: unknown, sortKeys: boolean): unknown {
  if (json instanceof Refusal) return json.error;
  if (typeof json !== 'object' || json === null) return undefined;
  const children = Array.isArray(json) ? json : sortKeys ? Object.keys(json).sort().map((k) => (json as Record<string, unknown>)[k]) : Object.values(json);
  for (const child of children) {
    const error = firstRefusal(child, sortKeys);
    if (error !== undefined) return error;
  }
  return undefined;
}

/**
 * `sanitizeValue(resolve([], value))` in one walk: `filter` is sanitizeValue's filterEmptyArrays and
 * filterEmptyObjects (the metadata's), `sortKeys` its sortKeys.
 */
function fused(value: unknown, sortKeys: boolean, filter: boolean): unknown {
  const v = resolved(value) as any;
  if (v == null) return undefined;
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    if (filter && v.length === 0) return undefined;
    return v.map((x) => fused(x, sortKeys, filter));
  }
  // resolve leaves anything but a plain object as it is; sanitizeValue then copies it or refuses it
  if (v.constructor != Object) {
    try {
      return sanitizeValue(v, sortKeys, filter);
    } catch (e) {
      if (e === PROTO_KEY) throw e;
      refusals++;
      return new Refusal(e);
    }
  }
  return copyObject(v, fused, sortKeys, filter);
}

/** cdk8s's default resolvers, in their order, until none replaces the value (cdk8s `resolve`). */
function resolved(value: unknown): unknown {
  let v = value as any;
  for (;;) {
    if (v == null) return v;
    if (v instanceof Lazy) {
      v = v.produce();
    } else if (typeof v.resolve === 'function') {
      v = v.resolve();
    } else if (v.constructor !== Object && (typeof v.value === 'number' || typeof v.value === 'string')) {
      v = { value: v.value };
    } else {
      return v;
    }
  }
}

/** cdk8s `sanitizeValue` (for what resolve does not walk). */
function sanitizeValue(obj: any, sortKeys: boolean, filter: boolean): unknown {
  if (obj == null) return undefined;
  if (typeof obj !== 'object') return obj;
  if (Array.isArray(obj)) {
    if (filter && obj.length === 0) return undefined;
    return obj.map((x) => sanitizeValue(x, sortKeys, filter));
  }
  if (obj.constructor.name !== 'Object') throw new Error(`can't render non-simple object of type '${obj.constructor.name}'`);
  return copyObject(obj, sanitizeValue, sortKeys, filter);
}

/**
 * The sanitized copy of a plain object: each value through `each` (in the object's key order, as cdk8s visits them),
 * then the keys sorted, nullish values dropped, and an empty object dropped when `filter`.
 */
function copyObject(
  obj: Record<string, unknown>, each: (value: unknown, sortKeys: boolean, filter: boolean) => unknown, sortKeys: boolean, filter: boolean,
): Record<string, unknown> | undefined {
  const keys = Object.keys(obj);
  const values = new Array<unknown>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === '__proto__') throw PROTO_KEY;
    values[i] = each(obj[keys[i]], sortKeys, filter);
  }
  return assemble(keys, values, sortKeys, filter);
}

/**
 * The sanitized object of `keys` and their sanitized `values` (both owned by the caller and reordered here): sorted by
 * key as `Array.prototype.sort` sorts strings (by UTF-16 code units), nullish values dropped.
 */
function assemble(keys: string[], values: unknown[], sortKeys: boolean, filter: boolean): Record<string, unknown> | undefined {
  if (sortKeys) sortTogether(keys, values);
  const out: Record<string, unknown> = {};
  let n = 0;
  for (let i = 0; i < keys.length; i++) {
    if (values[i] != null) {
      out[keys[i]] = values[i];
      n++;
    }
  }
  return filter && n === 0 ? undefined : out;
}

/** Sorts `keys` (distinct) and moves `values` with them: insertion sort for the few keys of a Kubernetes object. */
function sortTogether(keys: string[], values: unknown[]): void {
  if (keys.length > 24) {
    const order = keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : 1));
    const [k, v] = [order.map((i) => keys[i]), order.map((i) => values[i])];
    for (let i = 0; i < k.length; i++) [keys[i], values[i]] = [k[i], v[i]];
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    if (keys[i - 1] < key) continue;
    const value = values[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      values[j + 1] = values[j];
      j--;
    }
    keys[j + 1] = key;
    values[j + 1] = value;
  }
}
