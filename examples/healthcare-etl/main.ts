/**
 * healthcare-etl: patient data from the hospital systems, de-identified for research. Every field of every schema is
 * classified; PII is masked for every reader that is not named, and the de-identifier declares which fields it drops,
 * so its output carries none; a team pack adds retention limits per data class and requires every field to be
 * classified; acknowledgements carry their reasons; audit goes to Slack and to the compliance webhook.
 *
 * `npx synth --app examples/healthcare-etl/main.ts` writes examples/healthcare-etl/dist.
 */
import {
  AuditRule, Classification, Compatibility, Compliance, constructRule, DataClass, DataPlatform, Environment, GitOps,
  KafkaCluster, KafkaConnect, KafkaConnector, MaskingPolicy, Pipeline, Policies, PolicyPack, PolicyPacks, RuleLevel, Schema,
  SchemaRegistry, Secrets, StreamingApp, Topic,
} from 'cdk8s-dataops';

/** The longest a topic may keep data of each class (ms): PII 30 days, sensitive one year, public unbounded. */
const RETENTION_LIMIT_MS: Record<string, number> = { [DataClass.PII]: 30 * 86_400_000, [DataClass.SENSITIVE]: 365 * 86_400_000 };

/** The hospital's own rules: a plain PolicyPack (it could be an npm package shared by every team). */
const hospitalPack: PolicyPack = {
  name: 'hospital-data',
  description: 'Data-class rules of the hospital data office',
  rules: [
    constructRule({
      id: 'HOSP-DATA-001',
      level: RuleLevel.ERROR,
      description: 'Every field of a patient-data schema is classified',
      rationale: 'Unclassified fields escape masking and retention rules; the data office signs off on every field.',
      remediation: 'Add the field to `classify` of the Schema (DataClass.PII, SENSITIVE or PUBLIC).',
      appliesTo: (c): c is Schema => c instanceof Schema,
      evaluate: (schema) => {
        const missing = schema.fields.map((f) => f.name).filter((f) => !(schema.fieldTags[f]?.length));
        return missing.length ? { field: 'classify', message: `field(s) ${missing.map((f) => `'${f}'`).join(', ')} of ${schema.subject} are not classified` } : Compliance.COMPLIANT;
      },
    }),
    constructRule({
      id: 'HOSP-DATA-002',
      level: RuleLevel.ERROR,
      description: 'Topics keep each data class no longer than allowed (PII 30 days, sensitive 1 year)',
      rationale: 'Retention per data class is set by the hospital data-protection policy (storage limitation).',
      remediation: "Set the topic's config.retention to at most the limit of its most restricted class.",
      appliesTo: (c): c is Schema => c instanceof Schema,
      evaluate: (schema) => {
        if (!(schema.topic instanceof Topic)) return Compliance.NOT_APPLICABLE;
        const classes = new Set(Object.values(schema.fieldTags).flat());
        const limits = [...classes].map((c) => RETENTION_LIMIT_MS[c]).filter((l): l is number => l !== undefined);
        if (limits.length === 0) return Compliance.COMPLIANT;
        const limit = Math.min(...limits);
        const retention = Number(schema.topic.config['retention.ms'] ?? -1);
        return retention >= 0 && retention <= limit ? Compliance.COMPLIANT
          : { field: 'config.retention', message: `topic '${schema.topic.topicName}' keeps ${[...classes].join('/')} data for ${retention < 0 ? 'ever' : `${retention / 86_400_000} days`}; the limit is ${limit / 86_400_000} days` };
      },
    }),
  ],
};

const platform = new DataPlatform();
Policies.of(platform).add(PolicyPacks.recommended()).add(hospitalPack);
const vault = { name: 'vault', kind: 'ClusterSecretStore' } as const;

