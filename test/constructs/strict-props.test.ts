/**
 * Every exported construct refuses a key its props do not have (issue 10: props that were silently ignored),
 * naming the construct path and the key, with the closest known key when there is one.
 */
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import * as api from 'cdk8s-dataops';
import {
  Airflow, ArgoCdApplication, ArgoCdApplicationSet, ArgoCdProject, ConfigMap, CronJob, Dags, DataPlatform, DbtProject, Deployment, Environment,
  FluxGitRepository, FluxKustomization, GitOps, Job, KafkaCluster, KafkaConnect, KafkaConnector, KafkaUser, NetworkPeer, NetworkPolicy,
  NetworkPort, Pipeline, PodDisruptionBudget, Role, Schema, SchemaRegistry, Secrets, Service, ServiceAccount, StreamingApp, Topic,
} from 'cdk8s-dataops';
import { errorOf, externalSecret, fakeSealed } from './support/fixtures';

const REPO = 'https://github.com/acme/data-platform.git';
const container = { name: 'app', image: 'ghcr.io/acme/app:1.0.0' };

function world() {
  const platform = new DataPlatform();
  const env = new Environment(platform, 'dev', { namespace: 'data' });
  const cluster = KafkaCluster.fromStrimzi(env, 'Kafka', { name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093', credentialsStore: { name: 'kafka-store' } });
  return { platform, env, cluster };
}
type World = ReturnType<typeof world>;

function dbt(w: World, extra: object = {}): DbtProject {
  const creds = externalSecret(w.env, 'Warehouse', ['password']);
  return new DbtProject(w.env, 'Analytics', {
    image: 'ghcr.io/acme/dbt:1.0.0',
    profile: { name: 'analytics', outputs: { prod: { type: 'postgres', host: 'db', password: creds.envValue('password') } } },
    ...extra,
  });
}

function airflowProps(w: World): Record<string, unknown> {
  const keys = externalSecret(w.env, 'AirflowKeys', ['db', 'fernet', 'api']);
  return {
    executor: 'LocalExecutor', metadataDatabase: keys.envValue('db'), fernetKey: keys.envValue('fernet'), apiSecretKey: keys.envValue('api'),
    dags: Dags.fromGit({ repo: 'https://github.com/acme/dags.git' }),
  };
}

/**
 * Each exported construct with props: how to build it with valid props plus `extra` (merged into the props object).
 * The valid build must succeed, so that the error below is about the extra key and nothing else.
 */
const TABLE: Record<string, (w: World, extra: object) => unknown> = {
  Airflow: (w, x) => new Airflow(w.env, 'Airflow', { ...airflowProps(w), ...x } as never),
  ArgoCdApplication: (w, x) => new ArgoCdApplication(w.platform, 'App', { environment: w.env, project: 'default', repoURL: REPO, ...x }),
  ArgoCdApplicationSet: (w, x) => new ArgoCdApplicationSet(w.platform, 'Set', { environments: [w.env], project: 'default', repoURL: REPO, ...x }),
  ArgoCdProject: (w, x) => new ArgoCdProject(w.platform, 'Project', { environments: [w.env], sourceRepos: [REPO], ...x }),
  ConfigMap: (w, x) => new ConfigMap(w.env, 'Config', { data: { a: 'b' }, ...x }),
  CronJob: (w, x) => new CronJob(w.env, 'Cron', { containers: [container], schedule: '@daily', ...x }),
  DbtJob: (w, x) => dbt(w).job('Nightly', { command: 'build', ...x }),
  DbtProject: (w, x) => dbt(w, x),
  Deployment: (w, x) => new Deployment(w.env, 'App', { containers: [container], ...x }),
  ExistingSecretReference: (w, x) => Secrets.fromSecretName(w.env, 'Existing', 'existing', { ...x }),
  ExternalSecretReference: (w, x) => Secrets.fromExternal(w.env, 'External', { store: { name: 'vault' }, keys: { a: 'x/y' }, ...x }),
  FluxGitRepository: (w, x) => new FluxGitRepository(w.platform, 'Source', { repoURL: REPO, ...x }),
  FluxKustomization: (w, x) => new FluxKustomization(w.platform, 'Kustomization', {
    environment: w.env, source: new FluxGitRepository(w.platform, 'Source', { repoURL: REPO }), ...x,
  }),
  GitOps: (w, x) => new GitOps(w.platform, 'GitOps', { repoURL: REPO, tool: 'argocd', ...x }),
  Job: (w, x) => new Job(w.env, 'Job', { containers: [container], ...x }),
  KafkaCluster: (w, x) => KafkaCluster.fromStrimzi(w.env, 'Other', { name: 'other', namespace: 'kafka', bootstrapServers: 'other:9093', ...x }),
  KafkaConnect: (w, x) => new KafkaConnect(w.env, 'Connect', { cluster: w.cluster, ...x }),
  KafkaConnector: (w, x) => new KafkaConnector(w.env, 'Sink', { connect: new KafkaConnect(w.env, 'Connect', { cluster: w.cluster }), class: 'a.B', ...x }),
  KafkaUser: (w, x) => new KafkaUser(w.env, 'User', { cluster: w.cluster, ...x }),
  NetworkPolicy: (w, x) => new NetworkPolicy(w.env, 'Policy', { selectorLabels: { app: 'x' }, ...x }),
  Pipeline: (w, x) => new Pipeline(w.env, 'Payments', { owner: 'payments', ...x }),
  PodDisruptionBudget: (w, x) => new PodDisruptionBudget(w.env, 'Pdb', { selectorLabels: { app: 'x' }, ...x }),
  Role: (w, x) => new Role(w.env, 'Role', { rules: [{ apiGroup: '', resources: ['pods'], verbs: ['get'] }], ...x }),
  Schema: (w, x) => new Schema(w.env, 'Schema', {
    registry: SchemaRegistry.fromUrl(w.env, 'Registry', { url: 'http://registry:8081' }),
    topic: new Topic(w.env, 'Orders', { cluster: w.cluster, topicName: 'orders' }),
    definition: { type: 'record', name: 'Order', fields: [{ name: 'id', type: 'string' }] }, ...x,
  }),
  SchemaRegistry: (w, x) => SchemaRegistry.fromUrl(w.env, 'Registry', { url: 'http://registry:8081', ...x }),
  SealedSecretReference: (w, x) => Secrets.fromSealed(w.env, 'Sealed', { encryptedData: { a: fakeSealed() }, ...x }),
  Service: (w, x) => new Service(w.env, 'Service', { selectorLabels: { app: 'x' }, ports: [{ name: 'http', port: 80 }], ...x }),
  ServiceAccount: (w, x) => new ServiceAccount(w.env, 'Account', { ...x }),
  StreamingApp: (w, x) => new StreamingApp(w.env, 'App', { image: 'ghcr.io/acme/app:1.0.0', cluster: w.cluster, ...x }),
  Topic: (w, x) => new Topic(w.env, 'Orders', { cluster: w.cluster, topicName: 'orders', ...x }),
};

/** Exported constructs that take no props object of their own, with the reason. */
const NOT_IN_TABLE: Record<string, string> = {
  DataPlatform: 'the root; its options are checked by synth/config',
  Environment: 'lib/platform (its props are checked there)',
  Workload: 'abstract base of Deployment, Job and CronJob (in the table)',
  SecretReference: 'abstract base of the three references (in the table)',
  BootstrapObject: 'abstract base of the GitOps objects (in the table)',
  // Constructs of the alerting, audit and governance domains, written at the same time by their owners: their
  // schemas go through validateProps, whose walk refuses unknown keys (test/lib/validation.test.ts).
  AlertRoute: 'constructs/monitoring (its own tests)',
  AlertRules: 'constructs/monitoring (its own tests)',
  AuditRule: 'constructs/audit (its own tests)',
  GrafanaDashboard: 'constructs/monitoring (its own tests)',
  KafkaDashboard: 'constructs/kafka dashboards, written by the monitoring owner (its own tests)',
  KyvernoPolicies: 'lib/policy, written by the policy owner (its own tests)',
  ConsumerLagAlert: 'created by Pipeline.alertOnLag (its own tests)',
  TopicThroughputAlert: 'created by Topic.alertOnThroughput (its own tests)',
  DataHandling: 'constructs/governance (its own tests)',
  MaskingPolicy: 'constructs/governance (its own tests)',
  TopicClassification: 'created by classify() with a list of tags, no props object',
};

describe('every exported construct refuses unknown props', () => {
  const exported = Object.entries(api).filter(([, v]) => typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof Construct).map(([k]) => k);

  it('the table covers every exported construct', () => {
    expect(exported.filter((name) => !(name in TABLE) && !(name in NOT_IN_TABLE))).toEqual([]);
  });

  for (const [name, build] of Object.entries(TABLE)) {
    it(name, () => {
      expect(() => build(world(), {})).not.toThrow();
      expect(errorOf(() => build(world(), { bogusProp: 1 }))).toMatch(/^[^\n]*, field 'bogusProp': unknown property 'bogusProp'/);
    });
  }
});

describe('the props issue 10 found silently ignored', () => {
  it("DbtProject { egres }: the warehouse egress is not lost, the typo is named", () => {
    const egres = [{ peer: NetworkPeer.cidr('10.20.0.0/16'), ports: [NetworkPort.tcp(5432)] }];
    expect(errorOf(() => dbt(world(), { egres })))
      .toBe("dev/Analytics, field 'egres': unknown property 'egres'; did you mean 'egress'?");
  });

  it('DbtProject { package }', () => {
    expect(errorOf(() => dbt(world(), { package: true }))).toMatch(/field 'package': unknown property 'package'; did you mean 'packages'\?/);
  });

  it('Airflow { apiServerIngres }', () => {
    const w = world();
    expect(errorOf(() => new Airflow(w.env, 'Airflow', { ...airflowProps(w), apiServerIngres: [] } as never)))
      .toBe("dev/Airflow, field 'apiServerIngres': unknown property 'apiServerIngres'; did you mean 'apiServerIngress'?");
  });

  it('Deployment { replica: 3 }', () => {
    expect(errorOf(() => new Deployment(world().env, 'App', { containers: [container], replica: 3 } as never)))
      .toBe("dev/App, field 'replica': unknown property 'replica'; did you mean 'replicas'?");
  });

  it('a misspelled required key names the typo: Airflow { excutor }, DbtJob { comand }; an optional one is a plain typo', () => {
    const w = world();
    const { executor, ...rest } = airflowProps(w);
    expect(errorOf(() => new Airflow(w.env, 'Airflow', { ...rest, excutor: executor } as never)))
      .toBe("dev/Airflow, field 'excutor': unknown property 'excutor'; did you mean 'executor'? ('executor' is required)");
    expect(errorOf(() => dbt(world()).job('Nightly', { comand: 'build' } as never)))
      .toBe("dev/Analytics/Nightly, field 'comand': unknown property 'comand'; did you mean 'command'? ('command' is required)");
    expect(errorOf(() => new Deployment(w.env, 'App', { containers: [{ ...container, comand: ['run'] }] } as never)))
      .toBe("dev/App, field 'containers[0].comand': unknown property 'comand'; did you mean 'command'?");
  });

  it('nested objects too: a probe, a resource pair, a network rule', () => {
    const w = world();
    expect(errorOf(() => new Deployment(w.env, 'A', { containers: [{ ...container, readinessProbe: { httpGet: { path: '/', port: 80 }, periodSecond: 5 } }] } as never)))
      .toMatch(/field 'containers\[0\]\.readinessProbe\.periodSecond': unknown property 'periodSecond'; did you mean 'periodSeconds'\?/);
    expect(errorOf(() => new Deployment(w.env, 'B', { containers: [{ ...container, resources: { cpu: { requests: '1' } } }] } as never)))
      .toMatch(/field 'containers\[0\]\.resources\.cpu\.requests': unknown property 'requests'; did you mean 'request'\?/);
    expect(errorOf(() => new Deployment(w.env, 'C', { containers: [container], egress: [{ peer: NetworkPeer.namespace('kafka'), port: [] }] } as never)))
      .toMatch(/field 'egress\[0\]\.port': unknown property 'port'; did you mean 'ports'\?/);
  });
});
