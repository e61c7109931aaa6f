/**
 * What the official Apache Airflow Helm chart does, in one place: component commands, probes, ports, env var
 * names, RBAC rules. Followed: apache/airflow `chart/` at commit 024658b80a49f9be541a631ee43237be85b7d748
 * (values.yaml: defaultAirflowTag/airflowVersion "3.1.3", images.gitSync.tag v4.4.2; templates
 * scheduler/scheduler-deployment.yaml, api-server/api-server-deployment.yaml), with the probe commands of
 * chart/templates/_helpers.yaml (`scheduler_liveness_check_command`, `scheduler_startup_check_command`,
 * `triggerer_liveness_check_command`, `dag_processor_liveness_check_command`, `wait-for-migrations-command`),
 * workers/worker-deployment.yaml (Celery liveness), redis/redis-statefulset.yaml and
 * rbac/pod-launcher-role.yaml. Deviations are marked "not in the chart".
 */
import { ProbeSpec } from '../k8s/container';
import { PolicyRule } from '../k8s/rbac';

/** The chart's default Airflow version at the followed commit. */
export const DEFAULT_AIRFLOW_VERSION = '3.1.3';
/** The chart's `airflowHome`. */
export const AIRFLOW_HOME = '/opt/airflow';
/** The chart's `uid` / `gid` for Airflow containers. */
export const AIRFLOW_UID = 50000;
export const AIRFLOW_GID = 0;

/** The chart's `ports`. */
export const PORTS = { apiServer: 8080, airflowUI: 8080, workerLogs: 8793, triggererLogs: 8794, redisDB: 6379 } as const;

/** The chart's `images.redis` (limited to 7.2 because of Redis' licence change) and `redis.uid` as non-root. */
export const REDIS_IMAGE = 'redis:7.2-bookworm';
/** The redis image's own `redis` user (the chart defaults to uid 0; we run as the image's non-root user). */
export const REDIS_UID = 999;

/** `images.migrationsWaitTimeout`. */
export const MIGRATIONS_WAIT_TIMEOUT = 60;

/** `<component>.args` of the chart. */
export function componentArgs(component: 'scheduler' | 'api-server' | 'webserver' | 'dag-processor' | 'triggerer' | 'worker'): string[] {
  const command = component === 'worker' ? 'celery worker' : component;
  return ['bash', '-c', `exec airflow ${command}`];
}

/** `migrateDatabaseJob.args` (Airflow >= 2.7: `db migrate`). */
export const MIGRATE_DATABASE_ARGS = ['bash', '-c', 'exec airflow db migrate'];

/** `wait-for-migrations-command` (Airflow >= 2.0). */
export const WAIT_FOR_MIGRATIONS_ARGS = ['airflow', 'db', 'check-migrations', `--migration-wait-timeout=${MIGRATIONS_WAIT_TIMEOUT}`];

/** `airflow jobs check` through the image entrypoint, as the chart's liveness helpers run it (Airflow >= 2.5.2). */
function jobsCheck(args: string): string[] {
  return ['sh', '-c', `CONNECTION_CHECK_MAX_COUNT=0 AIRFLOW__LOGGING__LOGGING_LEVEL=ERROR exec /entrypoint \\\nairflow jobs check ${args}\n`];
}

