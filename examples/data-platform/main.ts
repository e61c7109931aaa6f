/**
 * The repository's example data platform: `npx synth` writes it to examples/data-platform/dist.
 * Copy it as a starting point for your own main.ts.
 */
import {
  Airflow, AlertRoute, AuditRule, Compatibility, DataClass, DataPlatform, Dags, DbtProject, Environment,
  GitOps, KafkaCluster, KafkaConnect, KafkaConnector, KafkaDashboard, MaskingPolicy, NetworkPeer, NetworkPort,
  Pipeline, Policies, PolicyPacks, Schema, SchemaRegistry, Secrets, StreamingApp, Topic,
} from 'cdk8s-dataops';

const platform = new DataPlatform();
// The recommended policy pack (docs/rules.md): an unacknowledged error fails synth naming the construct and the rule,
// e.g. a production consumer group without a lag alert (DOP-MON-001). Exceptions are acknowledged with a reason below.
Policies.of(platform).add(PolicyPacks.recommended());

for (const name of ['dev', 'prod']) {
  // dev and prod run on Kubernetes clusters of their own (each with its Strimzi 'main' in 'kafka'), so the same topics
  // in both do not collide; on one shared cluster they would need namespaces (and Kafka clusters) of their own.
  const env = new Environment(platform, name, { namespace: 'payments', cluster: name });
  const cluster = KafkaCluster.fromStrimzi(env, 'kafka', {
    name: 'main',
    namespace: 'kafka',
    bootstrapServers: 'main-kafka-bootstrap.kafka:9093',
    brokers: env.production ? 3 : 1,
    // Apps run in 'payments'; Strimzi writes their credentials in 'kafka': External Secrets copies them over.
    credentialsStore: { name: 'strimzi-users', kind: 'ClusterSecretStore' },
  });
  const registry = SchemaRegistry.fromUrl(env, 'registry', { url: 'http://schema-registry.kafka:8081' });

  // The payments team's data product: raw orders, validated, then enriched.
  const orders = new Pipeline(env, 'orders', {
    owner: 'team-payments',
    description: 'Orders from checkout, validated and enriched with customer data',
    domain: 'payments',
    tags: ['pii'],
  });
  const raw = new Topic(orders, 'raw', {
    cluster, topicName: 'payments.orders.v1', partitions: env.select({ prod: 12, default: 3 }),
    config: { retention: '7d', compressionType: 'zstd' },
  });
  const validated = new Topic(orders, 'validated', {
    cluster, topicName: 'payments.orders-validated.v1', partitions: env.select({ prod: 12, default: 3 }), config: { retention: '7d' },
  });
  const enriched = new Topic(orders, 'enriched', {
    cluster, topicName: 'payments.orders-enriched.v1', partitions: env.select({ prod: 12, default: 3 }),
    config: { retention: '30d', cleanupPolicy: 'delete' },
  });
  new Schema(orders, 'raw-value', {
    registry, topic: raw, compatibility: Compatibility.BACKWARD,
    // The customer's e-mail is personal data: the tag follows it into every topic written from this one, and reaches
    // the registry as data-contract metadata.
    classify: { customerEmail: DataClass.PII },
    definition: {
      type: 'record', name: 'Order', namespace: 'com.acme.payments',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'customerId', type: 'string' },
        { name: 'amountCents', type: 'long' },
        { name: 'currency', type: 'string', default: 'EUR' },
        { name: 'customerEmail', type: ['null', 'string'], default: null },
      ],
    },
  });
  const validator = new StreamingApp(orders, 'validator', {
    image: 'ghcr.io/acme/orders-validator:1.8.0', cluster, reads: [raw], writes: [validated], port: 8080,
  });
  const enricher = new StreamingApp(orders, 'enricher', {
    image: 'ghcr.io/acme/orders-enricher:2.3.1', cluster, reads: [validated], writes: [enriched], port: 8080,
    transactionalIdPrefix: 'enricher-',
    resources: { cpu: { request: '250m', limit: '1' }, memory: { request: '512Mi', limit: '512Mi' } },
  });

  // Readers of the e-mail other than the two apps that need it get it masked: the warehouse sink below gets Kafka's
  // MaskField transform automatically, clients of Conduktor Gateway get the gateway's interceptor (dist/gateway/).
  new MaskingPolicy(orders, 'mask-customer-email', {
    topics: [raw, validated, enriched], fields: ['customerEmail'], rule: 'all', exempt: [validator, enricher], gateway: true,
  });

  // When the payments team is told: lag on any of its consumer groups pages on-call (prod) and posts to Slack; the raw
  // topic's throughput outside 1..5000 messages/s posts to Slack. The webhook URL and routing key stay in Vault: the
  // AlertmanagerConfig refers to keys of the Secret External Secrets creates next to it, never to values.
  const alerting = Secrets.fromExternal(orders, 'alerting', {
    store: { name: 'vault', kind: 'ClusterSecretStore' },
    keys: { slack: `${name}/payments/alerting#slack_webhook`, pagerduty: `${name}/payments/alerting#pagerduty_routing_key` },
  });
  const oncall = new AlertRoute(orders, 'oncall', {
    match: { pipeline: 'orders' },
    slack: { channel: '#payments-alerts', webhook: alerting.envValue('slack') },
    pagerduty: env.production ? { routingKey: alerting.envValue('pagerduty') } : undefined,
  });
  orders.alertOnLag({ threshold: 10_000, for: '10m', severity: 'critical', runbook: 'https://runbooks.acme.com/payments/orders-lag', route: oncall });
  raw.alertOnThroughput({ min: 1, max: 5000, for: '15m', route: oncall });
  new KafkaDashboard(orders, 'dashboard'); // Grafana (dashboard sidecar): lag per group, messages/s per topic

  // The analytics team lands enriched orders in the warehouse; the payments team shares the topic with them.
  const analytics = new Pipeline(env, 'analytics', { owner: 'team-analytics', description: 'Orders in the warehouse', domain: 'analytics' });
  enriched.shareWith(analytics);
  const connect = new KafkaConnect(analytics, 'warehouse', { cluster, image: 'ghcr.io/acme/connect-jdbc:4.1.0-1' });
  Policies.acknowledge(connect, 'DOP-KAFKA-012', "Kafka Connect's internal topics (configs, offsets, status) are named after the Connect cluster, not a dataset");
  // The sink's database login, from Vault: the connector reads it through Strimzi's config provider, and the
  // Connect workers get a Role for exactly this Secret.
  const warehouseWriter = Secrets.fromExternal(analytics, 'warehouse-writer', {
    store: { name: 'vault', kind: 'ClusterSecretStore' },
    keys: { username: `${name}/warehouse/writer#username`, password: `${name}/warehouse/writer#password` },
  });
  new KafkaConnector(analytics, 'orders-to-warehouse', {
    connect, class: 'io.confluent.connect.jdbc.JdbcSinkConnector', tasksMax: env.select({ prod: 4, default: 1 }), reads: [enriched],
    config: {
      'connection.url': 'jdbc:postgresql://warehouse.analytics:5432/orders',
      'connection.user': warehouseWriter.envValue('username'),
      'connection.password': warehouseWriter.envValue('password'),
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'errors.tolerance': 'none', // stop on a bad record (DOP-KAFKA-015): the warehouse must not silently miss orders
    },
  });
  analytics.alertOnLag({ threshold: 50_000, for: '30m', severity: 'warning' });

  // The analytics team's batch side: dbt every night, Airflow 3 with DAGs from Git. Credentials come from Vault.
  const vault = { name: 'vault', kind: 'ClusterSecretStore' } as const;
  const warehouseDbt = Secrets.fromExternal(analytics, 'warehouse-dbt', { store: vault, keys: { password: `${name}/warehouse/dbt#password` } });
  const dbt = new DbtProject(analytics, 'analytics-dbt', {
    image: 'ghcr.io/acme/analytics-dbt:2024.05.1',
    profile: {
      name: 'analytics',
      outputs: {
        [name]: { type: 'postgres', host: 'warehouse.analytics', port: 5432, user: 'dbt', password: warehouseDbt.envValue('password'), dbname: 'orders', schema: 'marts', threads: 4 },
      },
    },
    egress: [{ peer: NetworkPeer.namespace('analytics'), ports: [NetworkPort.tcp(5432)] }],
  });
  const nightly = dbt.job('nightly', { command: 'build', schedule: '0 2 * * *', timeZone: 'Europe/Berlin' });
  dbt.model('orders_daily', { reads: [enriched] });
  const airflowSecrets = Secrets.fromExternal(analytics, 'airflow-secrets', {
    store: vault,
    keys: { connection: `${name}/airflow#sql_alchemy_conn`, fernet: `${name}/airflow#fernet_key`, api: `${name}/airflow#api_secret_key` },
  });
  const airflow = new Airflow(analytics, 'airflow', {
    executor: 'KubernetesExecutor',
    metadataDatabase: airflowSecrets.envValue('connection'),
    fernetKey: airflowSecrets.envValue('fernet'),
    apiSecretKey: airflowSecrets.envValue('api'),
    dags: Dags.fromGit({ repo: 'https://github.com/acme/analytics-dags.git', ref: 'main', subPath: 'dags' }),
    apiServerIngress: [{ peer: NetworkPeer.namespace('ingress-nginx'), ports: [NetworkPort.tcp(8080)] }],
    // The orders_daily DAG runs the nightly dbt build with the KubernetesPodOperator.
    dbtTasks: [{ dagId: 'orders_daily', taskId: 'dbt_build', job: nightly }],
  });
  Policies.acknowledge(airflow.node.findChild('Scheduler'), 'DOP-K8S-002',
    'KubernetesExecutor: the scheduler launches task pods through the Kubernetes API, so it mounts its service-account token');
  if (env.production) {
    Policies.acknowledge(env, 'DOP-K8S-006', 'our registries refuse tag overwrites (immutable tags); the release bot pins digests at deploy time (PLAT-42)');
  }
}

