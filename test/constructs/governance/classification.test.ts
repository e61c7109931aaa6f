import { describe, expect, it } from 'vitest';
import { Classification, DataClass, DataFlowGraph, Schema, StreamingApp, synthesizePlatform, Topic } from 'cdk8s-dataops';
import { propagateClassification } from '../../../lib/graph/classification';
import { registryMetadata } from '../../../constructs/kafka/schema';
import { findObject } from 'cdk8s-dataops/testing';
import { piiPlatform } from './support';

describe('Classification', () => {
  it('merges Schema classify with inline confluent:tags and registers them as data-contract metadata.tags (latest version)', () => {
    const f = piiPlatform();
    expect(f.schema.fieldTags).toEqual({ cardNumber: ['pii'], customerEmail: ['pii'] });
    const cm = findObject(f.env, 'ConfigMap', 'schema-payments.orders.v1-value');
    expect(JSON.parse(cm.data['v0001.payload.json'])).toEqual({
      schemaType: 'AVRO',
      schema: cm.data['v0001.avsc'],
      metadata: { tags: { '**.cardNumber': ['PII'], '**.customerEmail': ['PII'] } },
    });
    expect(registryMetadata({ card: ['pii', 'pci-dss'] })).toEqual({ tags: { '**.card': ['PII', 'PCI_DSS'] } });
  });

  it('refuses a classified field the schema lacks, with a suggestion, and a malformed tag', () => {
    expect(() => piiPlatform({ classify: { customerEmial: 'pii' } }))
      .toThrow(/prod\/orders\/orders-value, field 'classify.customerEmial'.*no field 'customerEmial' \(did you mean 'customerEmail'\?\)/);
    expect(() => piiPlatform({ classify: { customerEmail: 'p i i' } })).toThrow(/'p i i' is not a classification tag/);
  });

  it('follows the data: an app reading PII passes the tags on to what it writes, unless it declares removing or masking them', () => {
    const f = piiPlatform();
    const graph = () => propagateClassification(DataFlowGraph.of(f.env));
    const enriched = graph().get(f.enriched.graphNodeId)!;
    expect(enriched.fields).toEqual([
      { name: 'cardNumber', tags: ['pii'], from: [f.orders.graphNodeId] },
      { name: 'customerEmail', tags: ['pii'], from: [f.orders.graphNodeId] },
    ]);
    Classification.declareHandling(f.enricher, { removes: ['cardNumber'], masks: ['customerEmail'] });
    expect(graph().get(f.enriched.graphNodeId)).toBeUndefined();
  });

  it('classifies a whole topic, and the tag flows downstream through a chain of apps', () => {
    const f = piiPlatform();
    const next = new Topic(f.pipeline, 'next', { cluster: f.cluster, topicName: 'payments.next.v1' });
    new StreamingApp(f.pipeline, 'forwarder', { image: 'ghcr.io/acme/fwd:1.0.0', cluster: f.cluster, reads: [f.enriched], writes: [next] });
    Classification.classifyTopic(f.orders, DataClass.SENSITIVE);
    const classes = propagateClassification(DataFlowGraph.of(f.env));
    expect(classes.get(f.orders.graphNodeId)!.tags).toEqual(['sensitive']);
    expect(classes.get(next.graphNodeId)).toMatchObject({ tags: ['sensitive'], fields: [{ name: 'cardNumber', from: [f.orders.graphNodeId] }, { name: 'customerEmail' }] });
    expect(() => Classification.classifyTopic(f.enriched)).toThrow(/give at least one tag/);
  });

  it('shows classified datasets on the lineage page and in lineage.md', () => {
    const f = piiPlatform();
    const s = synthesizePlatform(f.platform, { outdir: '/nonexistent-dataops-out' });
    const html = s.files.get('reports/lineage.html')!;
    expect(html).toContain('<th>Classification</th>');
    expect(html).toContain('<td class="classification">cardNumber (pii); customerEmail (pii)</td>');
    expect(html).toContain('customerEmail (pii) ← payments.orders.v1');
    expect(s.files.get('reports/lineage.md')).toContain('| payments.orders-enriched.v1 | enricher | to-warehouse | cardNumber (pii) ← payments.orders.v1; customerEmail (pii) ← payments.orders.v1 |');
  });

  it('exposes the schema fields (nested records flattened) of Avro and JSON Schema definitions', () => {
    const f = piiPlatform();
    const json = new Schema(f.pipeline, 'json', {
      registry: f.registry, topic: f.enriched, type: 'JSON',
      definition: { type: 'object', properties: { id: { type: 'string' }, address: { type: 'object', properties: { city: { type: 'string', 'confluent:tags': ['PII'] } } } } },
    });
    expect(json.fields.map((x) => [x.name, x.type])).toEqual([['id', 'string'], ['address', 'object'], ['address.city', 'string']]);
    expect(json.fieldTags).toEqual({ 'address.city': ['pii'] });
  });
});
