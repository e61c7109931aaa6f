import { describe, expect, it } from 'vitest';
import { MaskingPolicy, Policies, piiMaskedBoundedRetention } from 'cdk8s-dataops';
import { piiPlatform, synthWithFindings } from '../support';

function findings(f: ReturnType<typeof piiPlatform>) {
  Policies.of(f.platform).add({ name: 'test', rules: [piiMaskedBoundedRetention] });
  return synthWithFindings(f.platform).policy.findings.filter((x) => x.ruleId === 'DOP-GOV-002').map((x) => `${x.constructPath} ${x.field}: ${x.message}`);
}

describe('DOP-GOV-002 PII fields are masked and their topics have bounded retention', () => {
  it('names unmasked PII fields and topics without an explicit retention, also where PII is inherited', () => {
    const f = piiPlatform();
    expect(findings(f)).toEqual([
      "prod/orders/enriched config.retention: topic 'payments.orders-enriched.v1' carries PII but sets no retention (the broker default applies, and may be unbounded): set config.retention",
      "prod/orders/enriched fields: PII field(s) 'cardNumber', 'customerEmail' of topic 'payments.orders-enriched.v1' have no MaskingPolicy",
      "prod/orders/orders config.retention: topic 'payments.orders.v1' carries PII but sets no retention (the broker default applies, and may be unbounded): set config.retention",
      "prod/orders/orders fields: PII field(s) 'cardNumber', 'customerEmail' of topic 'payments.orders.v1' have no MaskingPolicy",
    ]);
  });

  it('passes with masking on every PII field and a time-bound retention', () => {
    const f = piiPlatform({ retention: '7d' });
    new MaskingPolicy(f.pipeline, 'mask', { topics: [f.orders, f.enriched], fields: ['customerEmail', 'cardNumber'], rule: 'all', exempt: [f.enricher] });
    expect(findings(f)).toEqual([]);
  });
});
