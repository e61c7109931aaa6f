/**
 * finance-transactions: a regulated card-transaction pipeline. Avro-schema'd topics, two streaming apps (enrich,
 * fraud-score), Airflow 3 running the end-of-day DAGs from Git, the recommended policy pack in prod with documented
 * acknowledgements, card numbers classified PII and masked for every other reader, lag alerts paging PagerDuty, audit
 * of every production delivery to a webhook, Argo CD delivery to staging and prod.
 *
 * `npx synth --app examples/finance-transactions/main.ts` writes examples/finance-transactions/dist.
 */
import {
  Airflow, AlertRoute, AuditRule, Compatibility, DataClass, DataPlatform, Dags, Environment, GitOps, KafkaCluster,
  MaskingPolicy, NetworkPeer, NetworkPort, Pipeline, Policies, PolicyPacks, Schema, SchemaRegistry, Secrets, StreamingApp, Topic,
} from 'cdk8s-dataops';

const platform = new DataPlatform();
const vault = { name: 'vault', kind: 'ClusterSecretStore' } as const;

for (const name of ['staging', 'prod']) {
  // One Kubernetes cluster per environment, each with its own Strimzi 'transactions' cluster.
  const env = new Environment(platform, name, { namespace: 'transactions', cluster: name });
  // The recommended pack in both environments (its production rules, such as image digests, judge prod only): its errors
  // fail synth; every exception below carries its reason.
  Policies.of(env).add(PolicyPacks.recommended());
  const cluster = KafkaCluster.fromStrimzi(env, 'kafka', {
    name: 'transactions', namespace: 'kafka', bootstrapServers: 'transactions-kafka-bootstrap.kafka:9093',
    brokers: env.production ? 3 : 1,
    credentialsStore: { name: 'strimzi-users', kind: 'ClusterSecretStore' },
  });
  const registry = SchemaRegistry.fromUrl(env, 'registry', { url: 'http://schema-registry.kafka:8081' });

  const payments = new Pipeline(env, 'card-payments', {
    owner: 'team-card-payments', domain: 'cards', tags: ['pci', 'pii'],
    description: 'Card authorisations: enriched with merchant data, scored for fraud',
  });
  const partitions = env.select({ prod: 24, default: 3 });
  const authorisations = new Topic(payments, 'authorisations', {
    cluster, topicName: 'cards.authorisations.v1', partitions, config: { retention: '30d', compressionType: 'zstd' },
  });
  const enriched = new Topic(payments, 'enriched', { cluster, topicName: 'cards.authorisations-enriched.v1', partitions, config: { retention: '30d' } });
  const scores = new Topic(payments, 'scores', { cluster, topicName: 'cards.fraud-scores.v1', partitions, config: { retention: '90d' } });

  // The card number (PAN) is personal and PCI data: classified at the source, the tag follows it downstream.
  const authorisationsSchema = new Schema(payments, 'authorisations-value', {
    registry, topic: authorisations, compatibility: Compatibility.FULL_TRANSITIVE,
    classify: { cardNumber: DataClass.PII },
    definition: {
      type: 'record', name: 'Authorisation', namespace: 'com.acme.cards',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'cardNumber', type: 'string' },
        { name: 'merchantId', type: 'string' },
        { name: 'amountMinor', type: 'long' },
        { name: 'currency', type: 'string' },
        { name: 'authorisedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
      ],
    },
  });
  const scoresSchema = new Schema(payments, 'scores-value', {
    registry, topic: scores, compatibility: Compatibility.FULL_TRANSITIVE,
    definition: {
      type: 'record', name: 'FraudScore', namespace: 'com.acme.cards',
      fields: [
        { name: 'authorisationId', type: 'string' },
        { name: 'score', type: 'double' },
        { name: 'model', type: 'string' },
      ],
    },
  });

  const image = (repo: string, tag: string, digest: string) => (env.production ? `ghcr.io/acme/${repo}:${tag}@sha256:${digest}` : `ghcr.io/acme/${repo}:${tag}`);
  const resources = { cpu: { request: '500m', limit: '2' }, memory: { request: '1Gi', limit: '1Gi' } };
  const enrich = new StreamingApp(payments, 'enrich', {
    image: image('tx-enrich', '3.2.0', 'b17ca62c4df7af37c184ac19abb64f7a56fcc24e01d91405c4ebdb9e5ac83b96'),
    cluster, reads: [authorisations], writes: [enriched], port: 8080, resources,
  });
  const fraudScore = new StreamingApp(payments, 'fraud-score', {
    image: image('fraud-score', '5.0.1', 'cc0fd786201bb6aa87b1f579b41ce3dd1467e0d3c0db8799e2d0ccc5d24c455b'),
    cluster, reads: [enriched], writes: [scores], port: 8080, resources, transactionalIdPrefix: 'fraud-score-',
  });

  // Only the two apps that need the card number see it; every other reader (and Conduktor Gateway clients) gets it masked.
  new MaskingPolicy(payments, 'mask-card-number', {
    topics: [authorisations, enriched], fields: ['cardNumber'], rule: 'all', exempt: [enrich, fraudScore], gateway: true,
  });

  // The classification follows the data through fraud-score to its output, but the score schema has no card number.
  Policies.acknowledge(scores, 'DOP-GOV-002',
    'fraud-score writes only authorisationId, score and model (schema cards.fraud-scores.v1-value, FULL_TRANSITIVE): the card number never reaches this topic');

  // Lag pages on-call through PagerDuty in prod (Slack elsewhere). The routing key stays in Vault.
  const alerting = Secrets.fromExternal(payments, 'alerting', {
    store: vault, keys: { pagerduty: `${name}/cards/alerting#pagerduty_routing_key`, slack: `${name}/cards/alerting#slack_webhook` },
  });
  const oncall = new AlertRoute(payments, 'oncall', {
    match: { pipeline: 'card-payments' },
    pagerduty: env.production ? { routingKey: alerting.envValue('pagerduty') } : undefined,
    slack: env.production ? undefined : { channel: '#cards-staging', webhook: alerting.envValue('slack') },
  });
  payments.alertOnLag({ threshold: 5_000, for: '5m', severity: 'critical', runbook: 'https://runbooks.acme.com/cards/lag', route: oncall });

  // End of day: settlement and reconciliation DAGs from Git, run by Airflow 3.
  const airflowSecrets = Secrets.fromExternal(payments, 'airflow-secrets', {
    store: vault,
    keys: { connection: `${name}/cards/airflow#sql_alchemy_conn`, fernet: `${name}/cards/airflow#fernet_key`, api: `${name}/cards/airflow#api_secret_key` },
  });
  const airflow = new Airflow(payments, 'eod', {
    executor: 'KubernetesExecutor',
    metadataDatabase: airflowSecrets.envValue('connection'),
    fernetKey: airflowSecrets.envValue('fernet'),
    apiSecretKey: airflowSecrets.envValue('api'),
    dags: Dags.fromGit({ repo: 'https://github.com/acme/cards-eod-dags.git', ref: 'v2.4.0', subPath: 'dags' }),
    apiServerIngress: [{ peer: NetworkPeer.namespace('ingress-nginx'), ports: [NetworkPort.tcp(8080)] }],
  });
  if (env.production) {
    // The acknowledgements of the regulated environment, each with its reason (they show in policy.json and SARIF).
    Policies.acknowledge(airflow, 'DOP-K8S-006',
      'apache/airflow and git-sync are mirrored into the PCI registry, which admits only signed, immutable tags (CHG-1182)');
    for (const schema of [authorisationsSchema, scoresSchema]) {
      Policies.acknowledge(schema, 'DOP-K8S-006', 'the schema registration Job runs the mirrored, immutable curl image once per change (CHG-1182)');
    }
  }
  Policies.acknowledge(airflow.node.findChild('Scheduler'), 'DOP-K8S-002',
    'KubernetesExecutor: the scheduler launches the end-of-day task pods through the Kubernetes API, so it mounts its service-account token');
}

// Argo CD delivers both environments.
const gitops = new GitOps(platform, {
  repoURL: 'https://github.com/acme/card-platform.git', tool: 'argocd', path: 'examples/finance-transactions/dist',
});

// Audit: every production delivery and failure goes to the compliance team's webhook (Argo CD notifications'
// `service.webhook.compliance-audit`).
const prod = platform.environments.find((e) => e.name === 'prod')!;
new AuditRule(prod, 'audit', { gitops, events: ['deployed', 'sync-failed', 'degraded'], to: { webhook: { name: 'compliance-audit' } } });

platform.synth();
