import { DataFlowGraph, GraphNode } from './graph';
import { OverviewEnd, pipelineOverview, plural } from './overview';

/**
 * Mermaid's default `maxTextSize`, which a Markdown document cannot raise on GitHub (or in most viewers): a longer
 * diagram is shown as "Maximum text size in diagram exceeded" instead of a graph.
 */
export const MERMAID_MAX_TEXT = 50_000;

/**
 * Mermaid flowchart of a graph: datasets as cylinders, processes as boxes, pipelines as subgraphs. Undefined when the
 * text would be longer than `maxLength` (it is not built any further then).
 */
export function renderMermaid(graph: DataFlowGraph, maxLength = Infinity): string | undefined {
  const nodes = graph.nodes;
  const ids = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
  const text = new BoundedText(maxLength, 'flowchart LR');
  const shape = (n: GraphNode) => {
    const label = `${escape(n.name)}<br/><small>${escape(n.kind)}</small>`;
    return n.role === 'dataset' ? `${ids.get(n.id)}[("${label}")]` : `${ids.get(n.id)}["${label}"]`;
  };
  const members = new Map<string, GraphNode[]>();
  for (const n of nodes) if (n.group) (members.get(n.group) ?? members.set(n.group, []).get(n.group)!).push(n);
  const groups = graph.groups;
  for (let gi = 0; gi < groups.length; gi++) {
    const g = groups[gi];
    if (!text.add(`  subgraph g${gi}["${escape(g.name)}${g.owner ? ` · ${escape(g.owner)}` : ''}"]`)) return undefined;
    for (const n of members.get(g.name) ?? []) if (!text.add(`    ${shape(n)}`)) return undefined;
    text.add('  end');
  }
  for (const n of nodes) if (!n.group && !text.add(`  ${shape(n)}`)) return undefined;
  for (const e of graph.edges) if (!text.add(`  ${ids.get(e.from)} --> ${ids.get(e.to)}`)) return undefined;
  return text.result();
}

/**
 * The pipelines of a graph and the data flowing between them (for graphs too large for {@link renderMermaid}): each
 * pipeline is one box with its owner and how many datasets and processes it has, a node outside every pipeline stays
 * a node of its own, and an arrow goes wherever an edge of the graph crosses from one to another. Undefined when even
 * that is longer than `maxLength`.
 */
export function renderPipelineMermaid(graph: DataFlowGraph, maxLength = Infinity): string | undefined {
  const { pipelines, loose, edges } = pipelineOverview(graph);
  const groupIds = new Map(pipelines.map((p, i) => [p.group.name, `g${i}`]));
  const looseIds = new Map(loose.map((n, i) => [n.id, `n${i}`]));
  const text = new BoundedText(maxLength, 'flowchart LR');
  for (const { group: g, datasets, processes } of pipelines) {
    text.add(`  ${groupIds.get(g.name)}["${escape(g.name)}${g.owner ? ` · ${escape(g.owner)}` : ''}<br/>` +
      `<small>${plural(datasets, 'dataset')}, ${plural(processes, 'process', 'processes')}</small>"]`);
  }
  for (const n of loose) {
    const label = `${escape(n.name)}<br/><small>${escape(n.kind)}</small>`;
    text.add(n.role === 'dataset' ? `  ${looseIds.get(n.id)}[("${label}")]` : `  ${looseIds.get(n.id)}["${label}"]`);
  }
  const idOf = (end: OverviewEnd) => ('pipeline' in end ? groupIds.get(end.pipeline)! : looseIds.get(end.node)!);
  for (const e of edges) text.add(`  ${idOf(e.from)} --> ${idOf(e.to)}`);
  return text.result();
}

/** Lines joined by line breaks, given up on (undefined) once longer than a bound. */
class BoundedText {
  private readonly lines: string[];
  private length: number;

  constructor(private readonly max: number, first: string) {
    this.lines = [first];
    this.length = first.length;
  }

  /** Adds a line; false once the text is longer than the bound (lines added after that are dropped). */
  public add(line: string): boolean {
    if (this.length > this.max) return false;
    this.length += 1 + line.length;
    this.lines.push(line);
    return this.length <= this.max;
  }

  public result(): string | undefined {
    return this.length > this.max ? undefined : this.lines.join('\n');
  }
}

function escape(s: string): string {
  return s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
