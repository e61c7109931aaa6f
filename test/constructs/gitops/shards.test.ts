import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataPlatform, Environment, KafkaCluster, KafkaUser, Pipeline, synthesizePlatform, Topic } from 'cdk8s-dataops';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { GitOps } from '../../../constructs/gitops';
import { SHARD_LABEL } from '../../../constructs/gitops/shards';
import { crdProblems } from './crd-schema';
import { buildGoTemplateRenderer, generateApplication, HAS_GO } from './go-template';
import { fileObject, filesUnder, REPO, tmpdir } from './support';

/** prod: 3 pipelines of 4 topics and 2 users (18 objects), over a budget of 8; dev: one small pipeline, within it. */
function platform(budget = { maxObjects: 8 }): DataPlatform {
  const p = new DataPlatform();
  for (const [name, pipelines] of [['dev', 1], ['prod', 3]] as const) {
    const env = new Environment(p, name, { namespace: `data-${name}` });
    const cluster = KafkaCluster.fromStrimzi(env, 'kafka', { name: 'main', namespace: `kafka-${name}`, bootstrapServers: `main-kafka-bootstrap.kafka-${name}:9093` });
    for (let i = 0; i < pipelines; i++) {
      const pipeline = new Pipeline(env, `orders${i}`, { owner: 'team-orders' });
      const topics = [0, 1, 2, 3].map((t) => new Topic(pipeline, `t${t}`, { cluster, topicName: `orders${i}.events-${t}.v1` }));
      for (let u = 0; u < (name === 'dev' ? 1 : 2); u++) {
        const user = new KafkaUser(pipeline, `orders${i}-u${u}`, { cluster });
        topics[u].grantRead(user, { consumerGroup: `orders${i}-${u}` });
      }
    }
  }
  new GitOps(p, { repoURL: REPO, tool: 'both', path: 'dist', shards: budget });
  return p;
}

