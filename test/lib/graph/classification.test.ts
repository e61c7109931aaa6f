import { describe, expect, it } from 'vitest';
import { DataFlowGraph } from 'cdk8s-dataops';
import { propagateClassification } from '../../../lib/graph/classification';

function graph(): DataFlowGraph {
  const g = new DataFlowGraph('prod');
  g.addNode({ id: 'a', role: 'dataset', kind: 'topic', name: 'a', fields: [{ name: 'email', tags: ['pii'] }, { name: 'id' }] });
  g.addNode({ id: 'b', role: 'dataset', kind: 'topic', name: 'b' });
  g.addNode({ id: 'p', role: 'process', kind: 'app', name: 'p' });
  g.addNode({ id: 'q', role: 'process', kind: 'app', name: 'q' });
  g.addEdge('a', 'p'); g.addEdge('p', 'b');
  g.addEdge('b', 'q'); g.addEdge('q', 'a'); // a cycle back into the source
  return g;
}

describe('propagateClassification', () => {
  it('carries field tags through processes to a fixed point, cycles included, remembering the origin', () => {
    const c = propagateClassification(graph());
    expect(c.get('a')).toEqual({ tags: [], fields: [{ name: 'email', tags: ['pii'], from: [] }] });
    expect(c.get('b')).toEqual({ tags: [], fields: [{ name: 'email', tags: ['pii'], from: ['a'] }] });
  });

  it('stops at a process that removes the field; annotations merge in any order', () => {
    const g = graph();
    g.annotate('p', { removes: ['email'] });
    g.annotate('b', { tags: ['sensitive'], fields: [{ name: 'id', type: 'string', tags: ['public'] }] });
    const c = propagateClassification(g);
    expect(c.get('b')).toEqual({ tags: ['sensitive'], fields: [{ name: 'id', tags: ['public'], from: [] }] });
    expect(c.get('a')!.tags).toEqual(['sensitive']); // through q, back to a
    expect(g.node('b')!.fields).toEqual([{ name: 'id', type: 'string', tags: ['public'] }]);
  });
});
