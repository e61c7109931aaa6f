import { describe, expect, it } from 'vitest';
import { MaskingPolicy, StreamingApp, Topic } from 'cdk8s-dataops';
import { piiPlatform, synthWithFindings } from '../support';

describe('DOP-GOV-003 where PII flows', () => {
  it('lists, per PII topic, every reader and how it gets each field, and the datasets that inherit it', () => {
    const f = piiPlatform();
    new MaskingPolicy(f.pipeline, 'mask', { topics: [f.orders, f.enriched], fields: ['customerEmail', 'cardNumber'], rule: 'all', exempt: [f.enricher] });
    const s = synthWithFindings(f.platform);
    const info = s.policy.findings.filter((x) => x.ruleId === 'DOP-GOV-003');
    expect(info.map((x) => [x.level, x.constructPath, x.message])).toEqual([
      ['info', 'prod/orders/enriched', "PII cardNumber, customerEmail of 'payments.orders-enriched.v1' flows to: connector to-warehouse: " +
        'cardNumber masked (transform MaskField$Value on connector to-warehouse), customerEmail masked (transform MaskField$Value on connector to-warehouse)'],
      ['info', 'prod/orders/orders', "PII cardNumber, customerEmail of 'payments.orders.v1' flows to: streaming app enricher: cardNumber exempt (MaskingPolicy mask), " +
        'customerEmail exempt (MaskingPolicy mask); inherited downstream by payments.orders-enriched.v1'],
    ]);
    expect(s.files.get('reports/data-governance.md')).toContain('| payments.orders-enriched.v1 | customerEmail | connector to-warehouse | masked | MaskingPolicy mask (all): transform MaskField$Value on connector to-warehouse |');
  });

  it('lists only datasets downstream of the topic, never upstream ones with the same origin', () => {
    const f = piiPlatform();
    const next = new Topic(f.pipeline, 'next', { cluster: f.cluster, topicName: 'payments.next.v1' });
    new StreamingApp(f.pipeline, 'forwarder', { image: 'ghcr.io/acme/fwd:1.0.0', cluster: f.cluster, reads: [f.enriched], writes: [next] });
    new MaskingPolicy(f.pipeline, 'mask', { topics: [f.orders], fields: ['customerEmail'], rule: 'all', exempt: [f.enricher] });
    const byPath = new Map(synthWithFindings(f.platform).policy.findings.filter((x) => x.ruleId === 'DOP-GOV-003').map((x) => [x.constructPath, x.message]));
    expect(byPath.get('prod/orders/enriched')).toMatch(/; inherited downstream by payments\.next\.v1$/);
    expect(byPath.get('prod/orders/orders')).toMatch(/; inherited downstream by payments\.next\.v1, payments\.orders-enriched\.v1$/);
  });
});