describe('sharded delivery', () => {
  it('lays a large environment out in shard folders, one per pipeline, and keeps a small one as it is', () => {
    const s = synthesizePlatform(platform(), { outdir: path.join(tmpdir(), 'dist') });
    const prod = filesUnder(s, 'manifests/prod');
    expect(prod).toHaveLength(18);
    expect(new Set(prod.map((f) => f.split('/')[2]))).toEqual(new Set(['orders0', 'orders1', 'orders2']));
    expect(prod).toContain('manifests/prod/orders1/kafka-prod/kafkatopic.orders1.events-2.v1.yaml');
    expect(filesUnder(s, 'manifests/dev')).toContain('manifests/dev/kafka-dev/kafkatopic.orders0.events-0.v1.yaml');
    for (const o of s.objects) expect(s.files.has(o.file), o.file).toBe(true);
  });

  it('delivers each shard with an Application of an ApplicationSet, and each with a Flux Kustomization', () => {
    const s = synthesizePlatform(platform(), { outdir: path.join(tmpdir(), 'dist') });
    expect(filesUnder(s, 'bootstrap/argocd')).toEqual([
      'bootstrap/argocd/application.data-platform-dev.yaml',
      'bootstrap/argocd/applicationset.data-platform-prod.yaml',
      'bootstrap/argocd/appproject.data-platform-dev.yaml',
      'bootstrap/argocd/appproject.data-platform-prod.yaml',
    ]);
    const set = fileObject(s, 'bootstrap/argocd/applicationset.data-platform-prod.yaml');
    expect(crdProblems(set)).toEqual([]);
    expect(set.spec.generators).toEqual([{ git: { repoURL: REPO, revision: 'main', directories: [{ path: 'dist/manifests/prod/*' }] } }]);
    expect(set.spec.template.spec.project).toBe('data-platform-prod');
    expect(set.spec.template.spec.source).toEqual({ repoURL: REPO, targetRevision: 'main', path: '{{.path.path}}', directory: { recurse: true } });

    expect(filesUnder(s, 'bootstrap/flux/prod')).toEqual([
      'bootstrap/flux/prod/gitrepository.data-platform.yaml',
      'bootstrap/flux/prod/kustomization.data-platform-prod-orders0.yaml',
      'bootstrap/flux/prod/kustomization.data-platform-prod-orders1.yaml',
      'bootstrap/flux/prod/kustomization.data-platform-prod-orders2.yaml',
    ]);
    const k = fileObject(s, 'bootstrap/flux/prod/kustomization.data-platform-prod-orders1.yaml');
    expect(crdProblems(k)).toEqual([]);
    expect(k.metadata.name).toBe('data-platform-prod-orders1');
    expect(k.metadata.labels![SHARD_LABEL]).toBe('orders1');
    expect(k.spec.path).toBe('./dist/manifests/prod/orders1');
    expect(filesUnder(s, 'bootstrap/flux/dev')).toEqual([
      'bootstrap/flux/dev/gitrepository.data-platform.yaml', 'bootstrap/flux/dev/kustomization.data-platform-dev.yaml',
    ]);
  });

  it('writes, re-runs without a change, reads previous objects through their shard, and moves files when the budget changes', () => {
    const outdir = path.join(tmpdir(), 'dist');
    const first = synthesizePlatform(platform(), { outdir }).write();
    expect(first.written.length).toBeGreaterThan(18);
    expect(synthesizePlatform(platform(), { outdir }).write().written).toEqual([]);
    expect(synthesizePlatform(platform(), { outdir }).compare().upToDate).toBe(true);
    // Lowering partitions of a topic in a shard is caught against the sharded file (the previous object is found).
    const shrunk = platform();
    const topic = shrunk.node.findAll().find((c) => c instanceof Topic && c.node.path === 'prod/orders1/t2') as Topic;
    expect(topic).toBeDefined();
    const file = path.join(outdir, 'manifests/prod/orders1/kafka-prod/kafkatopic.orders1.events-2.v1.yaml');
    const before = parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(`partitions: ${before.spec.partitions}`, 'partitions: 48'));
    expect(() => synthesizePlatform(shrunk, { outdir })).toThrow(/partition/i);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('partitions: 48', `partitions: ${before.spec.partitions}`));
    // A budget the environment fits in: back to one folder and one Application.
    const result = synthesizePlatform(platform({ maxObjects: 1000 }), { outdir }).write();
    expect(result.removed).toContain('bootstrap/argocd/applicationset.data-platform-prod.yaml');
    expect(fs.existsSync(path.join(outdir, 'manifests/prod/kafka-prod/kafkatopic.orders1.events-2.v1.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(outdir, 'manifests/prod/orders1'))).toBe(false);
  });
});

describe.skipIf(!HAS_GO)('the shard ApplicationSet rendered with Go text/template, as the controller does', () => {
  let render: ReturnType<typeof buildGoTemplateRenderer>;
  beforeAll(() => {
    render = buildGoTemplateRenderer();
  });

  it('generates a valid Application per shard folder that exists in the output', () => {
    const outdir = path.join(tmpdir(), 'dist');
    const s = synthesizePlatform(platform(), { outdir });
    s.write();
    const set = fileObject(s, 'bootstrap/argocd/applicationset.data-platform-prod.yaml');
    const shards = fs.readdirSync(path.join(outdir, 'manifests/prod')).sort();
    expect(shards).toEqual(['orders0', 'orders1', 'orders2']);
    for (const shard of shards) {
      const app = generateApplication(set, `dist/manifests/prod/${shard}`, render);
      expect(app.metadata.name).toBe(`data-platform-prod-${shard}`);
      expect(app.metadata.labels[SHARD_LABEL]).toBe(shard);
      expect(app.spec.source.path).toBe(`dist/manifests/prod/${shard}`);
      expect(crdProblems(app)).toEqual([]);
    }
  });
});
