import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { inheritedMetadata } from '../../lib/metadata';
import { apiObjectsOf } from '../../lib/synthesizer/collect';
import { ObjectTransforms } from '../../lib/synthesizer/transforms';
import { apiGroupOf, KubeObject } from '../../lib/synthesizer/manifest';
import { syncHookAnnotations } from '../k8s/job';
import {
  ANNOTATIONS_HEADROOM, ANNOTATIONS_SIZE_LIMIT, FLUX_FORCE_ANNOTATION, HOOK_ANNOTATION, LAST_APPLIED_ANNOTATION, mergeSyncOptions, parseSyncOptions, SYNC_OPTIONS_ANNOTATION, SYNC_WAVE_ANNOTATION,
} from './annotations';
import { externalSecretSources, producedSecrets, SecretProducers } from './secret-producers';
import { syncWaveOf, SyncWaves } from './sync-waves';

/** Which tools' ordering annotations to add. */
export interface DeliveryOrderingOptions {
  /** Argo CD: sync waves, hooks for one-shot Jobs, server-side apply for large objects. @default true */
  readonly argocd?: boolean;
  /** Flux: force-recreate one-shot Jobs. @default true */
  readonly flux?: boolean;
}

const ENABLED = Symbol.for('cdk8s-dataops.gitops.ordering');

/**
 * Adds the delivery-ordering annotations to every object of `scope` (an Environment, normally) when it is
 * synthesized, including objects defined after this call. Idempotent; calling it again widens the tools.
 *
 * It runs on the resolved objects (`ObjectTransforms`), a step of every synthesis (`npx synth`,
 * `synthesizePlatform`, the testing helpers), so each object is resolved once.
 */
export function enableDeliveryOrdering(scope: IConstruct, options: DeliveryOrderingOptions = {}): void {
  const holder = scope as unknown as { [ENABLED]?: { argocd: boolean; flux: boolean } };
  const wanted = { argocd: options.argocd ?? true, flux: options.flux ?? true };
  const current = holder[ENABLED];
  if (current) {
    current.argocd ||= wanted.argocd;
    current.flux ||= wanted.flux;
    return;
  }
  holder[ENABLED] = wanted;
  ObjectTransforms.add(scope, (objects) => orderObjects(objects, holder[ENABLED], scope));
}

/**
 * The objects of one environment (or another scope) with their ordering annotations added, as
 * {@link applyDeliveryOrdering} adds them; objects that need none are returned as they are. Annotation keys stay
 * sorted, as cdk8s renders them.
 */
export function orderObjects(objects: readonly KubeObject[], options: DeliveryOrderingOptions = {}, scope?: IConstruct): KubeObject[] {
  const argocd = options.argocd ?? true;
  const flux = options.flux ?? true;
  const context = orderingContext(objects, scope);
  return objects.map((object) => {
    const added = orderingAnnotations(object, { argocd, flux }, context);
    return Object.keys(added).length === 0 ? object : withAnnotations(object, added);
  });
}

/**
 * What ordering knows about the objects of a scope: the waves and Secret producers its platform declares
 * ({@link SyncWaves}, {@link SecretProducers}; the process-wide ones without a scope), and the wave of the producer of
 * each Secret an operator creates among the objects.
 */
function orderingContext(objects: readonly KubeObject[], scope?: IConstruct): OrderingContext {
  const waves = scope ? SyncWaves.of(scope) : undefined;
  const wavesOf = waves ? (group: string, kind: string) => waves.waveOf(group, kind) : syncWaveOf;
  const producers = scope ? SecretProducers.of(scope) : undefined;
  const secretWaves = new Map<string, number>();
  for (const object of objects) {
    for (const name of producers ? producers.producedSecrets(object) : producedSecrets(object)) {
      secretWaves.set(name, Math.max(secretWaves.get(name) ?? -Infinity, waveOf(object, wavesOf) ?? 0));
    }
  }
  return { secretWaves, syncWaveOf: wavesOf };
}

