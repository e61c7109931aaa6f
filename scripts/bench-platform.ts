/**
 * The benchmark's app (`npm run bench` copies it as `main.ts` into a project that installs the packed package):
 * a realistic platform of BENCH_TOPICS topics (default 1000) in one production environment, spread over
 * BENCH_PIPELINES pipelines (default 100, fewer for small sizes). Per pipeline:
 *
 * - its topics (partitions and retention vary) and a quarter as many KafkaUsers, each granted read on two topics
 *   (with a consumer group) and write on one, so their ACLs are derived;
 * - one Avro schema (registration Job and ConfigMap) and one StreamingApp reading one topic and writing another
 *   (Deployment, KafkaUser, ExternalSecret, NetworkPolicy, ServiceAccount);
 * - every tenth pipeline: a Kafka Connect cluster with a sink connector, and a dbt project with a nightly job.
 *
 * Delivered by Argo CD and Flux through GitOps (sync waves on every object, sharded when large).
 */
import {
  DataPlatform, DbtProject, Environment, GitOps, KafkaCluster, KafkaConnect, KafkaConnector, KafkaUser, Pipeline, Schema,
  SchemaRegistry, StreamingApp, Topic,
} from 'cdk8s-dataops';

const topics = Number(process.env.BENCH_TOPICS ?? 1000);
const pipelines = Math.max(1, Math.min(Number(process.env.BENCH_PIPELINES ?? 100), Math.floor(topics / 10)));

const platform = new DataPlatform();
const env = new Environment(platform, 'prod', { namespace: 'data' });
const cluster = KafkaCluster.fromStrimzi(env, 'kafka', {
  name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093',
  credentialsStore: { name: 'strimzi-users', kind: 'ClusterSecretStore' },
});
const registry = SchemaRegistry.fromUrl(env, 'registry', { url: 'http://schema-registry.kafka:8081' });

for (let p = 0; p < pipelines; p++) {
  const domain = `domain${p}`;
  const pipeline = new Pipeline(env, domain, { owner: `team-${p % 17}`, domain, description: `Pipeline ${p}` });
  const count = Math.floor(topics / pipelines) + (p < topics % pipelines ? 1 : 0);
  const made: Topic[] = [];
  for (let i = 0; i < count; i++) {
    made.push(new Topic(pipeline, `${domain}-t${i}`, {
      cluster, topicName: `${domain}.events-${i}.v1`, partitions: 6 + (i % 4) * 3,
      config: { retention: `${1 + (i % 14)}d`, cleanupPolicy: i % 5 === 0 ? 'compact' : 'delete' },
    }));
  }
  for (let u = 0; u + 3 <= made.length && u < Math.floor(count / 4) * 4; u += 4) {
    const user = new KafkaUser(pipeline, `${domain}-u${u / 4}`, { cluster, quotas: { producerByteRate: 1_048_576 } });
    made[u].grantRead(user, { consumerGroup: `${domain}-consumers-${u / 4}` });
    made[u + 1].grantRead(user, { consumerGroup: `${domain}-consumers-${u / 4}` });
    made[u + 2].grantWrite(user);
  }
  if (made.length < 2) continue;
  new Schema(pipeline, `${domain}-value`, {
    registry, topic: made[0],
    definition: {
      type: 'record', name: 'Event', namespace: `com.acme.${domain}`,
      fields: [{ name: 'id', type: 'string' }, { name: 'amount', type: 'long' }, { name: 'currency', type: 'string', default: 'EUR' }],
    },
  });
  new StreamingApp(pipeline, `${domain}-app`, { image: `ghcr.io/acme/${domain}-app:1.${p % 10}.0`, cluster, reads: [made[0]], writes: [made[1]], port: 8080 });
  if (p % 10 === 0) {
    const connect = new KafkaConnect(pipeline, `${domain}-connect`, { cluster, image: 'ghcr.io/acme/connect-jdbc:4.1.0-1' });
    new KafkaConnector(pipeline, `${domain}-sink`, {
      connect, class: 'io.confluent.connect.jdbc.JdbcSinkConnector', tasksMax: 2, reads: [made[1]],
      config: { 'connection.url': `jdbc:postgresql://warehouse.analytics:5432/${domain}`, 'insert.mode': 'upsert' },
    });
    const dbt = new DbtProject(pipeline, `${domain}-dbt`, {
      image: 'ghcr.io/acme/analytics-dbt:2024.05.1',
      profile: { name: 'analytics', outputs: { prod: { type: 'postgres', host: 'warehouse.analytics', port: 5432, user: 'dbt', dbname: domain, schema: 'marts', threads: 4 } } },
    });
    dbt.job('nightly', { command: 'build', schedule: '0 2 * * *' });
  }
}

new GitOps(platform, { repoURL: 'https://github.com/acme/data-platform.git', tool: 'both', path: 'dist' });
platform.synth();
