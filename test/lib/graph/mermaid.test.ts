import { expect, it } from 'vitest';
import { DataFlowGraph } from 'cdk8s-dataops';
import { renderMermaid } from '../../../lib/graph/mermaid';
import { lineageFixture } from './fixture';

it('renders pipelines as subgraphs, datasets as cylinders and one arrow per edge', () => {
  const text = renderMermaid(DataFlowGraph.of(lineageFixture().env));
  expect(text.split('\n')[0]).toBe('flowchart LR');
  expect(text).toContain('subgraph g0["analytics · team-analytics"]');
  expect(text).toMatch(/n\d\[\("payments\.orders\.v1<br\/><small>topic<\/small>"\)\]/);
  expect(text).toMatch(/n\d\["validator<br\/><small>streaming app<\/small>"\]/);
  expect(text.split('\n').filter((l) => l.includes('-->'))).toHaveLength(5);
});
