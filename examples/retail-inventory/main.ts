/**
 * retail-inventory: real-time stock across stores. Shelf scans become stock levels, stock levels below the reorder
 * point become restock orders; a CDC source brings the stores' product catalogue in, a sink hands restock orders to
 * the ERP. The Kafka cluster is a managed one Strimzi does not run: `synth kafka plan|apply` (the pull model) makes
 * its topics and ACLs match dist/manifests/<env>/, while Argo CD delivers the apps and the Connect cluster.
 *
 * `npx synth --app examples/retail-inventory/main.ts` writes examples/retail-inventory/dist.
 */
import {
  DataPlatform, Environment, GitOps, KafkaCluster, KafkaConnect, KafkaConnector, Pipeline, Policies, PolicyPacks, Secrets,
  StreamingApp, Topic,
} from 'cdk8s-dataops';

const platform = new DataPlatform();
Policies.of(platform).add(PolicyPacks.recommended());
const vault = { name: 'vault', kind: 'ClusterSecretStore' } as const;

for (const name of ['staging', 'prod']) {
  const env = new Environment(platform, name, { namespace: 'inventory', cluster: name });
  // The managed cluster: 'stores' labels its objects (strimzi.io/cluster), so `synth kafka plan --cluster stores`
  // picks them; the apps reach it at the managed bootstrap address with credentials from Vault.
  const cluster = KafkaCluster.fromStrimzi(env, 'kafka', {
    name: 'stores', namespace: 'kafka', bootstrapServers: `b-1.stores-${name}.kafka.internal:9096`, brokers: env.production ? 3 : 1,
    credentialsStore: { name: 'kafka-users', kind: 'ClusterSecretStore' },
  });

  const inventory = new Pipeline(env, 'stock', { owner: 'team-inventory', domain: 'inventory', description: 'Shelf scans to stock levels to restock orders' });
  const partitions = env.select({ prod: 32, default: 3 }); // keyed by store id: one store's events stay in order
  const scans = new Topic(inventory, 'shelf-scans', { cluster, topicName: 'inventory.shelf-scans.v1', partitions, config: { retention: '2d' } });
  const catalogue = new Topic(inventory, 'catalogue', { cluster, topicName: 'inventory.catalogue.v1', partitions, config: { cleanupPolicy: 'compact' } });
  const levels = new Topic(inventory, 'stock-levels', { cluster, topicName: 'inventory.stock-levels.v1', partitions, config: { cleanupPolicy: 'compact' } });
  const restock = new Topic(inventory, 'restock-orders', { cluster, topicName: 'inventory.restock-orders.v1', partitions, config: { retention: '30d' } });

  const resources = { cpu: { request: '250m', limit: '1' }, memory: { request: '512Mi', limit: '512Mi' } };
  new StreamingApp(inventory, 'stock-counter', {
    image: 'ghcr.io/acme/stock-counter:2.0.4', cluster, reads: [scans, catalogue], writes: [levels], port: 8080, resources,
    transactionalIdPrefix: 'stock-counter-', // exactly-once: a scan is counted once even when the app restarts
  });
  new StreamingApp(inventory, 'restocker', {
    image: 'ghcr.io/acme/restocker:1.3.0', cluster, reads: [levels], writes: [restock], port: 8080, resources,
  });

  // Connectors: the product catalogue from the stores' Postgres (Debezium), restock orders into the ERP (JDBC sink).
  const connect = new KafkaConnect(inventory, 'inventory-connect', { cluster, image: 'ghcr.io/acme/connect-inventory:3.1.0' });
  Policies.acknowledge(connect, 'DOP-KAFKA-012', "Kafka Connect's internal topics (configs, offsets, status) are named after the Connect cluster, not a dataset");
  const db = Secrets.fromExternal(inventory, 'connector-logins', {
    store: vault,
    keys: {
      catalogueUser: `${name}/inventory/catalogue-db#username`, cataloguePassword: `${name}/inventory/catalogue-db#password`,
      erpUser: `${name}/inventory/erp#username`, erpPassword: `${name}/inventory/erp#password`,
    },
  });
  new KafkaConnector(inventory, 'catalogue-source', {
    connect, class: 'io.debezium.connector.postgresql.PostgresConnector', tasksMax: 1, writes: [catalogue],
    config: {
      'database.hostname': 'catalogue-db.stores', 'database.port': '5432', 'database.dbname': 'catalogue',
      'database.user': db.envValue('catalogueUser'), 'database.password': db.envValue('cataloguePassword'),
      'topic.prefix': 'catalogue', 'table.include.list': 'public.products',
      'transforms': 'route', 'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
      'transforms.route.regex': '.*', 'transforms.route.replacement': 'inventory.catalogue.v1',
      'errors.tolerance': 'none',
    },
  });
  new KafkaConnector(inventory, 'restock-to-erp', {
    connect, class: 'io.confluent.connect.jdbc.JdbcSinkConnector', tasksMax: env.select({ prod: 4, default: 1 }), reads: [restock],
    config: {
      'connection.url': 'jdbc:postgresql://erp.finance:5432/purchasing',
      'connection.user': db.envValue('erpUser'), 'connection.password': db.envValue('erpPassword'),
      'insert.mode': 'insert', 'errors.tolerance': 'none',
    },
  });
  // Lag of every consumer group of the pipeline (both apps and the ERP sink), declared after all of them.
  inventory.alertOnLag({ threshold: 20_000, for: '10m', severity: 'critical' });
  if (env.production) {
    Policies.acknowledge(env, 'DOP-K8S-006', 'our registry refuses tag overwrites (immutable tags); the release bot pins digests at deploy time (PLAT-42)');
  }
}

new GitOps(platform, { repoURL: 'https://github.com/acme/retail-inventory.git', tool: 'argocd', path: 'examples/retail-inventory/dist' });

platform.synth();
