import { DataFlowGraph } from './graph';

/** A classified field of a dataset, declared there or inherited from upstream datasets. */
export interface ClassifiedField {
  readonly name: string;
  /** Tags, sorted. */
  readonly tags: readonly string[];
  /** Ids of the upstream datasets the tags came from (empty: declared on this dataset). */
  readonly from: readonly string[];
}

/** The classification of one dataset after propagation. */
export interface DatasetClassification {
  /** Tags of the whole dataset (declared or inherited), sorted. */
  readonly tags: readonly string[];
  /** Classified fields, by name. */
  readonly fields: readonly ClassifiedField[];
}

/**
 * Classification follows the data: what a process reads flows into every dataset it writes, except the fields the
 * process removes or masks (`removes` on its node). Dataset-wide tags flow the same way. Computed to a fixed point
 * (cycles are fine); the result holds every dataset with at least one tag, in id order.
 */
export function propagateClassification(graph: DataFlowGraph): Map<string, DatasetClassification> {
  const tags = new Map<string, Set<string>>();
  const fields = new Map<string, Map<string, { tags: Set<string>; from: Set<string> }>>();
  const fieldsOf = (id: string) => fields.get(id) ?? fields.set(id, new Map()).get(id)!;
  const datasets = graph.nodes.filter((n) => n.role === 'dataset');
  for (const d of datasets) {
    if (d.tags?.length) tags.set(d.id, new Set(d.tags));
    for (const f of d.fields ?? []) if (f.tags?.length) fieldsOf(d.id).set(f.name, { tags: new Set(f.tags), from: new Set() });
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const d of datasets) {
      const dTags = tags.get(d.id);
      const dFields = fields.get(d.id);
      if (!dTags?.size && !dFields?.size) continue;
      for (const p of graph.readersOf(d.id)) {
        const removes = new Set(graph.node(p)?.removes ?? []);
        for (const out of graph.readersOf(p)) {
          if (out === d.id || graph.node(out)?.role !== 'dataset') continue;
          for (const t of dTags ?? []) {
            const set = tags.get(out) ?? tags.set(out, new Set()).get(out)!;
            if (!set.has(t)) { set.add(t); changed = true; }
          }
          for (const [name, f] of dFields ?? []) {
            if (removes.has(name)) continue;
            const target = fieldsOf(out);
            const prev = target.get(name) ?? (target.set(name, { tags: new Set(), from: new Set() }), target.get(name)!);
            for (const t of f.tags) if (!prev.tags.has(t)) { prev.tags.add(t); changed = true; }
            const origins = f.from.size ? f.from : new Set([d.id]);
            for (const o of origins) if (o !== out && !prev.from.has(o) && !isDeclared(graph, out, name)) { prev.from.add(o); changed = true; }
          }
        }
      }
    }
  }
  const result = new Map<string, DatasetClassification>();
  for (const d of datasets) {
    const t = [...(tags.get(d.id) ?? [])].sort();
    const fs = [...(fields.get(d.id) ?? new Map()).entries()].sort(([a], [b]) => a.localeCompare(b))
      .map(([name, f]) => ({ name, tags: [...f.tags].sort(), from: [...f.from].sort() }));
    if (t.length || fs.length) result.set(d.id, { tags: t, fields: fs });
  }
  return result;
}

function isDeclared(graph: DataFlowGraph, dataset: string, field: string): boolean {
  return (graph.node(dataset)?.fields ?? []).some((f) => f.name === field && (f.tags?.length ?? 0) > 0);
}

/** `email (pii)`, `card (pii, pci) ← payments.orders.v1`: a classified field for reports. */
export function describeClassifiedField(graph: DataFlowGraph, f: ClassifiedField): string {
  const from = f.from.map((id) => graph.node(id)?.name ?? id);
  return `${f.name} (${f.tags.join(', ')})${from.length ? ` ← ${from.join(', ')}` : ''}`;
}