/** scheduler.livenessProbe (10/20/5/60) with `scheduler_liveness_check_command`. */
export const SCHEDULER_LIVENESS: ProbeSpec = {
  exec: { command: jobsCheck('--job-type SchedulerJob --local') },
  initialDelaySeconds: 10, timeoutSeconds: 20, failureThreshold: 5, periodSeconds: 60,
};
/** scheduler.startupProbe (0/20/6/10) with `scheduler_startup_check_command`. */
export const SCHEDULER_STARTUP: ProbeSpec = {
  exec: { command: jobsCheck('--job-type SchedulerJob --local') },
  initialDelaySeconds: 0, timeoutSeconds: 20, failureThreshold: 6, periodSeconds: 10,
};
/** triggerer.livenessProbe with `triggerer_liveness_check_command`. */
export const TRIGGERER_LIVENESS: ProbeSpec = {
  exec: { command: jobsCheck('--job-type TriggererJob --local') },
  initialDelaySeconds: 10, timeoutSeconds: 20, failureThreshold: 5, periodSeconds: 60,
};
/** dagProcessor.livenessProbe with `dag_processor_liveness_check_command`. */
export const DAG_PROCESSOR_LIVENESS: ProbeSpec = {
  exec: { command: jobsCheck('--local --job-type DagProcessorJob') },
  initialDelaySeconds: 10, timeoutSeconds: 20, failureThreshold: 5, periodSeconds: 60,
};
/** workers.livenessProbe: a Celery ping of this worker. */
export const WORKER_LIVENESS: ProbeSpec = {
  exec: { command: ['sh', '-c', 'CONNECTION_CHECK_MAX_COUNT=0 exec /entrypoint python -m celery --app airflow.providers.celery.executors.celery_executor.app inspect ping -d celery@$(hostname)'] },
  initialDelaySeconds: 10, timeoutSeconds: 20, failureThreshold: 5, periodSeconds: 60,
};

/** apiServer (Airflow 3) / webserver (Airflow 2) HTTP probes: liveness, readiness, startup. */
export function webProbes(airflow3: boolean): { liveness: ProbeSpec; readiness: ProbeSpec; startup: ProbeSpec } {
  const httpGet = { path: airflow3 ? '/api/v2/monitor/health' : '/health', port: airflow3 ? PORTS.apiServer : PORTS.airflowUI, scheme: 'HTTP' as const };
  return {
    liveness: { httpGet, initialDelaySeconds: 15, timeoutSeconds: 5, failureThreshold: 5, periodSeconds: 10 },
    readiness: { httpGet, initialDelaySeconds: 15, timeoutSeconds: 5, failureThreshold: 5, periodSeconds: 10 },
    startup: { httpGet, initialDelaySeconds: 0, timeoutSeconds: 20, failureThreshold: 6, periodSeconds: 10 },
  };
}

/** rbac/pod-launcher-role.yaml: what the KubernetesExecutor needs to run task pods. */
export const POD_LAUNCHER_RULES: readonly PolicyRule[] = [
  { apiGroup: '', resources: ['pods'], verbs: ['create', 'list', 'get', 'patch', 'watch', 'delete'] },
  { apiGroup: '', resources: ['pods/log'], verbs: ['get'] },
  { apiGroup: '', resources: ['pods/exec'], verbs: ['create', 'get'] },
  { apiGroup: '', resources: ['events'], verbs: ['list'] },
];

/** Celery app module of the Celery provider (`celery_executor_namespace`, Airflow >= 2.7). */
export const CELERY_APP = 'airflow.providers.celery.executors.celery_executor.app';

/** Minimal webserver_config.py (FAB, database auth) so nothing is generated into the read-only AIRFLOW_HOME. */
export const WEBSERVER_CONFIG_PY = [
  '# Generated by cdk8s-dataops: Flask-AppBuilder settings of the Airflow UI (database authentication).',
  '# Replace through Airflow props `webserverConfig` for SSO. Mounted read-only; Airflow would otherwise write one.',
  'from flask_appbuilder.const import AUTH_DB',
  '',
  'AUTH_TYPE = AUTH_DB',
  'WTF_CSRF_ENABLED = True',
  '',
].join('\n');

/** airflow.cfg: empty on purpose, configuration comes from AIRFLOW__SECTION__KEY variables. */
export const AIRFLOW_CFG = [
  '# Generated by cdk8s-dataops. Airflow is configured with AIRFLOW__<SECTION>__<KEY> environment variables;',
  '# this file only exists so that Airflow does not try to write a default one into the read-only AIRFLOW_HOME.',
  '',
].join('\n');
