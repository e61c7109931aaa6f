import { DatasetClassification, describeClassifiedField, propagateClassification } from './classification';
import { DataFlowGraph, GraphGroup, GraphNode } from './graph';
import { pipelineOverview, plural } from './overview';

const NODE_W = 210;
const NODE_H = 46;
const COL_GAP = 60;
const ROW_GAP = 22;
const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2', '#4d7c0f', '#be185d'];
/**
 * The most nodes one drawing shows. A larger environment is drawn as its pipelines (one box each), then pipeline by
 * pipeline: drawn whole, 50,000 topics made a column 2.5 million pixels tall in a 39 MB page.
 */
const MAX_DRAWN_NODES = 300;

/**
 * A standalone HTML page (inline CSS, inline SVG, a few lines of inline script for highlighting; nothing loaded
 * from the network) showing each environment's data flow: pipelines and owners, datasets, processes and who reads
 * and writes what. Deterministic: the same graphs give the same bytes.
 */
export function renderLineageHtml(title: string, graphs: readonly DataFlowGraph[]): string {
  const sections = graphs.map((g) => renderEnvironment(g)).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #111827; background: #f9fafb; }
header { background: #111827; color: #fff; padding: 14px 24px; }
header h1 { font-size: 18px; margin: 0; }
main { padding: 16px 24px 48px; }
section.environment { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 16px; margin-bottom: 24px; }
h2 { margin: 0 0 12px; font-size: 17px; }
h3 { font-size: 15px; margin: 20px 0 8px; }
.graph { overflow-x: auto; border: 1px solid #f3f4f6; border-radius: 6px; }
svg text { font: 12px system-ui, sans-serif; }
svg .node rect { stroke-width: 1.5; }
svg .node.dataset rect { rx: 14; }
svg .edge { fill: none; stroke: #9ca3af; stroke-width: 1.5; }
svg.highlighting .node:not(.lit), svg.highlighting .edge:not(.lit) { opacity: 0.18; }
svg .edge.lit { stroke: #111827; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.muted { color: #6b7280; }
</style>
</head>
<body>
<header><h1>${esc(title)}</h1></header>
<main>
${sections || '<p class="muted">No datasets or processes are declared.</p>'}
</main>
<script>
document.querySelectorAll('svg.lineage').forEach(function (svg) {
  svg.querySelectorAll('.node').forEach(function (node) {
    node.addEventListener('mouseenter', function () {
      var id = node.getAttribute('data-id');
      svg.classList.add('highlighting');
      node.classList.add('lit');
      svg.querySelectorAll('.edge').forEach(function (e) {
        if (e.getAttribute('data-from') === id || e.getAttribute('data-to') === id) {
          e.classList.add('lit');
          svg.querySelectorAll('.node').forEach(function (n) {
            var nid = n.getAttribute('data-id');
            if (nid === e.getAttribute('data-from') || nid === e.getAttribute('data-to')) n.classList.add('lit');
          });
        }
      });
    });
    node.addEventListener('mouseleave', function () {
      svg.classList.remove('highlighting');
      svg.querySelectorAll('.lit').forEach(function (e) { e.classList.remove('lit'); });
    });
  });
});
</script>
</body>
</html>
`;
}

function renderEnvironment(graph: DataFlowGraph): string {
  const groups = graph.groups;
  const classes = propagateClassification(graph);
  const color = new Map(groups.map((g, i) => [g.name, PALETTE[i % PALETTE.length]]));
  const env = graph.environment;
  const count = graph.nodes.length;
  let drawings: string;
  if (count <= MAX_DRAWN_NODES) {
    drawings = `<div class="graph">${drawing(graph, `arrow-${env}`, `data flow of ${env}`, color, classes, true)}</div>`;
  } else {
    const parts = [`<p class="muted too-many">${count} datasets and processes are more than one drawing shows (${MAX_DRAWN_NODES}). ` +
      'The first drawing shows the pipelines and the data flowing between them; each pipeline below draws its own nodes ' +
      'and the nodes it exchanges data with. The tables list every dataset and process.</p>',
    `<div class="graph">${drawing(overviewGraph(graph), `arrow-${env}`, `pipelines of ${env}`, color, classes, false)}</div>`];
    // Arrowheads are ids of the page: `.pN` cannot collide with another environment's (names are DNS labels).
    pipelineGraphs(graph).forEach(({ group, members, drawn }, i) => {
      const summary = `<summary>${esc(group.name)}${group.owner ? ` · ${esc(group.owner)}` : ''} (${plural(members, 'node')})</summary>`;
      parts.push(`<details class="pipeline" data-pipeline="${esc(group.name)}">${summary}` + (typeof drawn === 'number'
        ? `<p class="muted">${drawn} nodes with those it exchanges data with: more than one drawing shows; the tables list them.</p>`
        : `<div class="graph">${drawing(drawn, `arrow-${env}.p${i}`, `data flow of pipeline ${group.name} in ${env}`, color, classes, true)}</div>`) + '</details>');
    });
    drawings = parts.join('\n');
  }

  const name = (id: string) => graph.node(id)?.name ?? id;
  const classification = (id: string) => {
    const c = classes.get(id);
    return c ? [...c.tags.map((t) => `dataset: ${t}`), ...c.fields.map((f) => describeClassifiedField(graph, f))].join('; ') : '';
  };
  const pipelineRows = groups.map((g) => `<tr><td><span class="swatch" style="background:${color.get(g.name)}"></span>${esc(g.name)}</td>` +
    `<td>${esc(g.owner ?? '')}</td><td>${esc(g.domain ?? '')}</td><td>${esc(g.description ?? '')}</td><td>${esc((g.tags ?? []).join(', '))}</td></tr>`);
  const datasetRows = graph.nodes.filter((n) => n.role === 'dataset').map((n) => `<tr><td>${esc(n.name)}</td><td>${esc(n.kind)}</td><td>${esc(n.group ?? '')}</td>` +
    `<td>${esc(graph.writersOf(n.id).map(name).join(', '))}</td><td>${esc(graph.readersOf(n.id).map(name).join(', '))}</td><td class="classification">${esc(classification(n.id))}</td><td>${esc(details(n))}</td></tr>`);
  const processRows = graph.nodes.filter((n) => n.role === 'process').map((n) => `<tr><td>${esc(n.name)}</td><td>${esc(n.kind)}</td><td>${esc(n.group ?? '')}</td>` +
    // writersOf/readersOf are the ends of the edges into and out of any node (indexed, not a scan per node).
    `<td>${esc(graph.writersOf(n.id).map(name).join(', '))}</td><td>${esc(graph.readersOf(n.id).map(name).join(', '))}</td><td>${esc(details(n))}</td></tr>`);
  return `<section class="environment" id="env-${esc(graph.environment)}">
<h2>Environment ${esc(graph.environment)}</h2>
${drawings}
<h3>Pipelines</h3>
<table class="pipelines"><thead><tr><th>Pipeline</th><th>Owner</th><th>Domain</th><th>Description</th><th>Tags</th></tr></thead><tbody>${pipelineRows.join('') || '<tr><td colspan="5" class="muted">none</td></tr>'}</tbody></table>
<h3>Datasets</h3>
${folded(`<table class="datasets"><thead><tr><th>Dataset</th><th>Kind</th><th>Pipeline</th><th>Written by</th><th>Read by</th><th>Classification</th><th>Details</th></tr></thead><tbody>${datasetRows.join('')}</tbody></table>`, datasetRows.length, 'dataset')}
<h3>Processes</h3>
${folded(`<table class="processes"><thead><tr><th>Process</th><th>Kind</th><th>Pipeline</th><th>Reads</th><th>Writes</th><th>Details</th></tr></thead><tbody>${processRows.join('')}</tbody></table>`, processRows.length, 'process', 'processes')}
</section>`;
}

/**
 * One drawing: the graph's nodes in columns (each node's column is the longest path reaching it), its edges as curves.
 * `marker` is the id of the arrowhead, unique in the page; `showGroup` adds each node's pipeline under its kind.
 */
function drawing(graph: DataFlowGraph, marker: string, label: string, color: ReadonlyMap<string, string>,
  classes: ReadonlyMap<string, DatasetClassification>, showGroup: boolean): string {
  const layers = graph.layers();
  const pos = new Map<string, { x: number; y: number }>();
  layers.forEach((layer, col) => layer.forEach((n, row) => pos.set(n.id, { x: 16 + col * (NODE_W + COL_GAP), y: 16 + row * (NODE_H + ROW_GAP) })));
  const width = 32 + Math.max(1, layers.length) * (NODE_W + COL_GAP) - COL_GAP;
  const height = 32 + Math.max(1, ...layers.map((l) => l.length)) * (NODE_H + ROW_GAP) - ROW_GAP;
  const edges = graph.edges.map((e) => {
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    const x1 = a.x + NODE_W; const y1 = a.y + NODE_H / 2; const x2 = b.x; const y2 = b.y + NODE_H / 2;
    const mx = (x1 + x2) / 2;
    return `<path class="edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}" marker-end="url(#${esc(marker)})" d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 4},${y2}"/>`;
  });
  const nodes = graph.nodes.map((n) => {
    const p = pos.get(n.id)!;
    const c = (n.group && color.get(n.group)) || '#6b7280';
    return `<g class="node ${n.role}" data-id="${esc(n.id)}" transform="translate(${p.x},${p.y})">` +
      `<title>${esc(!showGroup && n.group ? `pipeline ${n.name}: ${n.kind}` : `${n.kind} ${n.name}${n.group ? ` (pipeline ${n.group})` : ''}`)}</title>` +
      `<rect width="${NODE_W}" height="${NODE_H}" fill="${n.role === 'dataset' ? '#fff' : `${c}14`}" stroke="${c}"/>` +
      `<text x="10" y="19" font-weight="600">${esc(truncate(n.name, 30))}</text>` +
      `<text x="10" y="35" fill="#6b7280">${esc(n.kind)}${showGroup && n.group ? ` · ${esc(truncate(n.group, 18))}` : ''}</text>` +
      (classes.has(n.id) ? `<text class="tag" x="${NODE_W - 8}" y="19" text-anchor="end" fill="#b91c1c" font-weight="600">${esc(tagsOf(classes.get(n.id)!).join(' '))}</text>` : '') + '</g>';
  });
  return `<svg class="lineage" role="img" aria-label="${esc(label)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs><marker id="${esc(marker)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b7280"/></marker></defs>` +
    `${edges.join('')}${nodes.join('')}</svg>`;
}

/** The pipelines as one node each (named by the pipeline, its kind the counts), the nodes outside them, the flows between. */
function overviewGraph(graph: DataFlowGraph): DataFlowGraph {
  const { pipelines, loose, edges } = pipelineOverview(graph);
  const overview = new DataFlowGraph(graph.environment);
  const idOf = (end: { pipeline: string } | { node: string }) => ('pipeline' in end ? `pipeline:${end.pipeline}` : end.node);
  for (const { group, datasets, processes } of pipelines) {
    overview.addNode({
      id: `pipeline:${group.name}`, role: 'process', name: group.name, group: overview.addGroup(group),
      kind: `${plural(datasets, 'dataset')}, ${plural(processes, 'process', 'processes')}`,
    });
  }
  for (const n of loose) overview.addNode(n);
  for (const e of edges) overview.addEdge(idOf(e.from), idOf(e.to));
  return overview;
}

/**
 * Each pipeline's own graph: its nodes, the nodes outside it that it reads from or writes to, and those edges; only
 * the size (a number) when that is more than one drawing shows.
 */
function pipelineGraphs(graph: DataFlowGraph): { group: GraphGroup; members: number; drawn: DataFlowGraph | number }[] {
  const byId = new Map<string, GraphNode>();
  const members = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    byId.set(n.id, n);
    if (n.group) (members.get(n.group) ?? members.set(n.group, []).get(n.group)!).push(n);
  }
  const touching = new Map<string, { from: string; to: string }[]>();
  for (const e of graph.edges) {
    const a = byId.get(e.from)!.group;
    const b = byId.get(e.to)!.group;
    if (a) (touching.get(a) ?? touching.set(a, []).get(a)!).push(e);
    if (b && b !== a) (touching.get(b) ?? touching.set(b, []).get(b)!).push(e);
  }
  const groups = graph.groups;
  const groupByName = new Map(groups.map((g) => [g.name, g]));
  return groups.map((group) => {
    const own = members.get(group.name) ?? [];
    const edges = touching.get(group.name) ?? [];
    const ids = new Set(own.map((n) => n.id));
    for (const e of edges) ids.add(e.from).add(e.to);
    if (ids.size > MAX_DRAWN_NODES) return { group, members: own.length, drawn: ids.size };
    const drawn = new DataFlowGraph(graph.environment);
    for (const id of ids) {
      const n = byId.get(id)!;
      drawn.addGroup(n.group !== undefined ? groupByName.get(n.group) : undefined);
      drawn.addNode(n);
    }
    for (const e of edges) drawn.addEdge(e.from, e.to);
    return { group, members: own.length, drawn };
  });
}

/**
 * A table of more rows than one drawing shows nodes, folded (a browser lays out a closed section only when it is
 * opened: 62,000 rows open made a page 2.4 million pixels tall that took 7 s to load); a smaller one as it is.
 */
function folded(table: string, rows: number, one: string, many?: string): string {
  if (rows <= MAX_DRAWN_NODES) return table;
  return `<details class="listing"><summary>${plural(rows, one, many)}: show the table</summary>${table}</details>`;
}

/** The distinct tags of a classified dataset (its own and its fields'), for the node badge. */
function tagsOf(c: { tags: readonly string[]; fields: readonly { tags: readonly string[] }[] }): string[] {
  return [...new Set([...c.tags, ...c.fields.flatMap((f) => f.tags)])].sort();
}

function details(n: GraphNode): string {
  return Object.entries(n.details ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ');
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

const ESCAPED: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function esc(s: string): string {
  return /[&<>"]/.test(s) ? s.replace(/[&<>"]/g, (c) => ESCAPED[c]) : s;
}
