import {
  DataPlatform, Environment, evaluatePolicies, KafkaCluster, KafkaConnect, KafkaConnector, Pipeline, Schema, SchemaRegistry, StreamingApp, synthesizePlatform, Topic,
} from 'cdk8s-dataops';

/**
 * A small platform with PII: `orders` (Avro schema, customerEmail classified pii and cardNumber tagged inline with
 * confluent:tags), an app that reads it and writes `enriched`, and a sink connector on `enriched`.
 */
export function piiPlatform(options: { classify?: Record<string, string>; retention?: string } = {}) {
  const platform = new DataPlatform();
  const env = new Environment(platform, 'prod', { namespace: 'payments' });
  const cluster = KafkaCluster.fromStrimzi(env, 'kafka', { name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093',
    credentialsStore: { name: 'strimzi-users', kind: 'ClusterSecretStore' } });
  const registry = SchemaRegistry.fromUrl(env, 'registry', { url: 'http://schema-registry.kafka:8081' });
  const pipeline = new Pipeline(env, 'orders', { owner: 'team-payments' });
  const config = options.retention ? { retention: options.retention } : undefined;
  const orders = new Topic(pipeline, 'orders', { cluster, topicName: 'payments.orders.v1', config });
  const enriched = new Topic(pipeline, 'enriched', { cluster, topicName: 'payments.orders-enriched.v1', config });
  const schema = new Schema(pipeline, 'orders-value', {
    registry, topic: orders,
    definition: {
      type: 'record', name: 'Order', namespace: 'com.acme',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'customerEmail', type: 'string' },
        { name: 'cardNumber', type: 'string', 'confluent:tags': ['PII'] },
        { name: 'amountCents', type: 'long' },
      ],
    },
    classify: options.classify ?? { customerEmail: 'pii' },
  });
  const enricher = new StreamingApp(pipeline, 'enricher', { image: 'ghcr.io/acme/enricher:1.0.0', cluster, reads: [orders], writes: [enriched] });
  const connect = new KafkaConnect(pipeline, 'warehouse', { cluster, image: 'ghcr.io/acme/connect:1.0.0' });
  const sink = new KafkaConnector(pipeline, 'to-warehouse', {
    connect, class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', reads: [enriched], config: { file: '/tmp/out.txt' },
  });
  return { platform, env, cluster, registry, pipeline, orders, enriched, schema, enricher, connect, sink };
}

/**
 * Synthesizes in memory without failing on policy errors (`policy: 'report'`), and evaluates the platform's packs on
 * the objects, so tests can look at the findings.
 */
export function synthWithFindings(platform: DataPlatform) {
  const options = { outdir: '/nonexistent-dataops-out', policy: 'report' } as Parameters<typeof synthesizePlatform>[1];
  const s = synthesizePlatform(platform, options);
  return { files: s.files, objects: s.objects, policy: evaluatePolicies(platform, s.objects) };
}