/** A copy of a resolved object with annotations added, keys sorted (`annotations` in its sorted place in metadata). */
function withAnnotations(object: KubeObject, added: Record<string, string>): KubeObject {
  const merged: Record<string, string> = { ...object.metadata.annotations, ...added };
  const annotations: Record<string, string> = {};
  for (const key of Object.keys(merged).sort()) annotations[key] = merged[key];
  const metadata: Record<string, unknown> = {};
  let placed = false;
  for (const key of Object.keys(object.metadata)) {
    if (key === 'annotations') continue;
    if (!placed && key > 'annotations') {
      metadata.annotations = annotations;
      placed = true;
    }
    metadata[key] = object.metadata[key];
  }
  if (!placed) metadata.annotations = annotations;
  return { ...object, metadata: metadata as KubeObject['metadata'] };
}

/**
 * Adds the ordering annotations to the objects below `scope` now:
 *
 * - Argo CD sync wave by kind class ({@link SyncWaves}), unless the object already has a wave or is a hook;
 *   an ExternalSecret that copies a Secret produced by an object of the scope ({@link SecretProducers}, e.g.
 *   a KafkaUser's credentials) goes one wave after its producer;
 * - one-shot Jobs (`batch/Job`) become `Sync` hooks with `BeforeHookCreation` (a Job's template is immutable,
 *   so it is recreated rather than patched) and carry Flux's `force: enabled` for the same reason;
 * - objects too large for the last-applied annotation get `ServerSideApply=true` (merged into existing
 *   sync-options such as `Prune=false`).
 */
export function applyDeliveryOrdering(scope: IConstruct, options: DeliveryOrderingOptions = {}): void {
  const argocd = options.argocd ?? true;
  const flux = options.flux ?? true;
  const objects: { apiObject: ApiObject; object: KubeObject }[] = [];
  for (const apiObject of apiObjectsOf(scope)) {
    let object: KubeObject;
    try {
      object = apiObject.toJson() as KubeObject;
    } catch {
      continue; // synthesis reports the error with the construct path
    }
    // Annotations passed down by ancestors (ObjectMetadata) are stamped later, at collection; they count as the
    // object's own here (an inherited wave is kept, an inherited Prune=false is merged with ServerSideApply).
    const inherited = inheritedMetadata(apiObject).annotations;
    if (Object.keys(inherited).length > 0) {
      object = { ...object, metadata: { ...object.metadata, annotations: { ...inherited, ...object.metadata?.annotations } } };
    }
    objects.push({ apiObject, object });
  }
  const context = orderingContext(objects.map((o) => o.object), scope);
  for (const { apiObject, object } of objects) {
    for (const [key, value] of Object.entries(orderingAnnotations(object, { argocd, flux }, context))) {
      apiObject.metadata.addAnnotation(key, value);
    }
  }
}

/** What {@link orderingAnnotations} knows about the other objects of the environment. */
export interface OrderingContext {
  /** The sync wave of the producer of each Secret an operator creates ({@link SecretProducers}). */
  readonly secretWaves?: ReadonlyMap<string, number>;
  /** The wave of a kind. @default - the process-wide table ({@link syncWaveOf}) */
  readonly syncWaveOf?: (apiGroup: string, kind: string) => number | undefined;
}

/** The wave an object has or gets from its class (undefined for hooks and kinds without a class). */
function waveOf(object: KubeObject, wavesOf: (apiGroup: string, kind: string) => number | undefined): number | undefined {
  const a = object.metadata?.annotations ?? {};
  if (a[HOOK_ANNOTATION] !== undefined) return undefined;
  const own = a[SYNC_WAVE_ANNOTATION] !== undefined ? Number.parseInt(a[SYNC_WAVE_ANNOTATION], 10) : NaN;
  return Number.isNaN(own) ? wavesOf(apiGroupOf(object.apiVersion), object.kind) : own;
}

/**
 * The annotations {@link applyDeliveryOrdering} adds to an object (only the ones it adds or changes).
 * Exposed for tools that post-process plain objects.
 */
