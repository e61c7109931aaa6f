import { DataFlowGraph, Environment } from 'cdk8s-dataops';
import { findObject, Manifest, synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Airflow, AirflowExecutor, Dags } from '../../../constructs/airflow';
import { DbtJob, DbtProject } from '../../../constructs/dbt';
import { NetworkPeer, NetworkPort } from '../../../constructs/k8s';
import { errorOf, externalSecret, newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

const TEMPLATE = '/opt/airflow/pod_templates/dbt/orders_daily.dbt_build.yaml';

function setup(executor: AirflowExecutor, env: Environment = newEnv('prod', 'data')) {
  const s = externalSecret(env, 'Secrets', ['connection', 'fernet', 'api', 'redis', 'warehouse']);
  const project = new DbtProject(env, 'Analytics', {
    image: 'ghcr.io/acme/analytics-dbt:1.0.0',
    profile: { name: 'analytics', outputs: { prod: { type: 'postgres', host: 'warehouse', password: s.envValue('warehouse') } } },
    egress: [{ peer: NetworkPeer.cidr('10.20.0.0/16'), ports: [NetworkPort.tcp(5432)] }],
  });
  project.model('orders_daily');
  const job = project.job('Build', { command: 'build', select: ['orders_daily+'] });
  const airflow = new Airflow(env, 'Airflow', {
    executor, dags: Dags.fromGit({ repo: 'https://github.com/acme/dags.git' }),
    metadataDatabase: s.envValue('connection'), fernetKey: s.envValue('fernet'), apiSecretKey: s.envValue('api'),
    ...(executor === 'CeleryExecutor' ? { redisPassword: s.envValue('redis') } : {}),
    dbtTasks: [{ dagId: 'orders_daily', taskId: 'dbt_build', job }],
  });
  return { env, airflow, job, s };
}

function podTemplate(env: Environment): Manifest {
  return parse(findObject(env, 'ConfigMap', 'airflow-dbt-tasks').data['orders_daily.dbt_build.yaml']);
}

describe('Airflow dbtTasks', () => {
  it("puts the dbt Job's pod in a KubernetesPodOperator pod_template_file", () => {
    const { env, job } = setup('KubernetesExecutor');
    const pod = podTemplate(env);
    expect(pod.kind).toBe('Pod');
    expect(pod.metadata.namespace).toBe('data');
    const base = pod.spec.containers.find((c: { name: string }) => c.name === 'base');
    expect(base.image).toBe('ghcr.io/acme/analytics-dbt:1.0.0');
    expect(base.command).toEqual(['dbt', 'build', '--project-dir', '/usr/app/dbt', '--target', 'prod', '--select', 'orders_daily+']);
    expect(base.env).toContainEqual({ name: 'DBT_ENV_SECRET_PASSWORD', valueFrom: { secretKeyRef: { name: 'secrets', key: 'warehouse' } } });
    expect(pod.spec.volumes).toContainEqual(expect.objectContaining({ name: 'profiles', configMap: expect.objectContaining({ name: 'analytics-profiles' }) }));
    // The Job's NetworkPolicy (warehouse egress) selects the operator's pod too.
    const policy = findObject(env, 'NetworkPolicy', job.workload.name);
    expect(pod.metadata.labels).toMatchObject(policy.spec.podSelector.matchLabels);
    validateAll([pod, ...synthesize(env)]);
  });

  it('gives the pods that run tasks the template, a token, the RBAC to start pods and the way to the API server', () => {
    const { env } = setup('KubernetesExecutor');
    const taskPod = parse(findObject(env, 'ConfigMap', 'airflow-config').data['pod_template_file.yaml']);
    expect(taskPod.spec.automountServiceAccountToken).toBe(true);
    expect(taskPod.spec.serviceAccountName).toBe('airflow-worker');
    expect(taskPod.spec.containers[0].volumeMounts).toContainEqual({ name: 'dbt-tasks', mountPath: '/opt/airflow/pod_templates/dbt', readOnly: true });
    expect(taskPod.spec.volumes).toContainEqual(expect.objectContaining({ name: 'dbt-tasks', configMap: expect.objectContaining({ name: 'airflow-dbt-tasks' }) }));
    const role = findObject(env, 'Role', 'airflow-dbt-tasks');
    expect(role.rules).toContainEqual(expect.objectContaining({ resources: ['pods'], verbs: expect.arrayContaining(['create', 'watch', 'delete']) }));
    expect(findObject(env, 'RoleBinding', 'airflow-dbt-tasks').subjects).toEqual([expect.objectContaining({ kind: 'ServiceAccount', name: 'airflow-worker' })]);
    const egress = findObject(env, 'NetworkPolicy', 'airflow-task-pods').spec.egress;
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] });
  });

  it('with LocalExecutor, the scheduler runs them', () => {
    const { env } = setup('LocalExecutor');
    const pod = findObject(env, 'Deployment', 'airflow-scheduler').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'dbt-tasks', mountPath: '/opt/airflow/pod_templates/dbt', readOnly: true });
    expect(findObject(env, 'RoleBinding', 'airflow-dbt-tasks').subjects).toEqual([expect.objectContaining({ kind: 'ServiceAccount', name: 'airflow-scheduler' })]);
    // Other components do not get the token.
    expect(findObject(env, 'Deployment', 'airflow-triggerer').spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  it('with CeleryExecutor, the workers run them', () => {
    const { env } = setup('CeleryExecutor');
    const pod = findObject(env, 'Deployment', 'airflow-worker').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'dbt-tasks', mountPath: '/opt/airflow/pod_templates/dbt', readOnly: true });
  });

  it('shows the DAG running the dbt project in the lineage', () => {
    const { env, airflow } = setup('KubernetesExecutor');
    expect(airflow.dbtTasks).toEqual([{
      airflow: 'airflow', dagId: 'orders_daily', taskId: 'dbt_build', dbtProject: 'analytics', dbtJob: 'analytics-build',
      command: ['dbt', 'build', '--project-dir', '/usr/app/dbt', '--target', 'prod', '--select', 'orders_daily+'], podTemplateFile: TEMPLATE,
    }]);
    const graph = DataFlowGraph.of(env);
    expect(graph.node('airflow-dag:data/airflow/orders_daily')).toMatchObject({ role: 'process', kind: 'airflow dag', name: 'orders_daily' });
    expect(graph.edges).toContainEqual({ from: 'airflow-dag:data/airflow/orders_daily', to: 'dbt-project:analytics' });
  });

  it('emits nothing for dbt without tasks', () => {
    const env = newEnv('prod', 'data');
    const s = externalSecret(env, 'Secrets', ['connection', 'fernet', 'api']);
    new Airflow(env, 'Airflow', {
      executor: 'KubernetesExecutor', dags: Dags.fromGit({ repo: 'https://github.com/acme/dags.git' }),
      metadataDatabase: s.envValue('connection'), fernetKey: s.envValue('fernet'), apiSecretKey: s.envValue('api'),
    });
    const objects = synthesize(env);
    expect(objects.filter((o) => o.metadata.name === 'airflow-dbt-tasks')).toEqual([]);
    expect(parse(findObject(env, 'ConfigMap', 'airflow-config').data['pod_template_file.yaml']).spec.automountServiceAccountToken).toBe(false);
  });

  it('refuses a task declared twice and ids Airflow does not accept', () => {
    const env = newEnv('prod', 'data');
    const { job, s } = setup('LocalExecutor', env);
    const base = {
      executor: 'LocalExecutor' as const, dags: Dags.fromGit({ repo: 'https://github.com/acme/dags.git' }),
      metadataDatabase: s.envValue('connection'), fernetKey: s.envValue('fernet'), apiSecretKey: s.envValue('api'), name: 'other',
    };
    expect(errorOf(() => new Airflow(env, 'Twice', { ...base, dbtTasks: [{ dagId: 'd', taskId: 't', job }, { dagId: 'd', taskId: 't', job }] })))
      .toBe("prod/Twice, field 'dbtTasks[1]': task 'd.t' is declared twice");
    expect(errorOf(() => new Airflow(env, 'BadId', { ...base, dbtTasks: [{ dagId: 'orders daily', taskId: 'x', job }] })))
      .toBe("prod/BadId, field 'dbtTasks[0].dagId': is not an Airflow id (letters, digits, '_', '-', '.')");
    expect(errorOf(() => new Airflow(env, 'NotAJob', { ...base, dbtTasks: [{ dagId: 'd', taskId: 't', job: {} as DbtJob }] })))
      .toBe("prod/NotAJob, field 'dbtTasks[0].job': must be a DbtJob (from project.job())");
  });
});
