import { describe, expect, it } from 'vitest';
import { MaskingPolicy } from 'cdk8s-dataops';
import { findObject } from 'cdk8s-dataops/testing';
import { parse } from 'yaml';
import { piiPlatform, synthWithFindings } from './support';

const synth = synthWithFindings;

describe('MaskingPolicy', () => {
  it("gives sinks of a masked topic MaskField transforms for 'all' (strings get ****, other types their empty value)", () => {
    const f = piiPlatform();
    new MaskingPolicy(f.pipeline, 'mask-pii', { topics: [f.orders, f.enriched], fields: ['customerEmail', 'cardNumber'], rule: 'all', exempt: [f.enricher] });
    const c = findObject(synth(f.platform).objects, 'KafkaConnector', 'to-warehouse');
    expect(c.spec.config).toMatchObject({
      'transforms': 'mask-pii',
      'transforms.mask-pii.type': 'org.apache.kafka.connect.transforms.MaskField$Value',
      'transforms.mask-pii.fields': 'customerEmail,cardNumber',
      'transforms.mask-pii.replacement': '****',
    });
  });

  it('masks non-string fields without a replacement, in a second transform', () => {
    const f = piiPlatform({ classify: { customerEmail: 'pii', amountCents: 'sensitive' } });
    // Field types come from the value schemas of the masked topics (here: orders').
    new MaskingPolicy(f.pipeline, 'mask', { topics: [f.orders, f.enriched], fields: ['customerEmail', 'amountCents'], rule: 'all', exempt: [f.enricher] });
    const config = findObject(synth(f.platform).objects, 'KafkaConnector', 'to-warehouse').spec.config;
    expect(config.transforms).toBe('mask-1,mask-2');
    expect(config['transforms.mask-1.fields']).toBe('customerEmail');
    expect(config['transforms.mask-2.fields']).toBe('amountCents');
    expect(config['transforms.mask-2.replacement']).toBeUndefined();
  });

  it('reports a rule MaskField cannot express as not enforced on the connector (DOP-GOV-001), and uses a given transform', () => {
    const f = piiPlatform();
    new MaskingPolicy(f.pipeline, 'hash', { topics: [f.orders, f.enriched], fields: ['customerEmail', 'cardNumber'], rule: 'hash', exempt: [f.enricher] });
    const s = synth(f.platform);
    const config = findObject(s.objects, 'KafkaConnector', 'to-warehouse').spec.config;
    expect(config.transforms).toBeUndefined();
    const gov = s.policy.findings.filter((x) => x.ruleId === 'DOP-GOV-001');
    expect(gov).toHaveLength(1);
    expect(gov[0].constructPath).toBe('prod/orders/to-warehouse');
    expect(gov[0].message).toContain("not enforced on the connector: Apache Kafka's built-in transforms cannot express 'hash'");

    const g = piiPlatform();
    new MaskingPolicy(g.pipeline, 'hash', {
      topics: [g.orders, g.enriched], fields: ['customerEmail', 'cardNumber'], rule: 'hash', exempt: [g.enricher],
      connectTransform: { type: 'com.acme.kafka.HashField$Value', config: { fields: 'customerEmail,cardNumber', algorithm: 'SHA-256' } },
    });
    const t = synth(g.platform);
    expect(findObject(t.objects, 'KafkaConnector', 'to-warehouse').spec.config).toMatchObject({
      'transforms': 'hash', 'transforms.hash.type': 'com.acme.kafka.HashField$Value', 'transforms.hash.algorithm': 'SHA-256',
    });
    expect(t.policy.findings.filter((x) => x.ruleId === 'DOP-GOV-001')).toEqual([]);
  });

  it('flags a reader of inherited PII that is neither masked nor exempt, naming the reader', () => {
    const f = piiPlatform();
    new MaskingPolicy(f.pipeline, 'mask-pii', { topics: [f.enriched], fields: ['customerEmail', 'cardNumber'], rule: 'all' });
    const s = synth(f.platform);
    const gov = s.policy.findings.filter((x) => x.ruleId === 'DOP-GOV-001');
    expect(gov.map((x) => [x.constructPath, x.message])).toEqual([[
      'prod/orders/enricher',
      "streaming app enricher reads PII of topic 'payments.orders.v1' in clear: 'cardNumber' (no MaskingPolicy covers it); 'customerEmail' (no MaskingPolicy covers it)",
    ]]);
  });

  it('fails a platform with an unmasked PII reader, naming the rule and the reader', () => {
    const f = piiPlatform();
    new MaskingPolicy(f.pipeline, 'mask-pii', { topics: [f.orders, f.enriched], fields: ['customerEmail', 'cardNumber'], rule: 'all' });
    expect(() => synth(f.platform).policy.assertNoBlocking()).toThrow(/DOP-GOV-001[\s\S]*prod\/orders\/enricher|prod\/orders\/enricher[\s\S]*DOP-GOV-001/);
  });

  it('refuses a masked field the schema does not have, with a suggestion (DOP-GOV-004)', () => {
    const f = piiPlatform();
    new MaskingPolicy(f.pipeline, 'mask-pii', { schema: f.schema, fields: ['customerEmial'], rule: 'all', exempt: [f.enricher] });
    const s = synth(f.platform);
    const e = s.policy.findings.find((x) => x.ruleId === 'DOP-GOV-004')!;
    expect(e.message).toContain("schema payments.orders.v1-value has no field 'customerEmial' (did you mean 'customerEmail'?)");
  });

  it('emits a Conduktor Gateway FieldLevelDataMaskingPlugin interceptor into gateway/<env>/', () => {
    const f = piiPlatform();
    new MaskingPolicy(f.pipeline, 'mask-card', { topics: [f.orders, f.enriched], fields: ['cardNumber'], rule: { lastN: 4 }, exempt: [f.enricher], gateway: { vCluster: 'analytics' } });
    const s = synth(f.platform);
    const file = s.files.get('gateway/prod/mask-card.yaml')!;
    expect(parse(file)).toEqual({
      apiVersion: 'gateway/v2',
      kind: 'Interceptor',
      metadata: { name: 'mask-card', scope: { vCluster: 'analytics' } },
      spec: {
        pluginClass: 'io.conduktor.gateway.interceptor.FieldLevelDataMaskingPlugin',
        priority: 100,
        config: {
          topic: '^(payments\\.orders\\.v1|payments\\.orders-enriched\\.v1)$',
          schemaRegistryConfig: { host: 'http://schema-registry.kafka:8081' },
          policies: [{ name: 'mask-card (lastN(4))', rule: { type: 'MASK_LAST_N', maskingChar: '*', numberOfChars: 4 }, fields: ['cardNumber'] }],
        },
      },
    });
    expect(new RegExp((parse(file) as any).spec.config.topic).test('payments.orders.v1')).toBe(true);
    // The exempt reader gets a same-named interceptor scoped to its user that matches no topic (it overrides the global one).
    const exempt = parse(s.files.get('gateway/prod/mask-card.exempt.enricher.yaml')!) as any;
    expect(exempt.metadata).toEqual({ name: 'mask-card', scope: { vCluster: 'analytics', username: 'enricher' } });
    expect(exempt.spec.config.topic).toBe('^$');
    expect(['payments.orders.v1', 'payments.orders-enriched.v1'].some((t) => new RegExp(exempt.spec.config.topic).test(t))).toBe(false);
  });

  it('refuses both topics and schema, and an unknown rule', () => {
    const f = piiPlatform();
    expect(() => new MaskingPolicy(f.pipeline, 'x', { topics: [f.orders], schema: f.schema, fields: ['id'], rule: 'all' })).toThrow(/give exactly one of 'topics' and 'schema'/);
    expect(() => new MaskingPolicy(f.pipeline, 'y', { topics: [f.orders], fields: ['id'], rule: 'redact' as any })).toThrow(/prod\/orders\/y.*rule/);
    expect(() => new MaskingPolicy(f.pipeline, 'z', { topics: ['payments.orders.v1' as any], fields: ['id'], rule: 'all' })).toThrow("prod/orders/z, field 'topics[0]': expected a Topic");
    expect(() => new MaskingPolicy(f.pipeline, 'w', { schema: 'payments.orders.v1-value' as any, fields: ['id'], rule: 'all' })).toThrow("prod/orders/w, field 'schema': must be a Schema");
  });
});