for (const name of ['staging', 'prod']) {
  const env = new Environment(platform, name, { namespace: 'patient-etl', cluster: name });
  const cluster = KafkaCluster.fromStrimzi(env, 'kafka', {
    name: 'clinical', namespace: 'kafka', bootstrapServers: 'clinical-kafka-bootstrap.kafka:9093', brokers: env.production ? 3 : 1,
    credentialsStore: { name: 'strimzi-users', kind: 'ClusterSecretStore' },
  });
  const registry = SchemaRegistry.fromUrl(env, 'registry', { url: 'http://schema-registry.kafka:8081' });
  const etl = new Pipeline(env, 'patient-etl', { owner: 'team-clinical-data', domain: 'clinical', description: 'Admissions and lab results, de-identified for research' });

  const admissions = new Topic(etl, 'admissions', { cluster, topicName: 'clinical.admissions.v1', partitions: env.select({ prod: 12, default: 3 }), config: { retention: '14d' } });
  const labs = new Topic(etl, 'lab-results', { cluster, topicName: 'clinical.lab-results.v1', partitions: env.select({ prod: 12, default: 3 }), config: { retention: '30d' } });
  const research = new Topic(etl, 'research', { cluster, topicName: 'clinical.research-encounters.v1', partitions: env.select({ prod: 12, default: 3 }), config: { retention: '365d' } });

  const record = (recordName: string, fields: Record<string, string>) => ({
    type: 'record', name: recordName, namespace: 'org.hospital.clinical',
    fields: Object.entries(fields).map(([n, type]) => ({ name: n, type })),
  });
  new Schema(etl, 'admissions-value', {
    registry, topic: admissions, compatibility: Compatibility.FULL_TRANSITIVE,
    definition: record('Admission', { encounterId: 'string', patientName: 'string', dateOfBirth: 'string', insuranceNumber: 'string', ward: 'string', admittedAt: 'long' }),
    classify: {
      encounterId: DataClass.SENSITIVE, patientName: DataClass.PII, dateOfBirth: DataClass.PII, insuranceNumber: DataClass.PII,
      ward: DataClass.PUBLIC, admittedAt: DataClass.SENSITIVE,
    },
  });
  new Schema(etl, 'lab-results-value', {
    registry, topic: labs, compatibility: Compatibility.FULL_TRANSITIVE,
    definition: record('LabResult', { encounterId: 'string', insuranceNumber: 'string', test: 'string', value: 'double', unit: 'string' }),
    classify: { encounterId: DataClass.SENSITIVE, insuranceNumber: DataClass.PII, test: DataClass.SENSITIVE, value: DataClass.SENSITIVE, unit: DataClass.PUBLIC },
  });
  new Schema(etl, 'research-value', {
    registry, topic: research, compatibility: Compatibility.FULL_TRANSITIVE,
    definition: record('ResearchEncounter', { pseudonym: 'string', ageBand: 'string', ward: 'string', test: 'string', value: 'double', unit: 'string' }),
    classify: { pseudonym: DataClass.SENSITIVE, ageBand: DataClass.SENSITIVE, ward: DataClass.PUBLIC, test: DataClass.SENSITIVE, value: DataClass.SENSITIVE, unit: DataClass.PUBLIC },
  });

  const deidentifier = new StreamingApp(etl, 'deidentifier', {
    image: 'ghcr.io/hospital/deidentifier:4.2.0', cluster, reads: [admissions, labs], writes: [research], port: 8080,
    resources: { cpu: { request: '500m', limit: '2' }, memory: { request: '1Gi', limit: '1Gi' } },
  });
  // The de-identifier drops the direct identifiers (it derives a pseudonym and an age band): they do not flow on.
  Classification.declareHandling(deidentifier, { removes: ['patientName', 'dateOfBirth', 'insuranceNumber', 'encounterId'] });
  new MaskingPolicy(etl, 'mask-admission-identifiers', {
    topics: [admissions], fields: ['patientName', 'dateOfBirth', 'insuranceNumber'], rule: 'all', exempt: [deidentifier], gateway: true,
  });
  new MaskingPolicy(etl, 'mask-lab-identifiers', { topics: [labs], fields: ['insuranceNumber'], rule: 'all', exempt: [deidentifier], gateway: true });

  // The research warehouse gets the de-identified encounters only.
  const connect = new KafkaConnect(etl, 'research-connect', { cluster, image: 'ghcr.io/hospital/connect-jdbc:4.1.0-1' });
  Policies.acknowledge(connect, 'DOP-KAFKA-012', "Kafka Connect's internal topics (configs, offsets, status) are named after the Connect cluster, not a dataset");
  const login = Secrets.fromExternal(etl, 'research-writer', { store: vault, keys: { username: `${name}/research/writer#username`, password: `${name}/research/writer#password` } });
  new KafkaConnector(etl, 'research-sink', {
    connect, class: 'io.confluent.connect.jdbc.JdbcSinkConnector', tasksMax: env.select({ prod: 2, default: 1 }), reads: [research],
    config: {
      'connection.url': 'jdbc:postgresql://research-dw.research:5432/encounters',
      'connection.user': login.envValue('username'), 'connection.password': login.envValue('password'),
      'insert.mode': 'insert', 'errors.tolerance': 'none',
    },
  });
  etl.alertOnLag({ threshold: 10_000, for: '15m', severity: 'critical' });
  if (env.production) {
    Policies.acknowledge(env, 'DOP-K8S-006', 'the hospital registry admits only signed, immutable tags; digests are pinned by the admission controller (SEC-311)');
  }
}

const gitops = new GitOps(platform, { repoURL: 'https://github.com/hospital/patient-etl.git', tool: 'argocd', path: 'examples/healthcare-etl/dist' });

// Audit: every prod delivery and failure to the data office's Slack channel and to the compliance webhook.
const prod = platform.environments.find((e) => e.name === 'prod')!;
new AuditRule(prod, 'audit', {
  gitops, events: ['deployed', 'sync-failed', 'degraded'],
  to: { slack: { channel: '#data-office-audit' }, webhook: { name: 'compliance-audit' } },
});

platform.synth();