// Delivery: Argo CD Applications/AppProjects and Flux GitRepository/Kustomizations in dist/bootstrap/,
// sync waves and hooks on every object.
const gitops = new GitOps(platform, {
  repoURL: 'https://github.com/acme/data-platform.git',
  tool: 'both',
  path: 'examples/data-platform/dist', // explicit: stable even where the checkout is not a Git working tree
  flux: { dependsOn: ['strimzi', 'external-secrets'] },
});
gitops.application('prod').addNotification('on-sync-failed', 'slack', 'payments-alerts');

// Audit: the payments team hears of every production delivery and of failures. Argo CD gets subscriptions on the prod
// Application (catalog triggers on-deployed, on-sync-failed, on-health-degraded); Flux gets a Provider and an Alert on
// the prod Kustomization, the Slack webhook read from a Secret key named 'address'.
const prod = platform.environments.find((e) => e.name === 'prod')!;
const auditSlack = Secrets.fromExternal(prod, 'audit-slack', { store: { name: 'vault', kind: 'ClusterSecretStore' }, keys: { address: 'prod/payments/audit#slack_webhook' } });
new AuditRule(prod, 'audit', {
  gitops, events: ['deployed', 'sync-failed', 'degraded'], to: { slack: { channel: '#payments-audit', webhook: auditSlack.envValue('address') } },
});

platform.synth();
