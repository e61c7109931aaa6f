import { describe, expect, it } from 'vitest';
import { DataPlatform, Environment, KafkaCluster, MaskingPolicy, Topic } from 'cdk8s-dataops';
import { renderGovernanceReport } from '../../../constructs/governance/report';
import { piiPlatform } from './support';

describe('data-governance report', () => {
  it('lists classified datasets, each PII reader and how it gets each field, and the policies', () => {
    const f = piiPlatform();
    new MaskingPolicy(f.pipeline, 'mask', { topics: [f.enriched], fields: ['customerEmail'], rule: { lastN: 4 } });
    const md = renderGovernanceReport(f.platform)!;
    expect(md).toContain('| payments.orders.v1 | cardNumber (pii); customerEmail (pii) |');
    expect(md).toContain('| payments.orders.v1 | customerEmail | streaming app enricher | **in clear (finding DOP-GOV-001)** | no MaskingPolicy covers the field |');
    expect(md).toContain("| payments.orders-enriched.v1 | customerEmail | connector to-warehouse | **in clear (finding DOP-GOV-001)** | MaskingPolicy mask (lastN(4)): not enforced on the connector: Apache Kafka's built-in transforms cannot express 'lastN(4)'");
    expect(md).toContain('| mask | payments.orders-enriched.v1 | customerEmail | lastN(4) | none | not used |');
  });

  it('shows tags the definition carries inline, and is not written when nothing is classified or masked', () => {
    const f = piiPlatform({ classify: {} });
    expect(renderGovernanceReport(f.platform)).toContain('| payments.orders.v1 | cardNumber (pii) |');
    const platform = new DataPlatform();
    const env = new Environment(platform, 'dev');
    const cluster = KafkaCluster.fromStrimzi(env, 'kafka', { name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093' });
    new Topic(env, 't', { cluster, topicName: 'plain' });
    expect(renderGovernanceReport(platform)).toBeUndefined();
  });
});
