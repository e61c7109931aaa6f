import { describe, expect, it } from 'vitest';
import { DataFlowGraph } from 'cdk8s-dataops';
import { pipelineOverview, plural } from '../../../lib/graph/overview';

describe('pipelineOverview', () => {
  it('counts each pipeline once, keeps nodes outside pipelines, and keeps one edge per pair of ends that data crosses', () => {
    const g = new DataFlowGraph('prod');
    const orders = g.addGroup({ name: 'orders', owner: 'team-a' });
    const billing = g.addGroup({ name: 'billing' });
    g.addGroup({ name: 'empty' });
    g.addNode({ id: 'app:enricher', role: 'process', kind: 'app', name: 'enricher', group: orders });
    g.addNode({ id: 'topic:raw', role: 'dataset', kind: 'topic', name: 'raw', group: orders });
    g.addNode({ id: 'topic:enriched', role: 'dataset', kind: 'topic', name: 'enriched', group: orders });
    g.addNode({ id: 'app:invoicer', role: 'process', kind: 'app', name: 'invoicer', group: billing });
    g.addNode({ id: 'topic:external', role: 'dataset', kind: 'topic', name: 'external' });
    g.addEdge('topic:raw', 'app:enricher'); // inside orders: no overview edge
    g.addEdge('app:enricher', 'topic:enriched');
    g.addEdge('topic:enriched', 'app:invoicer'); // orders → billing
    g.addEdge('topic:raw', 'app:invoicer'); // orders → billing again: one edge
    g.addEdge('topic:external', 'app:enricher'); // loose → orders
    const overview = pipelineOverview(g);
    expect(overview.pipelines.map((p) => [p.group.name, p.datasets, p.processes])).toEqual([['billing', 0, 1], ['empty', 0, 0], ['orders', 2, 1]]);
    expect(overview.loose.map((n) => n.id)).toEqual(['topic:external']);
    expect(overview.edges).toEqual([
      { from: { pipeline: 'orders' }, to: { pipeline: 'billing' } },
      { from: { node: 'topic:external' }, to: { pipeline: 'orders' } },
    ]);
  });

  it('writes counts in the singular and the plural', () => {
    expect([plural(1, 'dataset'), plural(2, 'dataset'), plural(0, 'process', 'processes')]).toEqual(['1 dataset', '2 datasets', '0 processes']);
  });
});
