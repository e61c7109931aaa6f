import { DataFlowGraph, GraphNode } from './graph';

/** Mermaid flowchart of a graph: datasets as cylinders, processes as boxes, pipelines as subgraphs. */
export function renderMermaid(graph: DataFlowGraph): string {
  const nodes = graph.nodes;
  const ids = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart LR'];
  const shape = (n: GraphNode) => {
    const label = `${escape(n.name)}<br/><small>${escape(n.kind)}</small>`;
    return n.role === 'dataset' ? `${ids.get(n.id)}[("${label}")]` : `${ids.get(n.id)}["${label}"]`;
  };
  const groups = graph.groups;
  groups.forEach((g, gi) => {
    lines.push(`  subgraph g${gi}["${escape(g.name)}${g.owner ? ` · ${escape(g.owner)}` : ''}"]`);
    for (const n of nodes.filter((x) => x.group === g.name)) lines.push(`    ${shape(n)}`);
    lines.push('  end');
  });
  for (const n of nodes.filter((x) => !x.group)) lines.push(`  ${shape(n)}`);
  for (const e of graph.edges) lines.push(`  ${ids.get(e.from)} --> ${ids.get(e.to)}`);
  return lines.join('\n');
}

function escape(s: string): string {
  return s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
