import { DataFlowGraph, GraphGroup, GraphNode } from './graph';

/** A pipeline seen from afar: how many datasets and processes it holds. */
export interface PipelineSummary {
  readonly group: GraphGroup;
  readonly datasets: number;
  readonly processes: number;
}

/** One end of an overview edge: a whole pipeline, or a node outside every pipeline. */
export type OverviewEnd = { readonly pipeline: string } | { readonly node: string };

/**
 * The pipelines of a graph and the data flowing between them, for graphs too large to show node by node: each
 * pipeline is one summary, a node outside every pipeline stays a node of its own, and an edge goes wherever an edge of
 * the graph crosses from one to another (once per pair of ends, in the graph's edge order).
 */
export interface PipelineOverview {
  /** Every pipeline of the graph, sorted by name. */
  readonly pipelines: readonly PipelineSummary[];
  /** The nodes outside every pipeline, sorted by id. */
  readonly loose: readonly GraphNode[];
  readonly edges: readonly { readonly from: OverviewEnd; readonly to: OverviewEnd }[];
}

/** The pipeline overview of a graph. */
export function pipelineOverview(graph: DataFlowGraph): PipelineOverview {
  const counts = new Map<string, { datasets: number; processes: number }>();
  const loose: GraphNode[] = [];
  for (const n of graph.nodes) {
    if (!n.group) {
      loose.push(n);
      continue;
    }
    const c = counts.get(n.group) ?? counts.set(n.group, { datasets: 0, processes: 0 }).get(n.group)!;
    if (n.role === 'dataset') c.datasets++;
    else c.processes++;
  }
  const pipelines = graph.groups.map((group) => ({ group, ...(counts.get(group.name) ?? { datasets: 0, processes: 0 }) }));
  const endOf = (id: string): OverviewEnd => {
    const group = graph.node(id)?.group;
    return group !== undefined ? { pipeline: group } : { node: id };
  };
  const key = (end: OverviewEnd) => ('pipeline' in end ? `p\u0000${end.pipeline}` : `n\u0000${end.node}`);
  const seen = new Set<string>();
  const edges: { from: OverviewEnd; to: OverviewEnd }[] = [];
  for (const e of graph.edges) {
    const from = endOf(e.from);
    const to = endOf(e.to);
    const k = `${key(from)}\u0001${key(to)}`;
    if (key(from) === key(to) || seen.has(k)) continue;
    seen.add(k);
    edges.push({ from, to });
  }
  return { pipelines, loose, edges };
}

/** `n dataset(s)`, `n process(es)`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
