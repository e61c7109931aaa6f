import { describe, expect, it } from 'vitest';
import { evaluatePolicies, MaskingPolicy, synthesizePlatform } from 'cdk8s-dataops';
import { piiPlatform } from '../support';

describe('DOP-GOV-003 where PII flows', () => {
  it('lists, per PII topic, every reader and how it gets each field, and the datasets that inherit it', () => {
    const f = piiPlatform();
    new MaskingPolicy(f.pipeline, 'mask', { topics: [f.orders, f.enriched], fields: ['customerEmail', 'cardNumber'], rule: 'all', exempt: [f.enricher] });
    const s = synthesizePlatform(f.platform, { outdir: '/nonexistent-dataops-out' });
    const info = evaluatePolicies(f.platform, s.objects).findings.filter((x) => x.ruleId === 'DOP-GOV-003');
    expect(info.map((x) => [x.level, x.constructPath, x.message])).toEqual([
      ['info', 'prod/orders/enriched', "PII cardNumber, customerEmail of 'payments.orders-enriched.v1' flows to: connector to-warehouse: " +
        'cardNumber masked (transform MaskField$Value on connector to-warehouse), customerEmail masked (transform MaskField$Value on connector to-warehouse)'],
      ['info', 'prod/orders/orders', "PII cardNumber, customerEmail of 'payments.orders.v1' flows to: streaming app enricher: cardNumber exempt (MaskingPolicy mask), " +
        'customerEmail exempt (MaskingPolicy mask); inherited downstream by payments.orders-enriched.v1'],
    ]);
    expect(s.files.get('reports/data-governance.md')).toContain('| payments.orders-enriched.v1 | customerEmail | connector to-warehouse | masked | MaskingPolicy mask (all): transform MaskField$Value on connector to-warehouse |');
  });
});
