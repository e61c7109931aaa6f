import { createHash } from 'node:crypto';
import { ClassifiedField, propagateClassification } from './classification';
import { DataFlowGraph, GraphNode } from './graph';

/**
 * Design-time lineage as OpenLineage run events (spec 2-0-2, https://openlineage.io/spec/2-0-2/OpenLineage.json),
 * for data catalogs that ingest OpenLineage (Marquez, DataHub, OpenMetadata): one `COMPLETE` RunEvent per process
 * (job) of each environment, its inputs and outputs the datasets it reads and writes.
 *
 * - Names: a node's `catalog` name when its domain gives one (a Kafka topic: namespace `kafka://<bootstrap>`, name
 *   the topic, per the OpenLineage naming conventions); otherwise namespace `cdk8s-dataops.<environment>` and the
 *   node's display name (datasets) or its graph id (jobs, unique in an environment).
 * - Facets: `schema` (SchemaDatasetFacet 1-2-0) when the dataset's fields are known, `tags` (TagsDatasetFacet)
 *   with the classification, declared or inherited (`value` says which), one entry per tag and field.
 * - Deterministic: `eventTime` is fixed ({@link OPENLINEAGE_EVENT_TIME}: the events describe the design, not a run),
 *   and `runId` is a name-based UUID (RFC 4122 version 5) of the event's content, so the same design gives the same
 *   bytes and a changed job gets a new run id.
 */
export const OPENLINEAGE_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
/** The producer URI of every event and facet. */
export const OPENLINEAGE_PRODUCER = 'urn:cdk8s-dataops:synth';
/** Fixed event time of design-time events (the Unix epoch). */
export const OPENLINEAGE_EVENT_TIME = '1970-01-01T00:00:00.000Z';
const SCHEMA_FACET_URL = 'https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet';
const TAGS_FACET_URL = 'https://openlineage.io/spec/facets/2-0-3/TagsDatasetFacet.json#/$defs/TagsDatasetFacet';
/** UUID namespace of run ids (a fixed random UUID; runId = uuidv5(this, event content)). */
const RUN_ID_NAMESPACE = '6f1c2e0a-6d3b-4c55-9b1e-2f7b8a3c9d41';

/** The run events of the given environments' graphs, as the JSON text of an array (environment, then job order). */
export function renderOpenLineage(graphs: readonly DataFlowGraph[]): string {
  const events = graphs.flatMap((g) => openLineageEvents(g));
  return JSON.stringify(events, null, 2) + '\n';
}

/** One COMPLETE RunEvent per process node of a graph, in node id order. */
export function openLineageEvents(graph: DataFlowGraph): Record<string, unknown>[] {
  const classes = propagateClassification(graph);
  const defaultNamespace = `cdk8s-dataops.${graph.environment}`;
  const dataset = (id: string) => {
    const n = graph.node(id)!;
    const facets: Record<string, unknown> = {};
    const typed = (n.fields ?? []).filter((f) => f.type !== undefined);
    if (typed.length > 0) {
      facets.schema = { _producer: OPENLINEAGE_PRODUCER, _schemaURL: SCHEMA_FACET_URL, fields: typed.map((f) => ({ name: f.name, type: f.type })) };
    }
    const c = classes.get(id);
    if (c) facets.tags = { _producer: OPENLINEAGE_PRODUCER, _schemaURL: TAGS_FACET_URL, tags: tagEntries(graph, c.tags, c.fields) };
    return { namespace: n.catalog?.namespace ?? defaultNamespace, name: n.catalog?.name ?? n.name, ...(Object.keys(facets).length ? { facets } : {}) };
  };
  const isDataset = (id: string) => graph.node(id)?.role === 'dataset';
  return graph.nodes.filter((n) => n.role === 'process').map((p: GraphNode) => {
    const job = { namespace: p.catalog?.namespace ?? defaultNamespace, name: p.catalog?.name ?? p.id };
    const inputs = graph.writersOf(p.id).filter(isDataset).map(dataset);
    const outputs = graph.readersOf(p.id).filter(isDataset).map(dataset);
    const runId = uuidV5(RUN_ID_NAMESPACE, JSON.stringify({ job, inputs, outputs }));
    return {
      eventType: 'COMPLETE',
      eventTime: OPENLINEAGE_EVENT_TIME,
      producer: OPENLINEAGE_PRODUCER,
      schemaURL: OPENLINEAGE_SCHEMA_URL,
      run: { runId },
      job,
      inputs,
      outputs,
    };
  });
}

function tagEntries(graph: DataFlowGraph, tags: readonly string[], fields: readonly ClassifiedField[]): Record<string, string>[] {
  const source = 'cdk8s-dataops';
  const value = (from: readonly string[]) => (from.length ? `inherited from ${from.map((id) => graph.node(id)?.name ?? id).join(', ')}` : 'true');
  return [
    ...tags.map((t) => ({ key: t, value: 'true', source })),
    ...fields.flatMap((f) => f.tags.map((t) => ({ key: t, value: value(f.from), source, field: f.name }))),
  ];
}

/** A name-based UUID, version 5 (SHA-1), RFC 4122 section 4.3. */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
