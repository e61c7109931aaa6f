/**
 * ecommerce-analytics: clickstream and orders land in the warehouse through a Kafka Connect JDBC sink; dbt models
 * turn them into sales metrics on an hourly and a nightly CronJob; a throughput alert watches the clickstream topic;
 * Flux delivers staging and prod.
 *
 * `npx synth --app examples/ecommerce-analytics/main.ts` writes examples/ecommerce-analytics/dist.
 */
import {
  AlertRoute, DataPlatform, DbtProject, Environment, GitOps, KafkaCluster, KafkaConnect, KafkaConnector, NetworkPeer,
  NetworkPort, Pipeline, Policies, PolicyPacks, Secrets, StreamingApp, Topic,
} from 'cdk8s-dataops';

const platform = new DataPlatform();
Policies.of(platform).add(PolicyPacks.recommended());
const vault = { name: 'vault', kind: 'ClusterSecretStore' } as const;

for (const name of ['staging', 'prod']) {
  const env = new Environment(platform, name, { namespace: 'shop-analytics', cluster: name });
  const cluster = KafkaCluster.fromStrimzi(env, 'kafka', {
    name: 'shop', namespace: 'kafka', bootstrapServers: 'shop-kafka-bootstrap.kafka:9093', brokers: env.production ? 3 : 1,
    credentialsStore: { name: 'strimzi-users', kind: 'ClusterSecretStore' },
  });

  // The storefront team publishes page views and orders; a sessionizer groups page views into sessions.
  const storefront = new Pipeline(env, 'storefront', { owner: 'team-storefront', domain: 'shop', description: 'Clickstream and orders from the web shop' });
  const clicks = new Topic(storefront, 'clickstream', {
    cluster, topicName: 'shop.clickstream.v1', partitions: env.select({ prod: 48, default: 3 }), config: { retention: '3d', compressionType: 'zstd' },
  });
  const sessions = new Topic(storefront, 'sessions', { cluster, topicName: 'shop.sessions.v1', partitions: env.select({ prod: 12, default: 3 }), config: { retention: '14d' } });
  const orders = new Topic(storefront, 'orders', { cluster, topicName: 'shop.orders.v1', partitions: env.select({ prod: 12, default: 3 }), config: { retention: '30d' } });
  const image = (repo: string, tag: string) => `ghcr.io/acme/${repo}:${tag}`;
  new StreamingApp(storefront, 'sessionizer', {
    image: image('sessionizer', '1.4.2'), cluster, reads: [clicks], writes: [sessions], port: 8080,
    resources: { cpu: { request: '250m', limit: '1' }, memory: { request: '512Mi', limit: '512Mi' } },
  });

  // Alerts: the clickstream must keep flowing (a dead tracker shows as near-zero throughput) and not flood the cluster.
  const alerting = Secrets.fromExternal(storefront, 'alerting', { store: vault, keys: { slack: `${name}/shop/alerting#slack_webhook` } });
  const route = new AlertRoute(storefront, 'analytics-alerts', {
    match: { pipeline: 'storefront' }, slack: { channel: '#shop-analytics-alerts', webhook: alerting.envValue('slack') },
  });
  clicks.alertOnThroughput({ min: 10, max: 20_000, for: '15m', route });
  storefront.alertOnLag({ threshold: 100_000, for: '15m', severity: 'warning', route });

  // The analytics team lands sessions and orders in the warehouse (Postgres) through the JDBC sink.
  const analytics = new Pipeline(env, 'analytics', { owner: 'team-analytics', domain: 'analytics', description: 'Sales metrics in the warehouse' });
  sessions.shareWith(analytics);
  orders.shareWith(analytics);
  const connect = new KafkaConnect(analytics, 'warehouse-connect', { cluster, image: image('connect-jdbc', '4.1.0-1') });
  Policies.acknowledge(connect, 'DOP-KAFKA-012', "Kafka Connect's internal topics (configs, offsets, status) are named after the Connect cluster, not a dataset");
  const writer = Secrets.fromExternal(analytics, 'warehouse-writer', {
    store: vault, keys: { username: `${name}/warehouse/writer#username`, password: `${name}/warehouse/writer#password` },
  });
  new KafkaConnector(analytics, 'to-warehouse', {
    connect, class: 'io.confluent.connect.jdbc.JdbcSinkConnector', tasksMax: env.select({ prod: 6, default: 1 }), reads: [sessions, orders],
    config: {
      'connection.url': 'jdbc:postgresql://warehouse.analytics:5432/shop',
      'connection.user': writer.envValue('username'),
      'connection.password': writer.envValue('password'),
      'insert.mode': 'upsert', 'pk.mode': 'record_key', 'auto.create': 'false',
      'errors.tolerance': 'none', // stop on a bad record: sales metrics must not silently miss orders
    },
  });
  analytics.alertOnLag({ threshold: 50_000, for: '30m', severity: 'warning' });

  // dbt: hourly incremental sales metrics, nightly full build with tests.
  const dbtSecret = Secrets.fromExternal(analytics, 'warehouse-dbt', { store: vault, keys: { password: `${name}/warehouse/dbt#password` } });
  const dbt = new DbtProject(analytics, 'sales-dbt', {
    image: image('sales-dbt', '2025.11.3'),
    profile: {
      name: 'sales',
      outputs: { [name]: { type: 'postgres', host: 'warehouse.analytics', port: 5432, user: 'dbt', password: dbtSecret.envValue('password'), dbname: 'shop', schema: 'marts', threads: 4 } },
    },
    egress: [{ peer: NetworkPeer.namespace('analytics'), ports: [NetworkPort.tcp(5432)] }],
  });
  dbt.job('hourly', { command: 'run', select: ['tag:hourly'], schedule: '15 * * * *', timeZone: 'Europe/Berlin' });
  dbt.job('nightly', { command: 'build', schedule: '30 2 * * *', timeZone: 'Europe/Berlin' });
  dbt.model('sales_hourly', { reads: [orders, sessions] });
  dbt.model('sales_daily', { reads: [orders] });

  if (env.production) {
    Policies.acknowledge(env, 'DOP-K8S-006', 'our registry refuses tag overwrites (immutable tags); the release bot pins digests at deploy time (PLAT-42)');
  }
}

// Flux delivers both environments (GitRepository + Kustomization per environment in dist/bootstrap/flux/).
new GitOps(platform, {
  repoURL: 'https://github.com/acme/shop-analytics.git', tool: 'flux', path: 'examples/ecommerce-analytics/dist',
  flux: { dependsOn: ['strimzi', 'external-secrets'] },
});

platform.synth();
