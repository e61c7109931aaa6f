import { describe, expect, it } from 'vitest';
import { KafkaCluster, Pipeline, StreamingApp, synthesizePlatform, Topic } from 'cdk8s-dataops';
import { lineageFixture } from './fixture';
import { kafkaFixture } from '../../constructs/kafka/support';

describe('lineage.md', () => {
  it('draws the whole data flow as a Mermaid diagram when it fits', () => {
    const f = lineageFixture();
    const md = synthesizePlatform(f.platform, { outdir: '/nonexistent-dataops-out' }).files.get('reports/lineage.md')!;
    expect(md).toContain('## Environment prod\n\n```mermaid\nflowchart LR\n  subgraph g0["analytics · team-analytics"]');
    expect(md).not.toContain('more than a Mermaid diagram can show');
  });

  it('draws only the pipelines when the whole graph is more than GitHub renders (50,000 characters), and says so', () => {
    const f = kafkaFixture();
    const cluster = KafkaCluster.fromStrimzi(f.env, 'k', {
      name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093', credentialsStore: { name: 'strimzi-users' },
    });
    let previous: Topic | undefined;
    for (let p = 0; p < 4; p++) {
      const pipeline = new Pipeline(f.env, `domain${p}`, { owner: `team-${p}` });
      const topics = Array.from({ length: 200 }, (_, i) => new Topic(pipeline, `t${i}`, { cluster, topicName: `domain${p}.events-${i}.v1` }));
      if (previous) previous.shareWith(pipeline);
      new StreamingApp(pipeline, `app${p}`, { image: 'ghcr.io/acme/app:1.0.0', cluster, reads: previous ? [previous] : [], writes: topics });
      previous = topics[0];
    }
    const md = synthesizePlatform(f.platform, { outdir: '/nonexistent-dataops-out' }).files.get('reports/lineage.md')!;
    const diagrams = [...md.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]);
    expect(diagrams).toHaveLength(1);
    expect(diagrams[0].length).toBeLessThanOrEqual(50_000);
    expect(diagrams[0]).toContain('g0["domain0 · team-0<br/><small>200 datasets, 1 process</small>"]');
    expect(diagrams[0].split('\n').filter((l) => l.includes('-->'))).toEqual(['  g0 --> g1', '  g1 --> g2', '  g2 --> g3']);
    expect(md).toContain('The data flow of this environment (800 datasets, 4 processes) is more than a Mermaid diagram can show (50,000 characters on GitHub).');
    // every dataset is still in the table
    expect(md.split('\n').filter((l) => /^\| domain\d\.events-\d+\.v1 \|/.test(l))).toHaveLength(800);
  });
});
