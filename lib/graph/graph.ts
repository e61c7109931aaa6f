import { IConstruct } from 'constructs';
import type { Environment } from '../platform';

/** A dataset (a topic, a table, a dbt model) or a process (an app, a connector, a job) in the data-flow graph. */
export interface GraphNode {
  /** Stable id, unique in an environment, e.g. `topic:main/payments.orders.v1`. */
  readonly id: string;
  /** Datasets hold data; processes move it. */
  readonly role: 'dataset' | 'process';
  /** What it is, for display: 'topic', 'app', 'connector', 'dbt model', 'table', ... */
  readonly kind: string;
  /** Display name. */
  readonly name: string;
  /** The group (pipeline) it belongs to. @default - none */
  readonly group?: string;
  /** Details shown in reports (partitions, image, ...). @default - none */
  readonly details?: Readonly<Record<string, string | number>>;
  /** The node's identity in data catalogs (OpenLineage namespace and name). @default - see `catalogName` */
  readonly catalog?: CatalogName;
  /** A dataset's fields, with their classification tags. @default - unknown */
  readonly fields?: readonly GraphField[];
  /** Classification tags of the whole dataset (`pii`, `public`, ...). @default - none */
  readonly tags?: readonly string[];
  /** Fields a process removes or masks in everything it writes (their tags do not flow on). @default - none */
  readonly removes?: readonly string[];
}

/** A dataset or job name in data catalogs (OpenLineage naming: a namespace such as `scheme://authority`, and a name). */
export interface CatalogName {
  readonly namespace: string;
  readonly name: string;
}

/** A field of a dataset. */
export interface GraphField {
  /** Field name; nested fields are dotted. */
  readonly name: string;
  /** Type as written in the dataset's schema. @default - unknown */
  readonly type?: string;
  /** Classification tags. @default - none */
  readonly tags?: readonly string[];
}

/** What can be added to an existing node, from any contributor, in any order. */
export type GraphAnnotation = Pick<GraphNode, 'catalog' | 'fields' | 'tags' | 'removes'>;

/** Data flowing from a dataset into a process (a read) or from a process into a dataset (a write). */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
}

/** A group of nodes, with its owner (a pipeline). */
export interface GraphGroup {
  readonly name: string;
  readonly owner?: string;
  readonly description?: string;
  readonly domain?: string;
  readonly tags?: readonly string[];
}

/** Implemented by constructs that add nodes and edges to the graph (topics, apps, connectors, dbt models). */
export interface IGraphContributor {
  addToGraph(graph: DataFlowGraph): void;
}

/** Implemented by constructs that group others (pipelines). */
export interface IGraphGroup {
  readonly graphGroup: GraphGroup;
}

/** `localeCompare` (the default locale's order, which the reports are sorted in), many times faster per call. */
const compare = new Intl.Collator().compare;

function isContributor(c: unknown): c is IGraphContributor {
  return typeof (c as IGraphContributor).addToGraph === 'function';
}

function isGroup(c: unknown): c is IGraphGroup {
  return typeof (c as IGraphGroup).graphGroup === 'object' && (c as IGraphGroup).graphGroup !== null;
}

/**
 * The data-flow graph of one environment: datasets, the processes between them, and the groups (pipelines) that own
 * them. Built from the constructs (not from YAML) by asking every contributor to add itself.
 */
export class DataFlowGraph {
  /** Builds the graph of an environment. */
  public static of(env: Environment): DataFlowGraph {
    const graph = new DataFlowGraph(env.name);
    for (const c of env.node.findAll()) if (isContributor(c)) c.addToGraph(graph);
    return graph;
  }

