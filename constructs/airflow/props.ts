import { z } from 'zod';
import { instanceOf, propsSchema } from '../../lib/validation';
import { EnvValue, envSchema } from '../k8s/container';
import { NetworkRule, networkRulesSchema } from '../k8s/network-policy';
import { ResourceRequirements, resourceRequirementsSchema } from '../k8s/resources';
import { SecretValue, secretValueSchema } from '../secrets/reference';
import { Dags } from './dags';
import { AirflowDbtTaskOptions, dbtTaskSchema } from './dbt-task';

/** The executors this construct deploys. */
export type AirflowExecutor = 'KubernetesExecutor' | 'CeleryExecutor' | 'LocalExecutor';

/** The Airflow components (Deployments) this construct can emit. */
export type AirflowComponent = 'scheduler' | 'api-server' | 'webserver' | 'dag-processor' | 'triggerer' | 'worker' | 'redis';

/** Resources per component. */
export interface AirflowResources {
  /** @default { cpu: { request: '500m', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' } } */
  readonly scheduler?: ResourceRequirements;
  /** The api-server (Airflow 3) or webserver (Airflow 2). @default { cpu: { request: '500m', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' } } */
  readonly apiServer?: ResourceRequirements;
  /** @default { cpu: { request: '250m', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' } } */
  readonly dagProcessor?: ResourceRequirements;
  /** @default { cpu: { request: '250m', limit: '500m' }, memory: { request: '512Mi', limit: '512Mi' } } */
  readonly triggerer?: ResourceRequirements;
  /** Celery workers, or the task pods of the KubernetesExecutor. @default { cpu: { request: '500m', limit: '2' }, memory: { request: '2Gi', limit: '2Gi' } } */
  readonly workers?: ResourceRequirements;
  /** @default { cpu: { request: '100m', limit: '500m' }, memory: { request: '256Mi', limit: '256Mi' } } */
  readonly redis?: ResourceRequirements;
  /** The `airflow db migrate` Job. @default { cpu: { request: '250m', limit: '1' }, memory: { request: '512Mi', limit: '1Gi' } } */
  readonly migrations?: ResourceRequirements;
}

/** Replicas per component. */
export interface AirflowReplicas {
  /** @default - 2 in production environments, else 1 */
  readonly apiServer?: number;
  /** @default - 2 in production environments, else 1 */
  readonly scheduler?: number;
  /** @default 1 */
  readonly dagProcessor?: number;
  /** @default 1 */
  readonly triggerer?: number;
  /** Celery workers. @default - 2 in production environments, else 1 */
  readonly workers?: number;
}

/** Props of {@link Airflow}. */
export interface AirflowProps {
  /** Airflow version (2.7 or later; 3.x deploys the api-server and dag-processor). @default '3.1.3' */
  readonly version?: string;
  /** Image with Airflow (and the team's providers). @default 'apache/airflow:<version>' */
  readonly image?: string;
  /** How tasks run. */
  readonly executor: AirflowExecutor;
  /** SQLAlchemy URL of the metadata database (`[database] sql_alchemy_conn`), from a Secret. */
  readonly metadataDatabase: SecretValue;
  /** `[core] fernet_key`, from a Secret. */
  readonly fernetKey: SecretValue;
  /** `[api] secret_key` (Airflow 3) or `[webserver] secret_key` (Airflow 2), from a Secret. */
  readonly apiSecretKey: SecretValue;
  /** `[api_auth] jwt_secret` (Airflow 3), shared by every component. @default - the apiSecretKey value */
  readonly jwtSecret?: SecretValue;
  /** Password of the Redis broker (CeleryExecutor only; URL-safe characters). */
  readonly redisPassword?: SecretValue;
  /** Where the DAGs come from. */
  readonly dags: Dags;
  /** Run a standalone dag-processor with Airflow 2 (always with Airflow 3). @default false */
  readonly standaloneDagProcessor?: boolean;
  /** Resources per component. @default - see {@link AirflowResources} */
  readonly resources?: AirflowResources;
  /** Replicas per component. @default - see {@link AirflowReplicas} */
  readonly replicas?: AirflowReplicas;
  /**
   * Extra Airflow configuration as `{ section: { key: value } }`, emitted as `AIRFLOW__SECTION__KEY` variables.
   * Secret settings (passwords, tokens, connection URLs) are SecretValues (`secret.envValue(key)`), rendered as
   * `secretKeyRef`; a plain value for a key that looks secret is refused. @default - none
   */
  readonly config?: Readonly<Record<string, Readonly<Record<string, string | SecretValue>>>>;
  /**
   * Extra environment variables of every Airflow container: plain values, or SecretValues (rendered as
   * `secretKeyRef`) for anything secret. @default - none
   */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** Where the metadata database is. @default - TCP 5432 to any IPv4 address */
  readonly databaseEgress?: readonly NetworkRule[];
  /** What tasks may connect to (Celery workers, task pods, or the scheduler with LocalExecutor). @default - nothing besides Airflow itself */
  readonly taskEgress?: readonly NetworkRule[];
  /** Who may reach the api-server/webserver besides Airflow itself (e.g. the ingress controller). @default - no one */
  readonly apiServerIngress?: readonly NetworkRule[];
  /** Where the Kubernetes API is (KubernetesExecutor: the scheduler launches pods). @default - TCP 443 and 6443 to any IPv4 address */
  readonly kubernetesApiEgress?: readonly NetworkRule[];
  /** webserver_config.py content (Flask-AppBuilder: authentication, SSO). @default - database authentication */
  readonly webserverConfig?: string;
  /** Object name prefix (`<name>-scheduler`, ...). @default - derived from the construct id */
  readonly name?: string;
  /**
   * DAG tasks that run dbt Jobs with the KubernetesPodOperator: for each, the Job's pod (same image, command,
   * profile, Secret references, labels, hence the Job's NetworkPolicy) becomes a `pod_template_file` under
   * `/opt/airflow/pod_templates/dbt/<dagId>.<taskId>.yaml` in the pods that run tasks (the scheduler with
   * LocalExecutor, Celery workers, KubernetesExecutor task pods), which get the RBAC, token and Kubernetes API
   * egress to start pods; the lineage shows each DAG running the dbt project. In the DAG:
   *
   * ```python
   * KubernetesPodOperator(task_id="dbt_build", name="dbt-build",
   *     pod_template_file="/opt/airflow/pod_templates/dbt/orders_daily.dbt_build.yaml")
   * ```
   * @default - none
   */
  readonly dbtTasks?: readonly AirflowDbtTaskOptions[];
}

