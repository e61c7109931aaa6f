import { describe, expect, it } from 'vitest';
import { DataFlowGraph } from 'cdk8s-dataops';
import { lineageFixture } from './fixture';

describe('DataFlowGraph', () => {
  it('is built from the constructs: datasets, processes, read and write edges, pipelines', () => {
    const { env } = lineageFixture();
    const g = DataFlowGraph.of(env);
    expect(g.nodes.map((n) => `${n.role}:${n.name}@${n.group}`)).toEqual([
      'process:enricher@orders', 'process:loader@analytics', 'process:validator@orders',
      'dataset:payments.orders-enriched.v1@orders', 'dataset:payments.orders-validated.v1@orders', 'dataset:payments.orders.v1@orders',
    ]);
    expect(g.edges.map((e) => `${g.node(e.from)!.name} -> ${g.node(e.to)!.name}`)).toEqual([
      'enricher -> payments.orders-enriched.v1',
      'validator -> payments.orders-validated.v1',
      'payments.orders-enriched.v1 -> loader',
      'payments.orders-validated.v1 -> enricher',
      'payments.orders.v1 -> validator',
    ]);
    expect(g.groups.map((x) => [x.name, x.owner])).toEqual([['analytics', 'team-analytics'], ['orders', 'team-payments']]);
  });

  it('lays the flow out left to right by longest path', () => {
    const g = DataFlowGraph.of(lineageFixture().env);
    expect(g.layers().map((l) => l.map((n) => n.name))).toEqual([
      ['payments.orders.v1'], ['validator'], ['payments.orders-validated.v1'], ['enricher'], ['payments.orders-enriched.v1'], ['loader'],
    ]);
  });

  it('survives cycles', () => {
    const g = new DataFlowGraph('x');
    g.addNode({ id: 'a', role: 'dataset', kind: 'topic', name: 'a' });
    g.addNode({ id: 'p', role: 'process', kind: 'app', name: 'p' });
    g.addEdge('a', 'p');
    g.addEdge('p', 'a');
    expect(g.layers().flat().map((n) => n.id).sort()).toEqual(['a', 'p']);
  });

  it('keeps an edge added twice once, and an edge added before its nodes once they exist', () => {
    const g = new DataFlowGraph('x');
    g.addEdge('t', 'p'); // before both nodes
    g.addNode({ id: 't', role: 'dataset', kind: 'topic', name: 't' });
    g.addNode({ id: 'p', role: 'process', kind: 'app', name: 'p' });
    g.addEdge('t', 'p');
    g.addEdge(`${'t'}`, 'p');
    g.addEdge('p', 'gone'); // an end that never exists
    expect(g.edges).toEqual([{ from: 't', to: 'p' }]);
    expect(g.readersOf('t')).toEqual(['p']);
    expect(g.writersOf('p')).toEqual(['t']);
    g.addEdge('p', 't');
    expect(g.edges).toEqual([{ from: 'p', to: 't' }, { from: 't', to: 'p' }]);
  });
});
