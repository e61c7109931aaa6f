import fc from 'fast-check';
import { ApiObject, ApiObjectMetadataDefinition, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { DataPlatform } from '../../../lib/platform';
import { _cdk8sToJson, CDK8S_FINGERPRINT, cdk8sFingerprint, compactMetadata, installFusedToJson } from '../../../lib/synthesizer/api-object-json';

/** What cdk8s itself renders: its own toJson of the object and of its metadata. */
function cdk8sRenders(o: ApiObject): unknown {
  const fused = [ApiObject.prototype.toJson, ApiObjectMetadataDefinition.prototype.toJson] as const;
  ApiObject.prototype.toJson = _cdk8sToJson.apiObject;
  ApiObjectMetadataDefinition.prototype.toJson = _cdk8sToJson.metadata;
  try {
    return o.toJson();
  } finally {
    [ApiObject.prototype.toJson, ApiObjectMetadataDefinition.prototype.toJson] = fused;
  }
}

/** The JSON text (key order included) or the error message of rendering, and the order Lazy producers ran in. */
function outcome(render: () => unknown, log: string[]): { text?: string; error?: string; produced: string[] } {
  log.length = 0;
  try {
    return { text: JSON.stringify(render()), produced: [...log] };
  } catch (e) {
    return { error: String(e), produced: [...log] };
  }
}

/** A value that resolves itself (an implicit token). */
class Token {
  constructor(private readonly v: unknown) {}
  public resolve(): unknown { return this.v; }
}
/** A generated number-or-string union (IntOrString, Quantity): rendered as `{ value }`. */
class Union {
  constructor(public readonly value: number | string) {}
}
/** A class cdk8s refuses to render. */
class Opaque {
  public readonly x = 1;
}

/** Values with everything cdk8s resolves and sanitizes: tokens, Lazy, unions, empties, nullish, nesting. */
function values(log: string[]): fc.Arbitrary<unknown> {
  const key = fc.constantFrom('a', 'b', 'B', 'z', '_x', 'é', '10', '2', '0', 'spec', 'value', 'resolve');
  const leaf = fc.oneof(
    fc.string({ maxLength: 4 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.constant(undefined),
  );
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { arbitrary: leaf, weight: 30 },
      { arbitrary: fc.array(tie('value'), { maxLength: 4 }), weight: 6 },
      { arbitrary: fc.dictionary(key, tie('value'), { maxKeys: 5 }), weight: 6 },
      { arbitrary: tie('value').map((v) => new Token(v)), weight: 2 },
      { arbitrary: fc.tuple(fc.string({ maxLength: 3 }), tie('value')).map(([id, v]) => Lazy.any({ produce: () => { log.push(id); return v; } })), weight: 3 },
      { arbitrary: fc.oneof(fc.integer(), fc.string({ maxLength: 3 })).map((v) => new Union(v)), weight: 2 },
      { arbitrary: fc.constant(new Opaque()), weight: 1 },
    ),
  })).value;
}