const secretValue = (what: string) => secretValueSchema(`must be a SecretValue (secret.envValue(key)): the ${what} never goes to Git`);
const replicas = z.number().int().min(0).optional();
const CONFIG_NAME = /^[a-z][a-z0-9_]*$/;

/** zod schema of {@link AirflowProps}. */
export const airflowPropsSchema = propsSchema<AirflowProps>()({
  version: z.string().regex(/^(2\.(7|8|9|10|11)|3\.[0-9]+)\.[0-9]+([a-z0-9.+-]*)?$/, 'must be an Airflow version 2.7.0 or later (e.g. 3.1.3)').optional(),
  image: z.string().regex(/^\S+$/, 'must not contain spaces').optional(),
  executor: z.enum(['KubernetesExecutor', 'CeleryExecutor', 'LocalExecutor'], { message: "must be 'KubernetesExecutor', 'CeleryExecutor' or 'LocalExecutor'" }),
  metadataDatabase: secretValue('database URL'),
  fernetKey: secretValue('fernet key'),
  apiSecretKey: secretValue('API secret key'),
  jwtSecret: secretValue('JWT secret').optional(),
  redisPassword: secretValue('Redis password').optional(),
  dags: instanceOf(Dags, 'Dags (Dags.fromGit or Dags.fromDirectory)'),
  standaloneDagProcessor: z.boolean().optional(),
  resources: propsSchema<AirflowResources>()({
    scheduler: resourceRequirementsSchema.optional(), apiServer: resourceRequirementsSchema.optional(),
    dagProcessor: resourceRequirementsSchema.optional(), triggerer: resourceRequirementsSchema.optional(),
    workers: resourceRequirementsSchema.optional(), redis: resourceRequirementsSchema.optional(), migrations: resourceRequirementsSchema.optional(),
  }).optional(),
  replicas: propsSchema<AirflowReplicas>()({ apiServer: replicas, scheduler: replicas, dagProcessor: replicas, triggerer: replicas, workers: replicas }).optional(),
  config: z.record(z.string().regex(CONFIG_NAME, 'is not an Airflow config section (lower-case, e.g. core)'),
    z.record(z.string().regex(CONFIG_NAME, 'is not an Airflow config key (lower-case, e.g. parallelism)'),
      z.union([z.string(), secretValueSchema()], { error: 'must be a string or a SecretValue (secret.envValue(key))' }))).optional(),
  env: envSchema.optional(),
  databaseEgress: networkRulesSchema.optional(),
  taskEgress: networkRulesSchema.optional(),
  apiServerIngress: networkRulesSchema.optional(),
  kubernetesApiEgress: networkRulesSchema.optional(),
  webserverConfig: z.string().min(1).optional(),
  name: z.string().optional(),
  dbtTasks: z.array(dbtTaskSchema).optional(),
}).superRefine((p, ctx) => {
  if (p.executor === 'CeleryExecutor' && !p.redisPassword) {
    ctx.addIssue({ code: 'custom', path: ['redisPassword'], message: 'is required with CeleryExecutor (the Redis broker is password protected)' });
  }
  if (p.executor !== 'CeleryExecutor' && p.redisPassword) {
    ctx.addIssue({ code: 'custom', path: ['redisPassword'], message: `only applies with CeleryExecutor (executor is ${p.executor})` });
  }
  const tasks = (p.dbtTasks ?? []).map((t) => `${t.dagId}.${t.taskId}`);
  tasks.forEach((t, i) => {
    if (tasks.indexOf(t) !== i) ctx.addIssue({ code: 'custom', path: ['dbtTasks', i], message: `task '${t}' is declared twice` });
  });
  if (p.version?.startsWith('2.') && p.jwtSecret) {
    ctx.addIssue({ code: 'custom', path: ['jwtSecret'], message: 'only applies to Airflow 3' });
  }
  for (const section of Object.keys(p.config ?? {})) {
    for (const [key, value] of Object.entries(p.config![section])) {
      if (/(secret|password|fernet|sql_alchemy_conn|broker_url|result_backend|token)/.test(key) && !SecretValue.isSecretValue(value)) {
        ctx.addIssue({ code: 'custom', path: ['config', section, key], message: 'looks like a secret: pass a SecretValue (secret.envValue(key)), rendered as a secretKeyRef, never a plain value' });
      }
    }
  }
});
