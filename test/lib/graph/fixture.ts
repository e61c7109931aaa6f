import { KafkaCluster, Pipeline, StreamingApp, Topic } from 'cdk8s-dataops';
import { kafkaFixture } from '../../constructs/kafka/support';

/** Two pipelines: raw → validator → validated → enricher → enriched, read across pipelines by a loader. */
export function lineageFixture() {
  const f = kafkaFixture();
  const cluster = KafkaCluster.fromStrimzi(f.env, 'k', {
    name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093', credentialsStore: { name: 'strimzi-users' },
  });
  const orders = new Pipeline(f.env, 'orders', { owner: 'team-payments', description: 'Orders <validated> & enriched' });
  const analytics = new Pipeline(f.env, 'analytics', { owner: 'team-analytics' });
  const raw = new Topic(orders, 'raw', { cluster, topicName: 'payments.orders.v1' });
  const validated = new Topic(orders, 'validated', { cluster, topicName: 'payments.orders-validated.v1' });
  const enriched = new Topic(orders, 'enriched', { cluster, topicName: 'payments.orders-enriched.v1' });
  enriched.shareWith(analytics);
  new StreamingApp(orders, 'validator', { image: 'ghcr.io/acme/validator:1.0.0', cluster, reads: [raw], writes: [validated] });
  new StreamingApp(orders, 'enricher', { image: 'ghcr.io/acme/enricher:1.0.0', cluster, reads: [validated], writes: [enriched] });
  new StreamingApp(analytics, 'loader', { image: 'ghcr.io/acme/loader:1.0.0', cluster, reads: [enriched] });
  return f;
}
