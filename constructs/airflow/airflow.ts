import { Construct } from 'constructs';
import { DataFlowGraph, IGraphContributor } from '../../lib/graph/graph';
import { objectName, toKubernetesName } from '../../lib/names';
import { Environment } from '../../lib/platform';
import { toYaml } from '../../lib/synthesizer/yaml';
import { validateProps } from '../../lib/validation';
import { ConfigMap } from '../k8s/config-map';
import { ContainerSpec, EnvValue, MountSpec, ProbeSpec } from '../k8s/container';
import { Deployment } from '../k8s/deployment';
import { Job } from '../k8s/job';
import { NetworkPeer, NetworkPolicy, NetworkPort, NetworkRule } from '../k8s/network-policy';
import { PodDisruptionBudget } from '../k8s/pod-disruption-budget';
import { renderPodManifest } from '../k8s/pod-template';
import { Role } from '../k8s/rbac';
import { ResourceRequirements } from '../k8s/resources';
import { ServiceAccount } from '../k8s/service-account';
import { Volume } from '../k8s/volumes';
import { dbtProjectGraphNodeId } from '../dbt/project';
import { SecretValue } from '../secrets/reference';
import * as chart from './chart';
import { DagsBinding } from './dags';
import { AirflowDbtTask, AirflowDbtTaskOptions } from './dbt-task';

import { AirflowComponent, AirflowExecutor, AirflowProps, airflowPropsSchema, AirflowResources } from './props';