export function orderingAnnotations(object: KubeObject, options: DeliveryOrderingOptions = {}, context: OrderingContext = {}): Record<string, string> {
  const argocd = options.argocd ?? true;
  const flux = options.flux ?? true;
  const existing = object.metadata?.annotations ?? {};
  const group = apiGroupOf(object.apiVersion);
  const out: Record<string, string> = {};
  const isJob = group === 'batch' && object.kind === 'Job';

  const isHook = existing[HOOK_ANNOTATION] !== undefined;
  if (isJob) {
    // The same annotations as a Job declared with `syncHook: 'Sync'`, for the tools in use.
    for (const [key, value] of Object.entries(syncHookAnnotations('Sync'))) {
      const isFluxKey = key === FLUX_FORCE_ANNOTATION;
      if (isFluxKey ? !flux || existing[key] !== undefined : !argocd || isHook) continue;
      out[key] = value;
    }
  }
  if (argocd && existing[SYNC_WAVE_ANNOTATION] === undefined && !isHook) {
    let wave = (context.syncWaveOf ?? syncWaveOf)(group, object.kind);
    // After the producers of the Secrets it copies (an ExternalSecret reading a KafkaUser's credentials).
    const after = externalSecretSources(object).map((k) => context.secretWaves?.get(k)).filter((w): w is number => w !== undefined);
    if (after.length > 0) wave = Math.max(wave ?? 0, Math.max(...after) + 1);
    if (wave !== undefined) out[SYNC_WAVE_ANNOTATION] = String(wave);
  }

  if (argocd) {
    const syncOptions = existing[SYNC_OPTIONS_ANNOTATION];
    if (!parseSyncOptions(syncOptions).includes('ServerSideApply=true') && exceedsLastAppliedLimit(object, out)) {
      out[SYNC_OPTIONS_ANNOTATION] = mergeSyncOptions(syncOptions, 'ServerSideApply=true');
    }
  }
  return out;
}

/**
 * Whether client-side apply would fail for this object (with `added` annotations added): the last-applied annotation
 * holds the object's JSON, and all annotations of an object together may not exceed 256 KiB. Some headroom is kept
 * for annotations the controllers add ({@link ANNOTATIONS_HEADROOM}).
 */
export function exceedsLastAppliedLimit(object: KubeObject, added: Readonly<Record<string, string>> = {}): boolean {
  const annotations = { ...object.metadata?.annotations, ...added };
  // Nearly every object is far below the limit, which a bound tells without writing its JSON (stringifying every object
  // took about 0.5 s at 60,000 objects in a CPU profile) or copying it: a UTF-16 unit is at most
  // 3 bytes of UTF-8, and the added annotations lengthen the JSON by at most their escaped keys and values (6 units a
  // character at worst), quotes, colon and comma each, and the `"metadata":{},"annotations":{},` they may need.
  let units = jsonLengthBound(object, ANNOTATIONS_SIZE_LIMIT) + 32;
  for (const k in added) units += 6 * (k.length + added[k].length) + 6;
  for (const k in annotations) units += k.length + annotations[k].length;
  if (3 * units + LAST_APPLIED_ANNOTATION.length + 1 + ANNOTATIONS_HEADROOM <= ANNOTATIONS_SIZE_LIMIT) return false;

  const withAdded = Object.keys(added).length === 0 ? object : { ...object, metadata: { ...object.metadata, annotations } };
  const others = Object.entries(annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  const lastApplied = Buffer.byteLength(LAST_APPLIED_ANNOTATION) + Buffer.byteLength(JSON.stringify(withAdded)) + 1;
  return others + lastApplied + ANNOTATIONS_HEADROOM > ANNOTATIONS_SIZE_LIMIT;
}

/**
 * An upper bound of `JSON.stringify(value).length`, or Infinity once it passes `budget` (or meets a `toJSON`): a
 * string's characters take at most 6 units escaped (\u0001), a number at most 24, and each key, element and bracket
 * its quotes, colon and comma.
 */
export function jsonLengthBound(value: unknown, budget: number): number {
  let n = 0;
  const walk = (v: unknown): boolean => {
    if (typeof v === 'string') n += 6 * v.length + 2;
    else if (typeof v === 'number') n += 24;
    else if (typeof v === 'boolean' || v === null || v === undefined) n += 5;
    else if (Array.isArray(v)) {
      n += 2 + v.length;
      for (const x of v) if (!walk(x)) return false;
    } else if (typeof v === 'object') {
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
      n += 2;
      for (const k in v) {
        n += 6 * k.length + 4;
        if (!walk((v as Record<string, unknown>)[k])) return false;
      }
    } else {
      return false;
    }
    return n <= budget;
  };
  return walk(value) ? n : Infinity;
}
