import { describe, expect, it } from 'vitest';
import { DataFlowGraph } from 'cdk8s-dataops';
import { MERMAID_MAX_TEXT, renderMermaid, renderPipelineMermaid } from '../../../lib/graph/mermaid';
import { lineageFixture } from './fixture';

/** Pipelines of topics, each read by an app of the next pipeline; `loose` topics outside every pipeline. */
function largeGraph(pipelines: number, topicsEach: number, loose = 0): DataFlowGraph {
  const g = new DataFlowGraph('prod');
  for (let p = 0; p < pipelines; p++) {
    const group = g.addGroup({ name: `pipeline-${p}`, owner: `team-${p}` });
    g.addNode({ id: `app:${p}`, role: 'process', kind: 'streaming app', name: `app-${p}`, group });
    for (let t = 0; t < topicsEach; t++) {
      g.addNode({ id: `topic:${p}.${t}`, role: 'dataset', kind: 'topic', name: `domain${p}.events-${t}.v1`, group });
      g.addEdge(`app:${p}`, `topic:${p}.${t}`);
    }
    if (p > 0) g.addEdge(`topic:${p - 1}.0`, `app:${p}`);
  }
  for (let i = 0; i < loose; i++) {
    g.addNode({ id: `topic:loose.${i}`, role: 'dataset', kind: 'topic', name: `loose.events-${i}.v1` });
    g.addEdge('app:0', `topic:loose.${i}`);
  }
  return g;
}

describe('renderMermaid', () => {
  it('renders pipelines as subgraphs, datasets as cylinders and one arrow per edge', () => {
    const text = renderMermaid(DataFlowGraph.of(lineageFixture().env))!;
    expect(text.split('\n')[0]).toBe('flowchart LR');
    expect(text).toContain('subgraph g0["analytics · team-analytics"]');
    expect(text).toMatch(/n\d\[\("payments\.orders\.v1<br\/><small>topic<\/small>"\)\]/);
    expect(text).toMatch(/n\d\["validator<br\/><small>streaming app<\/small>"\]/);
    expect(text.split('\n').filter((l) => l.includes('-->'))).toHaveLength(5);
  });

  it('gives up (undefined) when the diagram would be longer than the bound, and not before', () => {
    const g = largeGraph(20, 40);
    const whole = renderMermaid(g)!;
    expect(whole.length).toBeGreaterThan(MERMAID_MAX_TEXT);
    expect(renderMermaid(g, MERMAID_MAX_TEXT)).toBeUndefined();
    expect(renderMermaid(g, whole.length)).toBe(whole);
    expect(renderMermaid(g, whole.length - 1)).toBeUndefined();
  });
});

describe('renderPipelineMermaid', () => {
  it('draws each pipeline once with its counts, loose nodes as they are, and one arrow per crossing', () => {
    const text = renderPipelineMermaid(largeGraph(3, 400, 2))!;
    expect(text.split('\n')).toEqual([
      'flowchart LR',
      '  g0["pipeline-0 · team-0<br/><small>400 datasets, 1 process</small>"]',
      '  g1["pipeline-1 · team-1<br/><small>400 datasets, 1 process</small>"]',
      '  g2["pipeline-2 · team-2<br/><small>400 datasets, 1 process</small>"]',
      '  n0[("loose.events-0.v1<br/><small>topic</small>")]',
      '  n1[("loose.events-1.v1<br/><small>topic</small>")]',
      '  g0 --> n0',
      '  g0 --> n1',
      '  g0 --> g1',
      '  g1 --> g2',
    ]);
  });

  it('is undefined when even the pipelines are too many for the bound', () => {
    expect(renderPipelineMermaid(largeGraph(3, 1), 60)).toBeUndefined();
  });
});
