import { Environment } from 'cdk8s-dataops';
import { toYaml } from '../../../lib/synthesizer/yaml';
import { findObject, findObjects, Manifest, synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { Airflow, AirflowProps, Dags } from '../../../constructs/airflow';
import { NetworkPeer, NetworkPort } from '../../../constructs/k8s';
import { errorOf, externalSecret, newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

const GIT = Dags.fromGit({ repo: 'https://github.com/acme/dags.git', ref: 'main', subPath: 'dags' });

function airflow(env: Environment, props: Partial<AirflowProps> = {}): Airflow {
  const s = externalSecret(env, 'AirflowSecrets', ['connection', 'fernet', 'api', 'redis']);
  return new Airflow(env, 'Airflow', {
    executor: 'KubernetesExecutor',
    metadataDatabase: s.envValue('connection'), fernetKey: s.envValue('fernet'), apiSecretKey: s.envValue('api'),
    dags: GIT,
    ...(props.executor === 'CeleryExecutor' ? { redisPassword: s.envValue('redis') } : {}),
    ...props,
  });
}

const names = (objects: Manifest[], kind: string) => findObjects(objects, kind).map((o) => o.metadata.name).sort();
const podSpec = (d: Manifest) => d.spec.template.spec;
const env = (c: any, name: string) => c.env.find((e: any) => e.name === name);

describe('Airflow', () => {
  describe('component set follows the executor and the version', () => {
    it.each([
      ['KubernetesExecutor', '3.1.3', ['airflow-api-server', 'airflow-dag-processor', 'airflow-scheduler', 'airflow-triggerer'], true],
      ['CeleryExecutor', '3.1.3', ['airflow-api-server', 'airflow-dag-processor', 'airflow-redis', 'airflow-scheduler', 'airflow-triggerer', 'airflow-worker'], false],
      ['LocalExecutor', '3.1.3', ['airflow-api-server', 'airflow-dag-processor', 'airflow-scheduler', 'airflow-triggerer'], false],
      ['KubernetesExecutor', '2.10.5', ['airflow-scheduler', 'airflow-triggerer', 'airflow-webserver'], true],
      ['CeleryExecutor', '2.10.5', ['airflow-redis', 'airflow-scheduler', 'airflow-triggerer', 'airflow-webserver', 'airflow-worker'], false],
    ] as const)('%s with Airflow %s', (executor, version, deployments, podLauncher) => {
      const e = newEnv('prod', 'airflow');
      airflow(e, { executor, version });
      const objects = synthesize(e);
      validateAll(objects);
      expect(names(objects, 'Deployment')).toEqual(deployments);
      expect(names(objects, 'Role')).toEqual(podLauncher ? ['airflow-pod-launcher'] : []);
      expect(names(objects, 'RoleBinding')).toEqual(podLauncher ? ['airflow-pod-launcher'] : []);
      expect(names(objects, 'Job')).toEqual(['airflow-migrate-database']);
      expect(names(objects, 'PodDisruptionBudget')).toEqual(version.startsWith('3') ? ['airflow-api-server', 'airflow-scheduler'] : ['airflow-scheduler', 'airflow-webserver']);
      const web = `airflow-${version.startsWith('3') ? 'api-server' : 'webserver'}`;
      expect(names(objects, 'Service')).toEqual(executor === 'CeleryExecutor' ? [web, 'airflow-redis'].sort() : [web]);
      // every pod has its default-deny NetworkPolicy (plus the task pods of the KubernetesExecutor)
      const policies = names(objects, 'NetworkPolicy');
      for (const d of deployments) expect(policies).toContain(d);
      expect(policies).toContain('airflow-migrate-database');
      expect(policies.includes('airflow-task-pods')).toBe(executor === 'KubernetesExecutor');
      expect(findObjects(objects, 'Secret')).toEqual([]);
      expect(JSON.stringify(objects)).not.toContain('cdk8s.io/metadata.addr');
    });

    it('runs a standalone dag-processor with Airflow 2 when asked', () => {
      const e = newEnv();
      airflow(e, { version: '2.10.5', standaloneDagProcessor: true });
      const dp = findObject(e, 'Deployment', 'airflow-dag-processor');
      expect(env(podSpec(dp).containers[0], 'AIRFLOW__SCHEDULER__STANDALONE_DAG_PROCESSOR').value).toBe('True');
    });
  });

  it('runs `airflow db migrate` as an Argo CD Sync hook with BeforeHookCreation', () => {
    const e = newEnv();
    airflow(e);
    const job = findObject(e, 'Job', 'airflow-migrate-database');
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation', 'kustomize.toolkit.fluxcd.io/force': 'enabled',
    });
    const c = podSpec(job).containers[0];
    expect(c.name).toBe('run-airflow-migrations');
    expect(c.args).toEqual(['bash', '-c', 'exec airflow db migrate']);
    expect(podSpec(job).restartPolicy).toBe('OnFailure');
    expect(podSpec(job).serviceAccountName).toBe('airflow-migrate-database-job');
  });

  it('makes every component wait for the migrations, as the chart does', () => {
    const e = newEnv();
    airflow(e, { executor: 'CeleryExecutor' });
    for (const d of findObjects(e, 'Deployment', (o) => o.metadata.name !== 'airflow-redis')) {
      const wait = podSpec(d).initContainers.find((c: any) => c.name === 'wait-for-airflow-migrations');
      expect(wait, d.metadata.name).toBeDefined();
      expect(wait.args).toEqual(['airflow', 'db', 'check-migrations', '--migration-wait-timeout=60']);
      expect(wait.resources).toEqual(podSpec(d).containers[0].resources);
    }
  });

  it('uses the commands and probes of the official chart', () => {
    const e = newEnv();
    airflow(e, { executor: 'CeleryExecutor' });
    const main = (name: string) => podSpec(findObject(e, 'Deployment', `airflow-${name}`)).containers[0];
    const jobsCheck = (args: string) => ['sh', '-c', `CONNECTION_CHECK_MAX_COUNT=0 AIRFLOW__LOGGING__LOGGING_LEVEL=ERROR exec /entrypoint \\\nairflow jobs check ${args}\n`];
    expect(main('scheduler').args).toEqual(['bash', '-c', 'exec airflow scheduler']);
    expect(main('scheduler').livenessProbe).toEqual({ exec: { command: jobsCheck('--job-type SchedulerJob --local') }, initialDelaySeconds: 10, timeoutSeconds: 20, failureThreshold: 5, periodSeconds: 60 });
    expect(main('scheduler').startupProbe).toEqual({ exec: { command: jobsCheck('--job-type SchedulerJob --local') }, initialDelaySeconds: 0, timeoutSeconds: 20, failureThreshold: 6, periodSeconds: 10 });
    expect(main('api-server').args).toEqual(['bash', '-c', 'exec airflow api-server']);
    const health = { httpGet: { path: '/api/v2/monitor/health', port: 8080, scheme: 'HTTP' } };
    expect(main('api-server').livenessProbe).toEqual({ ...health, initialDelaySeconds: 15, timeoutSeconds: 5, failureThreshold: 5, periodSeconds: 10 });
    expect(main('api-server').readinessProbe).toEqual({ ...health, initialDelaySeconds: 15, timeoutSeconds: 5, failureThreshold: 5, periodSeconds: 10 });
    expect(main('api-server').startupProbe).toEqual({ ...health, initialDelaySeconds: 0, timeoutSeconds: 20, failureThreshold: 6, periodSeconds: 10 });
    expect(main('dag-processor').args).toEqual(['bash', '-c', 'exec airflow dag-processor']);
    expect(main('dag-processor').livenessProbe.exec.command).toEqual(jobsCheck('--local --job-type DagProcessorJob'));
    expect(main('triggerer').args).toEqual(['bash', '-c', 'exec airflow triggerer']);
    expect(main('triggerer').livenessProbe.exec.command).toEqual(jobsCheck('--job-type TriggererJob --local'));
    expect(main('worker').args).toEqual(['bash', '-c', 'exec airflow celery worker']);
    expect(main('worker').livenessProbe.exec.command[2]).toBe('CONNECTION_CHECK_MAX_COUNT=0 exec /entrypoint python -m celery --app airflow.providers.celery.executors.celery_executor.app inspect ping -d celery@$(hostname)');
    expect(env(main('worker'), 'DUMB_INIT_SETSID').value).toBe('0');
    const webserver = newEnv();
    airflow(webserver, { version: '2.10.5' });
    const web = podSpec(findObject(webserver, 'Deployment', 'airflow-webserver')).containers[0];
    expect(web.args).toEqual(['bash', '-c', 'exec airflow webserver']);
    expect(web.readinessProbe.httpGet).toEqual({ path: '/health', port: 8080, scheme: 'HTTP' });
  });

  it('configures Airflow with AIRFLOW__SECTION__KEY variables and takes every secret from a Secret', () => {
    const e = newEnv('prod', 'airflow');
    airflow(e, { config: { core: { parallelism: '64' } } });
    const c = podSpec(findObject(e, 'Deployment', 'airflow-scheduler')).containers[0];
    const ref = (key: string) => ({ secretKeyRef: { name: 'airflow-secrets', key } });
    expect(env(c, 'AIRFLOW__CORE__EXECUTOR').value).toBe('KubernetesExecutor');
    expect(env(c, 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN').valueFrom).toEqual(ref('connection'));
    expect(env(c, 'AIRFLOW__CORE__FERNET_KEY').valueFrom).toEqual(ref('fernet'));
    expect(env(c, 'AIRFLOW__API__SECRET_KEY').valueFrom).toEqual(ref('api'));
    expect(env(c, 'AIRFLOW__API_AUTH__JWT_SECRET').valueFrom).toEqual(ref('api'));
    expect(env(c, 'AIRFLOW__CORE__EXECUTION_API_SERVER_URL').value).toBe('http://airflow-api-server:8080/execution/');
    expect(env(c, 'AIRFLOW__CORE__DAGS_FOLDER').value).toBe('/opt/airflow/dags/repo/dags');
    expect(env(c, 'AIRFLOW__KUBERNETES_EXECUTOR__NAMESPACE').value).toBe('airflow');
    expect(env(c, 'AIRFLOW__KUBERNETES_EXECUTOR__WORKER_CONTAINER_REPOSITORY').value).toBe('apache/airflow');
    expect(env(c, 'AIRFLOW__KUBERNETES_EXECUTOR__WORKER_CONTAINER_TAG').value).toBe('3.1.3');
    expect(env(c, 'AIRFLOW__CORE__PARALLELISM').value).toBe('64');
    for (const v of c.env) expect(v.value ?? '', v.name).not.toMatch(/postgres(ql)?:\/\//);
    // Airflow 2 uses the webserver secret key instead
    const two = newEnv();
    airflow(two, { version: '2.10.5' });
    const c2 = podSpec(findObject(two, 'Deployment', 'airflow-scheduler')).containers[0];
    expect(env(c2, 'AIRFLOW__WEBSERVER__SECRET_KEY').valueFrom).toEqual(ref('api'));
    expect(env(c2, 'AIRFLOW__API__SECRET_KEY')).toBeUndefined();
    expect(env(c2, 'AIRFLOW__CORE__EXECUTION_API_SERVER_URL')).toBeUndefined();
  });

  it('runs Redis with a password from a Secret and points Celery at it without putting the password in Git', () => {
    const e = newEnv('prod', 'airflow');
    airflow(e, { executor: 'CeleryExecutor' });
    const worker = podSpec(findObject(e, 'Deployment', 'airflow-worker')).containers[0];
    const names = worker.env.map((v: any) => v.name);
    expect(names.indexOf('REDIS_PASSWORD')).toBeLessThan(names.indexOf('AIRFLOW__CELERY__BROKER_URL'));
    expect(env(worker, 'AIRFLOW__CELERY__BROKER_URL').value).toBe('redis://:$(REDIS_PASSWORD)@airflow-redis:6379/0');
    const redis = findObject(e, 'Deployment', 'airflow-redis');
    const rc = podSpec(redis).containers[0];
    expect(rc.image).toBe('redis:7.2-bookworm');
    expect(rc.args).toEqual(['--requirepass', '$(REDIS_PASSWORD)']);
    expect(env(rc, 'REDIS_PASSWORD').valueFrom).toEqual({ secretKeyRef: { name: 'airflow-secrets', key: 'redis' } });
    expect(podSpec(redis).securityContext).toMatchObject({ runAsUser: 999, runAsNonRoot: true });
    expect(redis.spec.strategy).toEqual({ type: 'Recreate' });
    // only Airflow pods may reach Redis
    expect(findObject(e, 'NetworkPolicy', 'airflow-redis').spec.ingress).toEqual([{
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'airflow' } } }], ports: [{ port: 6379, protocol: 'TCP' }],
    }]);
  });

  it('gives the KubernetesExecutor a pod-launcher Role bound to the scheduler, a token only there, and a hardened pod template', () => {
    const e = newEnv('prod', 'airflow');
    airflow(e);
    expect(findObject(e, 'Role', 'airflow-pod-launcher').rules).toContainEqual({ apiGroups: [''], resources: ['pods'], verbs: ['create', 'list', 'get', 'patch', 'watch', 'delete'] });
    expect(findObject(e, 'RoleBinding', 'airflow-pod-launcher').subjects).toEqual([{ apiGroup: '', kind: 'ServiceAccount', name: 'airflow-scheduler', namespace: 'airflow' }]);
    for (const d of findObjects(e, 'Deployment')) {
      expect(podSpec(d).automountServiceAccountToken, d.metadata.name).toBe(d.metadata.name === 'airflow-scheduler');
    }
    for (const sa of findObjects(e, 'ServiceAccount')) expect(sa.automountServiceAccountToken).toBe(false);
    const template = findObject(e, 'ConfigMap', 'airflow-config').data['pod_template_file.yaml'];
    const { parse } = require('yaml') as typeof import('yaml');
    const pod = parse(template);
    validateAll([pod]);
    expect(pod.spec.containers[0].name).toBe('base');
    expect(pod.spec.serviceAccountName).toBe('airflow-worker');
    expect(pod.spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
    // Airflow 3 task pods talk to the execution API only: no database URL, no keys
    expect(pod.spec.containers[0].env.map((v: any) => v.name)).not.toContain('AIRFLOW__DATABASE__SQL_ALCHEMY_CONN');
    expect(JSON.stringify(pod)).not.toContain('secretKeyRef');
    expect(pod.spec.initContainers.map((c: any) => c.name)).toEqual(['git-sync-init']);
  });

  it('opens only the traffic Airflow needs', () => {
    const e = newEnv('prod', 'airflow');
    airflow(e, {
      apiServerIngress: [{ peer: NetworkPeer.namespace('ingress-nginx'), ports: [NetworkPort.tcp(8080)] }],
      databaseEgress: [{ peer: NetworkPeer.cidr('10.30.0.0/24'), ports: [NetworkPort.tcp(5432)] }],
    });
    const api = findObject(e, 'NetworkPolicy', 'airflow-api-server').spec;
    expect(api.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'airflow' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: {} }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    const scheduler = findObject(e, 'NetworkPolicy', 'airflow-scheduler').spec;
    expect(scheduler.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.30.0.0/24' } }], ports: [{ port: 5432, protocol: 'TCP' }] });
    expect(scheduler.egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] });
    const tasks = findObject(e, 'NetworkPolicy', 'airflow-task-pods').spec;
    expect(tasks.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/instance': 'airflow', 'app.kubernetes.io/component': 'worker' } });
    expect(tasks.egress).not.toContainEqual(expect.objectContaining({ to: [{ ipBlock: { cidr: '10.30.0.0/24' } }] }));
    expect(tasks.egress).toContainEqual({
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'airflow', 'app.kubernetes.io/component': 'api-server' } } }], ports: [{ port: 8080, protocol: 'TCP' }],
    });
  });

  it('keeps the read-only root filesystem working: config files mounted, logs and /tmp on emptyDirs', () => {
    const e = newEnv();
    airflow(e);
    const c = podSpec(findObject(e, 'Deployment', 'airflow-api-server')).containers[0];
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'config', mountPath: '/opt/airflow/airflow.cfg', subPath: 'airflow.cfg', readOnly: true },
      { name: 'config', mountPath: '/opt/airflow/webserver_config.py', subPath: 'webserver_config.py', readOnly: true },
      { name: 'opt-airflow-logs', mountPath: '/opt/airflow/logs', readOnly: false },
      { name: 'tmp', mountPath: '/tmp', readOnly: false },
    ]));
    expect(podSpec(findObject(e, 'Deployment', 'airflow-api-server')).securityContext).toMatchObject({ runAsUser: 50000, runAsGroup: 0, fsGroup: 0 });
  });

  it('synthesizes byte-identical output for identical input', () => {
    const render = () => {
      const e = newEnv('prod', 'airflow');
      airflow(e, { executor: 'CeleryExecutor' });
      return synthesize(e).map((o) => toYaml(o)).join('---\n');
    };
    expect(render()).toBe(render());
  });

  it('names the construct and field of bad props', () => {
    expect(errorOf(() => airflow(newEnv(), { executor: 'SequentialExecutor' as never })))
      .toBe("dev/Airflow, field 'executor': must be 'KubernetesExecutor', 'CeleryExecutor' or 'LocalExecutor'");
    expect(errorOf(() => airflow(newEnv(), { executor: 'CeleryExecutor', redisPassword: undefined })))
      .toBe("dev/Airflow, field 'redisPassword': is required with CeleryExecutor (the Redis broker is password protected)");
    expect(errorOf(() => airflow(newEnv(), { version: '2.6.3' })))
      .toBe("dev/Airflow, field 'version': must be an Airflow version 2.7.0 or later (e.g. 3.1.3)");
    expect(errorOf(() => airflow(newEnv(), { metadataDatabase: 'postgresql://airflow:pw@db/airflow' as never })))
      .toBe("dev/Airflow, field 'metadataDatabase': must be a SecretValue (secret.envValue(key)): the database URL never goes to Git");
    expect(errorOf(() => airflow(newEnv(), { metadataDatabase: undefined })))
      .toBe("dev/Airflow, field 'metadataDatabase': is required (a SecretValue from secret.envValue(key))");
    expect(errorOf(() => airflow(newEnv(), { config: { smtp: { smtp_password: 'x' } } })))
      .toBe("dev/Airflow, field 'config.smtp.smtp_password': looks like a secret: pass a SecretValue (secret.envValue(key)), rendered as a secretKeyRef, never a plain value");
    expect(errorOf(() => airflow(newEnv(), { resources: { scheduler: { memory: { limit: 'lots' } } } })))
      .toBe("dev/Airflow, field 'resources.scheduler.memory.limit': use Mi or Gi, e.g. '512Mi' or '2Gi'");
  });
});

describe('Airflow config credentials', () => {
  it('takes a SecretValue in config and renders AIRFLOW__SECTION__KEY as a secretKeyRef', () => {
    const e = newEnv();
    const smtp = externalSecret(e, 'Smtp', ['password']);
    airflow(e, { config: { smtp: { smtp_password: smtp.envValue('password'), smtp_host: 'mail' } } });
    const c = podSpec(findObject(e, 'Deployment', 'airflow-scheduler')).containers[0];
    expect(env(c, 'AIRFLOW__SMTP__SMTP_PASSWORD')).toEqual({ name: 'AIRFLOW__SMTP__SMTP_PASSWORD', valueFrom: { secretKeyRef: { name: 'smtp', key: 'password' } } });
    expect(env(c, 'AIRFLOW__SMTP__SMTP_HOST')).toEqual({ name: 'AIRFLOW__SMTP__SMTP_HOST', value: 'mail' });
  });
});
