import { DataPlatform } from 'cdk8s-dataops';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SHARD_BUDGET, planShards, shardedPath, ShardItem, Sharding, unshardedPath } from '../../../lib/synthesizer/shards';

/**
 * The objects of a 50,000-topic environment as sharding sees them: 100 pipelines, each with 500 KafkaTopics and 125
 * KafkaUsers (62,500 objects, about 600 bytes each), plus a few objects directly in the environment.
 */
function fiftyThousandTopics(): ShardItem[] {
  const items: ShardItem[] = [];
  for (let p = 0; p < 100; p++) {
    for (let t = 0; t < 500; t++) items.push({ constructPath: `prod/domain${p}/t${t}`, file: `manifests/prod/kafka/kafkatopic.domain${p}.events-${t}.v1.yaml`, bytes: 560 + (t % 7) * 11 });
    for (let u = 0; u < 125; u++) items.push({ constructPath: `prod/domain${p}/u${u}`, file: `manifests/prod/kafka/kafkauser.domain${p}-u${u}.yaml`, bytes: 1400 });
  }
  items.push({ constructPath: 'prod/registry-config', file: 'manifests/prod/data/configmap.registry.yaml', bytes: 300 });
  return items;
}

function bySize(items: readonly ShardItem[], shards: readonly string[]): Map<string, { objects: number; bytes: number }> {
  const out = new Map<string, { objects: number; bytes: number }>();
  shards.forEach((s, i) => {
    const e = out.get(s) ?? { objects: 0, bytes: 0 };
    e.objects++;
    e.bytes += items[i].bytes;
    out.set(s, e);
  });
  return out;
}

describe('planShards', () => {
  it('leaves an environment within the budget unsharded', () => {
    const items = fiftyThousandTopics().slice(0, DEFAULT_SHARD_BUDGET.maxObjects);
    expect(planShards(items, DEFAULT_SHARD_BUDGET)).toBeUndefined();
  });

  it('shards a 50,000-topic environment (62,500 objects) by pipeline, every shard within 2,000 objects and 8 MiB', () => {
    const items = fiftyThousandTopics();
    const shards = planShards(items, DEFAULT_SHARD_BUDGET)!;
    expect(shards).toHaveLength(items.length);
    const sizes = bySize(items, shards);
    for (const [shard, size] of sizes) {
      expect(size.objects, shard).toBeLessThanOrEqual(2000);
      expect(size.bytes, shard).toBeLessThanOrEqual(8 * 1024 * 1024);
      expect(shard).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
    // one shard per pipeline, the objects directly in the environment in 'common'
    expect([...sizes.keys()].sort()).toEqual([...Array.from({ length: 100 }, (_, p) => `domain${p}`), 'common'].sort());
    expect(sizes.get('domain7')).toEqual({ objects: 625, bytes: expect.any(Number) });
  });

  it('splits a group over the budget by a hash of the object, into a power of two of parts', () => {
    const items = fiftyThousandTopics().map((i) => ({ ...i, constructPath: i.constructPath.replace(/^prod\/domain\d+\//, 'prod/everything/') }));
    const shards = planShards(items, DEFAULT_SHARD_BUDGET)!;
    const sizes = bySize(items, shards);
    const parts = [...sizes.keys()].filter((s) => s.startsWith('everything-'));
    expect(Math.log2(parts.length) % 1).toBe(0);
    expect(parts.length).toBeGreaterThanOrEqual(Math.ceil(62_500 / 2000));
    for (const size of sizes.values()) expect(size.objects).toBeLessThanOrEqual(2000);
  });

  it('is stable: the same input gives the same shards, and a new object moves no other', () => {
    const items = fiftyThousandTopics();
    const before = planShards(items, DEFAULT_SHARD_BUDGET)!;
    expect(planShards([...items], DEFAULT_SHARD_BUDGET)).toEqual(before);
    const grown = [...items.slice(0, 1000), { constructPath: 'prod/domain1/t-new', file: 'manifests/prod/kafka/kafkatopic.new.yaml', bytes: 600 }, ...items.slice(1000)];
    const after = planShards(grown, DEFAULT_SHARD_BUDGET)!;
    expect([...after.slice(0, 1000), ...after.slice(1001)]).toEqual(before);
    expect(after[1000]).toBe('domain1');
  });

  it('respects the byte budget as well as the object count', () => {
    const items = fiftyThousandTopics();
    const shards = planShards(items, { maxObjects: 100_000, maxBytes: 256 * 1024 })!;
    for (const size of bySize(items, shards).values()) expect(size.bytes).toBeLessThanOrEqual(256 * 1024);
  });

  it('maps files to their shard folder and back', () => {
    expect(shardedPath('manifests/prod/kafka/kafkatopic.a.yaml', 'domain1')).toBe('manifests/prod/domain1/kafka/kafkatopic.a.yaml');
    expect(unshardedPath('manifests/prod/domain1/kafka/kafkatopic.a.yaml')).toBe('manifests/prod/kafka/kafkatopic.a.yaml');
    expect(unshardedPath('manifests/prod/kafka/kafkatopic.a.yaml')).toBeUndefined();
    expect(unshardedPath('bootstrap/argocd/x/y/z.yaml')).toBeUndefined();
  });
});

describe('Sharding', () => {
  it('keeps a budget per platform and refuses one that is not a positive integer', () => {
    const platform = new DataPlatform();
    expect(Sharding.budgetOf(platform)).toEqual(DEFAULT_SHARD_BUDGET);
    Sharding.configure(platform, { maxObjects: 10 });
    expect(Sharding.budgetOf(platform)).toEqual({ maxObjects: 10, maxBytes: DEFAULT_SHARD_BUDGET.maxBytes });
    expect(Sharding.budgetOf(new DataPlatform())).toEqual(DEFAULT_SHARD_BUDGET);
    expect(() => Sharding.configure(platform, { maxBytes: 0 })).toThrow(/maxBytes must be a positive integer/);
  });
});