  /** The group a construct belongs to (its nearest grouping ancestor). */
  public static groupOf(scope: IConstruct): GraphGroup | undefined {
    const scopes = scope.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) if (isGroup(scopes[i])) return (scopes[i] as unknown as IGraphGroup).graphGroup;
    return undefined;
  }

  private readonly nodeMap = new Map<string, GraphNode>();
  private readonly edgeList: GraphEdge[] = [];
  private readonly groupMap = new Map<string, GraphGroup>();
  private readonly annotations = new Map<string, GraphAnnotation[]>();
  /** Sorted nodes and edges and the edges' index by end, built once after the last change (readersOf/writersOf run per node). */
  private sorted?: {
    readonly nodes: GraphNode[]; readonly edges: GraphEdge[]; readonly from: Map<string, string[]>; readonly to: Map<string, string[]>;
  };

  constructor(public readonly environment: string) {}

  /** Adds a node; adding the same id again merges details (the first name and kind stay). */
  public addNode(node: GraphNode): void {
    this.sorted = undefined;
    const prev = this.nodeMap.get(node.id);
    this.nodeMap.set(node.id, prev ? { ...prev, group: prev.group ?? node.group, details: { ...node.details, ...prev.details } } : node);
  }

  /**
   * Adds facts to a node that another contributor adds (a schema's fields to its dataset, tags, a process's removed
   * fields). Annotations merge in any order: fields by name (tags united), tags united, the first catalog name wins.
   */
  public annotate(id: string, annotation: GraphAnnotation): void {
    this.sorted = undefined;
    (this.annotations.get(id) ?? this.annotations.set(id, []).get(id)!).push(annotation);
  }

  /** Adds an edge (adding the same edge again changes nothing). */
  public addEdge(from: string, to: string): void {
    this.sorted = undefined;
    // The ends as the nodes' own id strings when the nodes exist (contributors build an id afresh for every edge).
    // Duplicates are dropped when the edges are indexed: a set of edge keys kept for the graph's life was 5 MB at
    // 50,000 topics.
    this.edgeList.push({ from: this.nodeMap.get(from)?.id ?? from, to: this.nodeMap.get(to)?.id ?? to });
  }

  /** Registers a group (done by contributors for the group they are in). */
  public addGroup(group: GraphGroup | undefined): string | undefined {
    if (!group) return undefined;
    if (!this.groupMap.has(group.name)) this.groupMap.set(group.name, group);
    return group.name;
  }

  /** Nodes sorted by id. */
  public get nodes(): GraphNode[] {
    return [...this.index().nodes];
  }

  /** Edges whose ends both exist, sorted. */
  public get edges(): GraphEdge[] {
    return [...this.index().edges];
  }

  /** Groups sorted by name. */
  public get groups(): GraphGroup[] {
    return [...this.groupMap.values()].sort((a, b) => compare(a.name, b.name));
  }

  /** A node by id. */
  public node(id: string): GraphNode | undefined {
    const n = this.nodeMap.get(id);
    return n && this.annotated(n);
  }

  private annotated(n: GraphNode): GraphNode {
    const list = this.annotations.get(n.id);
    if (!list) return n;
    let { catalog, fields, tags, removes } = n;
    for (const a of list) {
      catalog ??= a.catalog;
      if (a.tags) tags = union(tags, a.tags);
      if (a.removes) removes = union(removes, a.removes);
      if (a.fields) {
        const byName = new Map((fields ?? []).map((f) => [f.name, f]));
        for (const f of a.fields) {
          const prev = byName.get(f.name);
          byName.set(f.name, prev ? { name: f.name, type: prev.type ?? f.type, tags: union(prev.tags, f.tags ?? []) } : f);
        }
        fields = [...byName.values()];
      }
    }
    return { ...n, catalog, fields, tags, removes };
  }

  /** Ids of the processes that read a dataset. */
  public readersOf(datasetId: string): string[] {
    return [...(this.index().from.get(datasetId) ?? [])];
  }

  /** Ids of the processes that write a dataset. */
  public writersOf(datasetId: string): string[] {
    return [...(this.index().to.get(datasetId) ?? [])];
  }

  private index(): NonNullable<DataFlowGraph['sorted']> {
    if (!this.sorted) {
      const seen = new Set<string>();
      const edges = this.edgeList.filter((e) => {
        const key = `${e.from}\u0000${e.to}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return this.nodeMap.has(e.from) && this.nodeMap.has(e.to);
      }).sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
      const from = new Map<string, string[]>();
      const to = new Map<string, string[]>();
      for (const e of edges) {
        (from.get(e.from) ?? from.set(e.from, []).get(e.from)!).push(e.to);
        (to.get(e.to) ?? to.set(e.to, []).get(e.to)!).push(e.from);
      }
      // Exact copies: an array grown by push keeps room for 17 entries, and most nodes have one or two edges.
      for (const ends of [from, to]) for (const [id, list] of ends) ends.set(id, list.slice());
      const nodes = [...this.nodeMap.values()].map((n) => this.annotated(n)).sort((a, b) => compare(a.id, b.id));
      this.sorted = { nodes, edges, from, to };
    }
    return this.sorted;
  }

  /**
   * Layers for drawing left to right: each node's column is the length of the longest path reaching it
   * (cycles are broken by ignoring back edges).
   */
  public layers(): GraphNode[][] {
    const nodes = this.nodes;
    const incoming = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
    for (const e of this.edges) incoming.get(e.to)!.push(e.from);
    const depth = new Map<string, number>();
    const visiting = new Set<string>();
    const visit = (id: string): number => {
      if (depth.has(id)) return depth.get(id)!;
      if (visiting.has(id)) return 0;
      visiting.add(id);
      const d = Math.max(-1, ...incoming.get(id)!.map(visit)) + 1;
      visiting.delete(id);
      depth.set(id, d);
      return d;
    };
    nodes.forEach((n) => visit(n.id));
    const layers: GraphNode[][] = [];
    for (const n of nodes) (layers[depth.get(n.id)!] ??= []).push(n);
    return layers.filter(Boolean);
  }
}

function union(a: readonly string[] | undefined, b: readonly string[]): string[] {
  return [...new Set([...(a ?? []), ...b])].sort();
}