const DEFAULT_RESOURCES: Required<AirflowResources> = {
  scheduler: { cpu: { request: '500m', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' } },
  apiServer: { cpu: { request: '500m', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' } },
  dagProcessor: { cpu: { request: '250m', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' } },
  triggerer: { cpu: { request: '250m', limit: '500m' }, memory: { request: '512Mi', limit: '512Mi' } },
  workers: { cpu: { request: '500m', limit: '2' }, memory: { request: '2Gi', limit: '2Gi' } },
  redis: { cpu: { request: '100m', limit: '500m' }, memory: { request: '256Mi', limit: '256Mi' } },
  migrations: { cpu: { request: '250m', limit: '1' }, memory: { request: '512Mi', limit: '1Gi' } },
};

const CONFIG_DIR = `${chart.AIRFLOW_HOME}`;
const POD_TEMPLATE_DIR = `${chart.AIRFLOW_HOME}/pod_templates`;
/** Where the pods that run tasks see the dbt tasks' pod templates (a directory mount: updates arrive without a restart). */
const DBT_POD_TEMPLATE_DIR = `${POD_TEMPLATE_DIR}/dbt`;

/**
 * Apache Airflow as raw manifests (no Helm), following the official chart's component set, commands, probes and
 * configuration variables (see `chart.ts` for the version followed):
 *
 * - Airflow 3 (default): scheduler, api-server, dag-processor, triggerer; Airflow 2: webserver instead of the
 *   api-server, dag-processor only with `standaloneDagProcessor`.
 * - CeleryExecutor: Celery workers and a password-protected Redis; KubernetesExecutor: the pod-launcher
 *   Role/RoleBinding for the scheduler and a pod_template_file; LocalExecutor: tasks run in the scheduler.
 * - `airflow db migrate` as an Argo CD Sync hook Job (BeforeHookCreation); every component waits for the
 *   migrations in an init container.
 * - Configuration as `AIRFLOW__SECTION__KEY` variables; secrets only as Secret references.
 * - ServiceAccounts without tokens (except the scheduler with KubernetesExecutor), PodDisruptionBudgets for the
 *   scheduler and api-server, a default-deny NetworkPolicy per component with the traffic Airflow needs.
 *
 * ```ts
 * new Airflow(this, 'Airflow', {
 *   executor: 'KubernetesExecutor',
 *   metadataDatabase: db.envValue('connection'), fernetKey: keys.envValue('fernet'), apiSecretKey: keys.envValue('api'),
 *   dags: Dags.fromGit({ repo: 'https://github.com/acme/dags.git', ref: 'main', subPath: 'dags' }),
 * });
 * ```
 */
export class Airflow extends Construct implements IGraphContributor {
  /** Object name prefix. */
  public readonly name: string;
  /** Airflow version. */
  public readonly version: string;
  /** The executor. */
  public readonly executor: AirflowExecutor;
  /** The Deployments by component. */
  public readonly components: Readonly<Partial<Record<AirflowComponent, Deployment>>>;
  /** The `airflow db migrate` Job. */
  public readonly migrations: Job;
  /** DNS name (in the namespace) and port of the api-server (Airflow 3) or webserver (Airflow 2) Service. */
  public readonly apiServerEndpoint: { readonly host: string; readonly port: number };

  private readonly airflow3: boolean;
  private readonly image: string;
  private readonly dagsBinding: DagsBinding;
  private readonly configMap: ConfigMap;
  private readonly p: AirflowProps;
  private readonly tasks: readonly AirflowDbtTask[];
  private readonly serviceAccounts = new Map<string, ServiceAccount>();
  /** The ConfigMap of the dbt tasks' pod templates (undefined without dbt tasks). */
  private readonly dbtTasksConfigMap?: ConfigMap;

  constructor(scope: Construct, id: string, props: AirflowProps) {
    super(scope, id);
    const p = validateProps(this, airflowPropsSchema, props) as AirflowProps;
    this.p = p;
    this.name = objectName(this, p.name);
    this.version = p.version ?? chart.DEFAULT_AIRFLOW_VERSION;
    this.airflow3 = this.version.startsWith('3.');
    this.executor = p.executor;
    this.image = p.image ?? `apache/airflow:${this.version}`;
    const web = this.webComponent;
    this.apiServerEndpoint = { host: `${this.name}-${web}`, port: this.airflow3 ? chart.PORTS.apiServer : chart.PORTS.airflowUI };
    this.dagsBinding = p.dags.bind(this, this.name);
    this.tasks = (p.dbtTasks ?? []).map((t) => ({
      airflow: this.name, dagId: t.dagId, taskId: t.taskId, dbtProject: t.job.project.name, dbtJob: t.job.workload.name,
      command: [...t.job.commandLine], podTemplateFile: `${DBT_POD_TEMPLATE_DIR}/${t.dagId}.${t.taskId}.yaml`,
    }));
    this.dbtTasksConfigMap = this.dbtTaskPodTemplates(p.dbtTasks ?? []);
    this.configMap = this.config();
    this.migrations = this.migrationsJob();

    const components: Partial<Record<AirflowComponent, Deployment>> = {};
    components.scheduler = this.scheduler();
    components[web] = this.apiServer();
    if (this.airflow3 || p.standaloneDagProcessor) components['dag-processor'] = this.dagProcessor();
    components.triggerer = this.triggerer();
    if (p.executor === 'CeleryExecutor') {
      components.worker = this.celeryWorkers();
      components.redis = this.redis(p.resources?.redis ?? DEFAULT_RESOURCES.redis);
    }
    if (p.executor === 'KubernetesExecutor') this.kubernetesExecutor();
    if (this.tasks.length > 0) {
      new Role(this, 'DbtTasksRole', { name: `${this.name}-dbt-tasks`, rules: chart.POD_LAUNCHER_RULES, subjects: [this.taskRunnerServiceAccount()] });
    }
    this.components = components;
  }

  /** The dbt tasks of {@link AirflowProps.dbtTasks}, as wired (plain data). */
  public get dbtTasks(): readonly AirflowDbtTask[] {
    return [...this.tasks];
  }

  /** Each DAG that runs dbt tasks, as a process of the data-flow graph that runs the dbt project. */
  public addToGraph(graph: DataFlowGraph): void {
    if (this.tasks.length === 0) return;
    const group = graph.addGroup(DataFlowGraph.groupOf(this));
    const namespace = Environment.of(this).namespace;
    for (const t of this.tasks) {
      const id = `airflow-dag:${namespace}/${this.name}/${t.dagId}`;
      graph.addNode({ id, role: 'process', kind: 'airflow dag', name: t.dagId, group, details: { airflow: this.name } });
      graph.addEdge(id, dbtProjectGraphNodeId(t.dbtProject));
    }
  }

  // ---- components, one method each ----------------------------------------------------------------------------

  /** The api-server (Airflow 3) or webserver (Airflow 2). */
  private get webComponent(): 'api-server' | 'webserver' {
    return this.airflow3 ? 'api-server' : 'webserver';
  }

  /** Which pods run the tasks: the scheduler (LocalExecutor), Celery workers, or KubernetesExecutor task pods. */
  private get taskRunner(): 'scheduler' | 'worker' {
    return this.executor === 'LocalExecutor' ? 'scheduler' : 'worker';
  }

  /** The ServiceAccount of a component (one per component, created on first use). */
  private serviceAccount(component: string): ServiceAccount {
    let sa = this.serviceAccounts.get(component);
    if (!sa) {
      sa = new ServiceAccount(this, `${toPascal(component)}ServiceAccount`, { name: `${this.name}-${component}` });
      this.serviceAccounts.set(component, sa);
    }
    return sa;
  }

  private taskRunnerServiceAccount(): ServiceAccount {
    return this.serviceAccount(this.taskRunner);
  }

  /**
   * airflow.cfg and webserver_config.py, mounted read-only (Airflow would write defaults into AIRFLOW_HOME); the
   * KubernetesExecutor's pod_template_file lives in the same ConfigMap.
   */
  private config(): ConfigMap {
    const p = this.p;
    const configData: Record<string, string> = { 'airflow.cfg': chart.AIRFLOW_CFG, 'webserver_config.py': p.webserverConfig ?? chart.WEBSERVER_CONFIG_PY };
    if (p.executor === 'KubernetesExecutor') {
      const runsDbt = this.tasks.length > 0;
      configData['pod_template_file.yaml'] = toYaml(renderPodManifest(this, {
        namespace: Environment.of(this).namespace,
        name: 'placeholder-name',
        ...this.podBase('worker', { volumes: [], extraInitContainers: [], dags: true, waitForMigrations: false, dbtTasks: runsDbt }),
        containers: [this.airflowContainer('base', { resources: p.resources?.workers ?? DEFAULT_RESOURCES.workers, dags: true, taskPod: true, dbtTasks: runsDbt })],
        serviceAccount: this.serviceAccount('worker'),
        // The KubernetesPodOperator starts the dbt pods through the Kubernetes API.
        ...(runsDbt ? { automountServiceAccountToken: true } : {}),
      }));
    }
    return new ConfigMap(this, 'Config', { name: `${this.name}-config`, data: configData });
  }

  /** `airflow db migrate` as an Argo CD Sync hook Job; components wait for it in init containers. */
  private migrationsJob(): Job {
    return new Job(this, 'MigrateDatabase', {
      name: `${this.name}-migrate-database`,
      syncHook: 'Sync',
      ...this.podBase('migrate-database', { dags: false, waitForMigrations: false }),
      containers: [{ ...this.airflowContainer('run-airflow-migrations', { resources: this.p.resources?.migrations ?? DEFAULT_RESOURCES.migrations, dags: false }), args: chart.MIGRATE_DATABASE_ARGS }],
      serviceAccount: this.serviceAccount('migrate-database-job'),
      restartPolicy: 'OnFailure',
      backoffLimit: 6,
      activeDeadlineSeconds: 1800,
      ...this.network('migrate-database', { dags: false }),
    });
  }

  private scheduler(): Deployment {
    const p = this.p;
    const runsTasks = p.executor === 'LocalExecutor'; // with LocalExecutor the scheduler runs the tasks (and serves their logs)
    const runsDbt = runsTasks && this.tasks.length > 0;
    const scheduler = this.component('scheduler', {
      replicas: p.replicas?.scheduler ?? (Environment.of(this).production ? 2 : 1),
      // Airflow 3 schedules from serialized DAGs; tasks (LocalExecutor) and Airflow 2 need the files.
      dags: !this.airflow3 || runsTasks,
      resources: p.resources?.scheduler ?? DEFAULT_RESOURCES.scheduler,
      args: chart.componentArgs('scheduler'),
      liveness: chart.SCHEDULER_LIVENESS, startup: chart.SCHEDULER_STARTUP,
      ports: runsTasks ? [{ name: 'worker-logs', port: chart.PORTS.workerLogs }] : [],
      serviceAccount: this.serviceAccount('scheduler'),
      automountToken: p.executor === 'KubernetesExecutor' || runsDbt,
      terminationGracePeriodSeconds: 10,
      extraEgress: [
        ...(runsTasks ? p.taskEgress ?? [] : []),
        ...(p.executor === 'KubernetesExecutor' || runsDbt ? this.kubernetesApiEgress() : []),
      ],
      logsPort: runsTasks ? chart.PORTS.workerLogs : undefined,
      dbtTasks: runsDbt,
    });
    new PodDisruptionBudget(this, 'SchedulerPdb', { name: `${this.name}-scheduler`, selectorLabels: scheduler.selectorLabels, maxUnavailable: 1 });
    return scheduler;
  }

  private apiServer(): Deployment {
    const web = this.webComponent;
    const webProbes = chart.webProbes(this.airflow3);
    const webPort = this.apiServerEndpoint.port;
    const deployment = this.component(web, {
      replicas: this.p.replicas?.apiServer ?? (Environment.of(this).production ? 2 : 1),
      dags: false,
      resources: this.p.resources?.apiServer ?? DEFAULT_RESOURCES.apiServer,
      args: chart.componentArgs(web),
      liveness: webProbes.liveness, readiness: webProbes.readiness, startup: webProbes.startup,
      ports: [{ name: web, port: webPort }],
      serviceAccount: this.serviceAccount(web),
      strategy: { maxSurge: 1, maxUnavailable: 0 },
      extraIngress: [{ peer: this.allPods(), ports: [NetworkPort.tcp(webPort)] }, ...(this.p.apiServerIngress ?? [])],
      // The UI shows task logs served by the workers (scheduler with LocalExecutor) and the triggerer.
      extraEgress: [{ peer: this.allPods(), ports: [NetworkPort.tcp(chart.PORTS.workerLogs), NetworkPort.tcp(chart.PORTS.triggererLogs)] }],
    });
    deployment.expose([{ name: web, port: webPort }]);
    new PodDisruptionBudget(this, `${toPascal(web)}Pdb`, { name: `${this.name}-${web}`, selectorLabels: deployment.selectorLabels, maxUnavailable: 1 });
    return deployment;
  }

  private dagProcessor(): Deployment {
    return this.component('dag-processor', {
      replicas: this.p.replicas?.dagProcessor ?? 1,
      dags: true,
      resources: this.p.resources?.dagProcessor ?? DEFAULT_RESOURCES.dagProcessor,
      args: chart.componentArgs('dag-processor'),
      liveness: chart.DAG_PROCESSOR_LIVENESS,
      serviceAccount: this.serviceAccount('dag-processor'),
      terminationGracePeriodSeconds: 60,
    });
  }

  private triggerer(): Deployment {
    return this.component('triggerer', {
      replicas: this.p.replicas?.triggerer ?? 1,
      dags: true,
      resources: this.p.resources?.triggerer ?? DEFAULT_RESOURCES.triggerer,
      args: chart.componentArgs('triggerer'),
      liveness: chart.TRIGGERER_LIVENESS,
      ports: [{ name: 'triggerer-logs', port: chart.PORTS.triggererLogs }],
      serviceAccount: this.serviceAccount('triggerer'),
      terminationGracePeriodSeconds: 60,
      logsPort: chart.PORTS.triggererLogs,
    });
  }

  private celeryWorkers(): Deployment {
    const runsDbt = this.tasks.length > 0;
    return this.component('worker', {
      replicas: this.p.replicas?.workers ?? (Environment.of(this).production ? 2 : 1),
      dags: true,
      resources: this.p.resources?.workers ?? DEFAULT_RESOURCES.workers,
      args: chart.componentArgs('worker'),
      liveness: chart.WORKER_LIVENESS,
      ports: [{ name: 'worker-logs', port: chart.PORTS.workerLogs }],
      serviceAccount: this.serviceAccount('worker'),
      automountToken: runsDbt,
      terminationGracePeriodSeconds: 600,
      // Only signal the main process, so that Celery's warm shutdown works (as the chart does).
      extraEnv: { DUMB_INIT_SETSID: '0' },
      extraEgress: [...this.p.taskEgress ?? [], ...(runsDbt ? this.kubernetesApiEgress() : [])],
      logsPort: chart.PORTS.workerLogs,
      dbtTasks: runsDbt,
    });
  }

  /** The scheduler's pod-launcher Role, and the NetworkPolicy of the task pods it creates from the pod_template_file. */
  private kubernetesExecutor(): void {
    new Role(this, 'PodLauncherRole', { name: `${this.name}-pod-launcher`, rules: chart.POD_LAUNCHER_RULES, subjects: [this.serviceAccount('scheduler')] });
    new NetworkPolicy(this, 'TaskPodsNetworkPolicy', {
      name: `${this.name}-task-pods`,
      selectorLabels: this.selectorLabels('worker'),
      egress: [
        ...this.baseEgress({ dags: true, taskPod: true }), ...(this.p.taskEgress ?? []),
        ...(this.tasks.length > 0 ? this.kubernetesApiEgress() : []),
      ],
    });
  }

  /** Where the Kubernetes API is (for the scheduler with KubernetesExecutor and the pods that start dbt pods). */
  private kubernetesApiEgress(): readonly NetworkRule[] {
    return this.p.kubernetesApiEgress ?? [{ peer: NetworkPeer.anyIpv4(), ports: [NetworkPort.tcp(443), NetworkPort.tcp(6443)] }];
  }

  /** The dbt tasks' pod templates, one file per task (undefined without tasks). */
  private dbtTaskPodTemplates(tasks: readonly AirflowDbtTaskOptions[]): ConfigMap | undefined {
    if (tasks.length === 0) return undefined;
    const namespace = Environment.of(this).namespace;
    const data: Record<string, string> = {};
    for (const t of tasks) {
      // The KubernetesPodOperator runs the container named 'base' (its base_container_name).
      data[`${t.dagId}.${t.taskId}.yaml`] = toYaml(t.job.podManifest(namespace, { containerName: 'base' }));
    }
    return new ConfigMap(this, 'DbtTasks', { name: `${this.name}-dbt-tasks`, data });
  }

  // ----------------------------------------------------------------------------------------------------------

  private selectorLabels(component: string): Record<string, string> {
    return { 'app.kubernetes.io/instance': this.name, 'app.kubernetes.io/component': component };
  }

  /** Every pod of this Airflow (components, migrations, task pods). */
  private allPods(): NetworkPeer {
    return NetworkPeer.pods({ 'app.kubernetes.io/part-of': this.name });
  }

  /** Egress every Airflow pod needs: the metadata database, (Airflow 3) the execution API, the DAG source. */
  private baseEgress(o: { dags: boolean; taskPod?: boolean }): NetworkRule[] {
    const taskPod = o.taskPod ?? false;
    const db = this.p.databaseEgress ?? [{ peer: NetworkPeer.anyIpv4(), ports: [NetworkPort.tcp(5432)] }];
    const api: NetworkRule[] = this.airflow3
      ? [{ peer: NetworkPeer.pods(this.selectorLabels('api-server')), ports: [NetworkPort.tcp(chart.PORTS.apiServer)] }]
      : [];
    // Airflow 3 task pods talk to the execution API only; everything else talks to the database.
    return [...(taskPod && this.airflow3 ? [] : db), ...api, ...(o.dags ? this.dagsBinding.egress : [])];
  }

  private network(component: string, o: { dags: boolean; extraEgress?: readonly NetworkRule[]; extraIngress?: readonly NetworkRule[] }): { egress: NetworkRule[]; ingress: NetworkRule[] } {
    const egress = [...this.baseEgress({ dags: o.dags }), ...(o.extraEgress ?? [])];
    if (this.executor === 'CeleryExecutor' && ['scheduler', 'worker', 'api-server', 'webserver'].includes(component)) {
      egress.push({ peer: NetworkPeer.pods(this.selectorLabels('redis')), ports: [NetworkPort.tcp(chart.PORTS.redisDB)] });
    }
    return { egress, ingress: [...(o.extraIngress ?? [])] };
  }

  /** Pod-level settings shared by every Airflow pod. */
  private podBase(component: string, o: { dags: boolean; waitForMigrations: boolean; resources?: ResourceRequirements; volumes?: Volume[]; extraInitContainers?: ContainerSpec[]; dbtTasks?: boolean }) {
    const volumes = [
      Volume.configMap('config', this.configMap?.name ?? `${this.name}-config`), ...(o.dags ? this.dagsBinding.volumes : []), ...(o.volumes ?? []),
      ...(o.dbtTasks && this.dbtTasksConfigMap ? [Volume.configMap('dbt-tasks', this.dbtTasksConfigMap.name)] : []),
    ];
    const initContainers: ContainerSpec[] = [
      ...(o.dags ? this.dagsBinding.initContainers : []),
      // As in the chart, the wait-for-migrations container gets the component's resources (the Airflow CLI is not small).
      ...(o.waitForMigrations ? [{ ...this.airflowContainer('wait-for-airflow-migrations', { dags: false, resources: o.resources }), args: chart.WAIT_FOR_MIGRATIONS_ARGS }] : []),
      ...(o.extraInitContainers ?? []),
    ];
    return {
      volumes,
      initContainers,
      selectorLabels: this.selectorLabels(component),
      podLabels: { 'app.kubernetes.io/name': 'airflow', 'app.kubernetes.io/part-of': this.name, 'app.kubernetes.io/version': toLabel(this.version) },
      podAnnotations: {
        ...(o.dags ? this.dagsBinding.podAnnotations : {}),
        ...(this.configMap ? { 'checksum/airflow-config': this.configMap.contentHash } : {}),
      },
      securityContext: { user: chart.AIRFLOW_UID, group: chart.AIRFLOW_GID, fsGroup: chart.AIRFLOW_GID },
    };
  }

  /** An Airflow container with the common environment and mounts. */
  private airflowContainer(name: string, o: { resources?: ResourceRequirements; dags: boolean; taskPod?: boolean; extraEnv?: Record<string, EnvValue>; dbtTasks?: boolean }): ContainerSpec {
    const mounts: MountSpec[] = [
      { volume: 'config', path: `${CONFIG_DIR}/airflow.cfg`, subPath: 'airflow.cfg' },
      { volume: 'config', path: `${CONFIG_DIR}/webserver_config.py`, subPath: 'webserver_config.py' },
      ...(this.executor === 'KubernetesExecutor' && this.configMap
        ? [{ volume: 'config', path: `${POD_TEMPLATE_DIR}/pod_template_file.yaml`, subPath: 'pod_template_file.yaml' }]
        : []),
      ...(o.dags ? [this.dagsBinding.mount] : []),
      ...(o.dbtTasks && this.dbtTasksConfigMap ? [{ volume: 'dbt-tasks', path: DBT_POD_TEMPLATE_DIR }] : []),
    ];
    return {
      name,
      image: this.image,
      env: { ...this.airflowEnv(o.taskPod ?? false), ...o.extraEnv },
      resources: o.resources,
      mounts,
      writableDirs: ['/tmp', `${chart.AIRFLOW_HOME}/logs`],
    };
  }

  /**
   * Configuration as AIRFLOW__SECTION__KEY variables (the chart's `config:` and `standard_airflow_environment`).
   * Airflow 3 task pods (KubernetesExecutor) only talk to the execution API: they get no database URL and no keys.
   */
  private airflowEnv(taskPod: boolean): Record<string, EnvValue> {
    const p = this.p;
    const env: Record<string, EnvValue> = {};
    const noSecrets = taskPod && this.airflow3;
    const set = (section: string, key: string, value: EnvValue) => {
      if (noSecrets && SecretValue.isSecretValue(value)) return;
      env[`AIRFLOW__${section.toUpperCase()}__${key.toUpperCase()}`] = value;
    };
    set('core', 'executor', p.executor);
    set('core', 'load_examples', 'False');
    set('core', 'dags_folder', this.dagsBinding.dagsFolder);
    // Log fetching and `airflow jobs check --local` use this; pod host names do not resolve, pod IPs do.
    set('core', 'hostname_callable', 'airflow.utils.net.get_host_ip_address');
    set('core', 'fernet_key', p.fernetKey);
    set('database', 'sql_alchemy_conn', p.metadataDatabase);
    set('logging', 'colored_console_log', 'False');
    set('metrics', 'statsd_on', 'False');
    if (this.airflow3) {
      set('api', 'secret_key', p.apiSecretKey);
      set('api_auth', 'jwt_secret', p.jwtSecret ?? p.apiSecretKey);
      set('core', 'execution_api_server_url', `http://${this.apiServerEndpoint.host}:${this.apiServerEndpoint.port}/execution/`);
      set('core', 'auth_manager', 'airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager');
    } else {
      set('webserver', 'secret_key', p.apiSecretKey);
      set('webserver', 'enable_proxy_fix', 'True');
      if (p.standaloneDagProcessor) set('scheduler', 'standalone_dag_processor', 'True');
    }
    if (p.executor === 'CeleryExecutor') {
      // $(REDIS_PASSWORD) is expanded by Kubernetes from the variable defined just before.
      env.REDIS_PASSWORD = p.redisPassword!;
      set('celery', 'broker_url', `redis://:$(REDIS_PASSWORD)@${this.name}-redis:${chart.PORTS.redisDB}/0`);
      set('celery', 'worker_concurrency', '16');
    }
    if (p.executor === 'KubernetesExecutor') {
      set('kubernetes_executor', 'namespace', Environment.of(this).namespace);
      set('kubernetes_executor', 'pod_template_file', `${POD_TEMPLATE_DIR}/pod_template_file.yaml`);
      const [repository, tag] = splitImage(this.image);
      set('kubernetes_executor', 'worker_container_repository', repository);
      set('kubernetes_executor', 'worker_container_tag', tag);
    }
    for (const [section, values] of Object.entries(p.config ?? {})) {
      for (const [key, value] of Object.entries(values)) set(section, key, value);
    }
    return { ...env, ...p.env as Record<string, EnvValue> | undefined };
  }

  private component(component: AirflowComponent, o: {
    replicas: number; dags: boolean; resources: ResourceRequirements; args: string[];
    liveness?: ProbeSpec; readiness?: ProbeSpec; startup?: ProbeSpec;
    ports?: { name: string; port: number }[]; serviceAccount?: ServiceAccount; automountToken?: boolean;
    terminationGracePeriodSeconds?: number; strategy?: { maxSurge: number; maxUnavailable: number };
    extraEnv?: Record<string, EnvValue>; extraEgress?: readonly NetworkRule[]; extraIngress?: readonly NetworkRule[];
    logsPort?: number; dbtTasks?: boolean;
  }): Deployment {
    const base = this.podBase(component, { dags: o.dags, waitForMigrations: true, resources: o.resources, dbtTasks: o.dbtTasks });
    const main: ContainerSpec = {
      ...this.airflowContainer(component, { resources: o.resources, dags: o.dags, extraEnv: o.extraEnv, dbtTasks: o.dbtTasks }),
      args: o.args,
      livenessProbe: o.liveness, readinessProbe: o.readiness, startupProbe: o.startup,
      ports: o.ports,
    };
    const ingress = [
      ...(o.extraIngress ?? []),
      ...(o.logsPort ? [{ peer: NetworkPeer.pods(this.selectorLabels(this.airflow3 ? 'api-server' : 'webserver')), ports: [NetworkPort.tcp(o.logsPort)] }] : []),
    ];
    return new Deployment(this, toPascal(component), {
      name: `${this.name}-${component}`,
      ...base,
      containers: [main, ...(o.dags ? this.dagsBinding.sidecars : [])],
      replicas: o.replicas,
      serviceAccount: o.serviceAccount,
      automountServiceAccountToken: o.automountToken ?? false,
      terminationGracePeriodSeconds: o.terminationGracePeriodSeconds,
      strategy: o.strategy,
      ...this.network(component, { dags: o.dags, extraEgress: o.extraEgress, extraIngress: ingress }),
    });
  }

  /** Redis for the Celery broker (the chart's redis StatefulSet, here a single-replica Deployment on an emptyDir). */
  private redis(resources: ResourceRequirements): Deployment {
    const redis = new Deployment(this, 'Redis', {
      name: `${this.name}-redis`,
      selectorLabels: this.selectorLabels('redis'),
      podLabels: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/part-of': this.name },
      replicas: 1,
      strategy: { type: 'Recreate' },
      serviceAccount: new ServiceAccount(this, 'RedisServiceAccount', { name: `${this.name}-redis` }),
      securityContext: { user: chart.REDIS_UID, group: chart.REDIS_UID, fsGroup: chart.REDIS_UID },
      terminationGracePeriodSeconds: 600,
      containers: [{
        name: 'redis',
        image: chart.REDIS_IMAGE,
        command: ['redis-server'],
        // Not launched through a shell: Kubernetes expands $(REDIS_PASSWORD).
        args: ['--requirepass', '$(REDIS_PASSWORD)'],
        env: { REDIS_PASSWORD: this.p.redisPassword! },
        ports: [{ name: 'redis-db', port: chart.PORTS.redisDB }],
        // Not in the chart: a readiness probe, so the Service only routes to a listening Redis.
        readinessProbe: { tcpSocket: { port: chart.PORTS.redisDB }, periodSeconds: 10 },
        resources,
        writableDirs: ['/tmp', '/data'],
      }],
      ingress: [{ peer: this.allPods(), ports: [NetworkPort.tcp(chart.PORTS.redisDB)] }],
    });
    redis.expose([{ name: 'redis-db', port: chart.PORTS.redisDB }]);
    return redis;
  }
}

function toPascal(s: string): string {
  return s.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function toLabel(s: string): string {
  return toKubernetesName(s, true).slice(0, 63) || 'unknown';
}

/** `repo/name:tag` → [`repo/name`, `tag`] (the KubernetesExecutor's worker_container_repository/tag). */
function splitImage(image: string): [string, string] {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return [ref.slice(0, colon), ref.slice(colon + 1)];
  return [ref, 'latest'];
}