describe('the fused ApiObject.toJson', () => {
  // First in this file: nothing before it has installed the fused toJson.
  it('is installed by creating a DataPlatform', () => {
    expect(ApiObject.prototype.toJson).toBe(_cdk8sToJson.apiObject);
    new DataPlatform({ outdir: '/nonexistent' });
    expect(ApiObject.prototype.toJson).not.toBe(_cdk8sToJson.apiObject);
  });

  it('is installed over the cdk8s this package is tested with (the fingerprint of the code it reproduces)', () => {
    // A cdk8s release that changes any of this code fails here: compare the new code with api-object-json.ts, then
    // update CDK8S_FINGERPRINT. Until then, users of that release keep cdk8s's own toJson (correct, slower).
    expect(cdk8sFingerprint()).toBe(CDK8S_FINGERPRINT);
    expect(installFusedToJson()).toBe(true);
    expect(ApiObject.prototype.toJson).not.toBe(_cdk8sToJson.apiObject);
    expect(ApiObjectMetadataDefinition.prototype.toJson).not.toBe(_cdk8sToJson.metadata);
  });

  it('renders what cdk8s renders, in the same key order, running Lazy producers in the same order, failing alike', () => {
    installFusedToJson();
    const log: string[] = [];
    const value = values(log);
    const metadataValue = fc.oneof(fc.string({ maxLength: 4 }), value);
    fc.assert(fc.property(
      fc.dictionary(fc.constantFrom('spec', 'data', 'status', 'kind', 'apiVersion', 'zeta', '1'), value, { maxKeys: 4 }),
      fc.dictionary(fc.constantFrom('app', 'b', 'A', 'team', '3'), metadataValue, { maxKeys: 3 }),
      fc.dictionary(fc.constantFrom('x/y', 'a', 'Z'), metadataValue, { maxKeys: 3 }),
      fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
      fc.dictionary(fc.constantFrom('generateName', 'uid', 'extra'), value, { maxKeys: 2 }),
      fc.option(fc.tuple(fc.constantFrom('/spec', '/metadata/labels/p', '/data'), value)),
      fc.boolean(),
      (props, labels, annotations, finalizers, extra, patch, unsorted) => {
        const chart = new Chart(new App({ outdir: '/nonexistent' }), 'c', { namespace: 'ns', labels: { chart: 'yes' } });
        const o = new ApiObject(chart, 'o', {
          ...props, apiVersion: 'example.com/v1', kind: 'Thing',
          metadata: { labels: labels as Record<string, string>, annotations: annotations as Record<string, string>, finalizers },
        });
        for (const [k, v] of Object.entries(extra)) o.metadata.add(k, v);
        if (patch) o.addJsonPatch(JsonPatch.add(patch[0], patch[1] ?? 'x'));
        if (unsorted) process.env.CDK8S_DISABLE_SORT = '1';
        try {
          const fused = outcome(() => o.toJson(), log);
          const reference = outcome(() => cdk8sRenders(o), log);
          expect(fused).toEqual(reference);
        } finally {
          delete process.env.CDK8S_DISABLE_SORT;
        }
      },
    ), { numRuns: 2000 });
  });

  it('compactMetadata drops only values cdk8s never renders: the same JSON, key order and Lazy order, through cdk8s and fused', () => {
    installFusedToJson();
    const log: string[] = [];
    const value = values(log);
    const metadataValue = fc.oneof(fc.string({ maxLength: 4 }), value);
    fc.assert(fc.property(
      fc.dictionary(fc.constantFrom('app', 'b', 'A'), metadataValue, { maxKeys: 3 }),
      fc.dictionary(fc.constantFrom('x/y', 'a'), metadataValue, { maxKeys: 2 }),
      fc.dictionary(fc.constantFrom('generateName', 'uid', 'name', 'namespace'), value, { maxKeys: 3 }),
      fc.dictionary(fc.constantFrom('extra', 'resourceVersion', 'labels'), value, { maxKeys: 2 }),
      (labels, annotations, given, added) => {
        const chart = new Chart(new App({ outdir: '/nonexistent' }), 'c', { namespace: 'ns', labels: { chart: 'yes' } });
        const o = new ApiObject(chart, 'o', {
          apiVersion: 'example.com/v1', kind: 'Thing', spec: { a: 1 },
          metadata: { ...given, labels: labels as Record<string, string>, annotations: annotations as Record<string, string> },
        });
        for (const [k, v] of Object.entries(added)) o.metadata.add(k, v);
        const before = outcome(() => cdk8sRenders(o), log);
        compactMetadata(o);
        const kept = (o.metadata as unknown as { _additionalAttributes: Record<string, unknown> })._additionalAttributes;
        for (const k of ['name', 'namespace', 'labels', 'annotations', 'finalizers', 'ownerReferences']) expect(kept[k]).toBeUndefined();
        expect(outcome(() => cdk8sRenders(o), log)).toEqual(before);
        expect(outcome(() => o.toJson(), log)).toEqual(before);
        o.metadata.add('later', 'yes'); // still takes additions
        if (before.error === undefined) expect((o.toJson() as { metadata: Record<string, unknown> }).metadata.later).toBe('yes');
      },
    ), { numRuns: 500 });
  });

  it('a generated L1 (its toJson calls the fused one) renders as through cdk8s', async () => {
    installFusedToJson();
    const { KafkaTopic } = await import('../../../constructs/imports/strimzi-kafka.strimzi.io');
    const chart = new Chart(new App({ outdir: '/nonexistent' }), 'c', { namespace: 'kafka' });
    const t = new KafkaTopic(chart, 't', {
      metadata: { name: 'orders', labels: { 'strimzi.io/cluster': 'main' }, annotations: { z: '1', a: Lazy.any({ produce: () => '2' }) as unknown as string } },
      spec: { partitions: 6, replicas: 3, config: { 'retention.ms': 1000, 'cleanup.policy': 'delete' } },
    });
    expect(JSON.stringify(t.toJson())).toBe(JSON.stringify(cdk8sRenders(t)));
    expect(Object.keys(t.toJson())).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  });

  it('an App with resolvers of its own renders through cdk8s, which gives them the key path', () => {
    installFusedToJson();
    const seen: string[] = [];
    const upper: IResolver = {
      resolve(context: ResolutionContext) {
        seen.push(context.key.join('.'));
        if (typeof context.value === 'string' && context.value.startsWith('up:')) context.replaceValue(context.value.slice(3).toUpperCase());
      },
    };
    const chart = new Chart(new App({ outdir: '/nonexistent', resolvers: [upper] }), 'c');
    const o = new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap', data: { b: 'up:x', a: 'y' } });
    expect(o.toJson()).toEqual(cdk8sRenders(o));
    expect((o.toJson() as { data: unknown }).data).toEqual({ a: 'y', b: 'X' });
    expect(seen).toContain('data.b');
  });

  it('an object with a __proto__ key (from parsed JSON) renders through cdk8s', () => {
    installFusedToJson();
    const chart = new Chart(new App({ outdir: '/nonexistent' }), 'c');
    const o = new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap', data: JSON.parse('{"__proto__": {"x": "1"}, "a": "b"}') });
    expect(JSON.stringify(o.toJson())).toBe(JSON.stringify(cdk8sRenders(o)));
  });

  it('keeps cdk8s\'s error: the construct path and name, then what failed', () => {
    installFusedToJson();
    const chart = new Chart(new App({ outdir: '/nonexistent' }), 'c');
    const o = new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: new Opaque() } });
    expect(() => o.toJson()).toThrow(/^Failed serializing construct at path 'c\/o' with name 'c-o-[0-9a-f]+': Error: can't render non-simple object of type 'Opaque'$/);
    expect(outcome(() => o.toJson(), [])).toEqual(outcome(() => cdk8sRenders(o), []));
  });
});
