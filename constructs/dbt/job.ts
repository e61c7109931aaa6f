import { Construct } from 'constructs';
import { z } from 'zod';
import { toKubernetesName, validateName } from '../../lib/names';
import { constructRef, propsSchema, validateProps } from '../../lib/validation';
import { ContainerSpec, EnvValue } from '../k8s/container';
import { CronJob } from '../k8s/cron-job';
import { cronSchema, timeZoneSchema } from '../k8s/cron';
import { Job } from '../k8s/job';
import { PodManifestProps, renderPodManifest } from '../k8s/pod-template';
import { NetworkPeer, NetworkPort, NetworkRule } from '../k8s/network-policy';
import { ResourceRequirements, resourceRequirementsSchema } from '../k8s/resources';
import { Volume } from '../k8s/volumes';
import { Workload } from '../k8s/workload';
import type { DbtProject } from './project';

/** The dbt commands a Job can run. */
export type DbtCommand = 'build' | 'run' | 'test' | 'seed' | 'snapshot' | 'source freshness';

/** Options of {@link DbtProject.job}. */
export interface DbtJobOptions {
  /** The dbt command. */
  readonly command: DbtCommand;
  /** Node selection (`--select`), e.g. `['tag:nightly', 'orders_daily+']`. @default - the whole project */
  readonly select?: readonly string[];
  /** Nodes to leave out (`--exclude`). @default - none */
  readonly exclude?: readonly string[];
  /** Rebuild incremental models and seeds from scratch (`--full-refresh`; build, run and seed only). @default false */
  readonly fullRefresh?: boolean;
  /** Concurrent models (`--threads`). @default - the profile's `threads` */
  readonly threads?: number;
  /** Stop at the first failure (`--fail-fast`). @default false */
  readonly failFast?: boolean;
  /** Variables for this Job, merged over the project's. @default - the project's */
  readonly vars?: Readonly<Record<string, string | number | boolean>>;
  /** Cron schedule: the Job becomes a CronJob (concurrency Forbid). @default - a one-off Job run on every sync */
  readonly schedule?: string;
  /** IANA time zone of `schedule`. @default - the cluster's (usually UTC) */
  readonly timeZone?: string;
  /** Seconds a run may take. @default 7200 */
  readonly activeDeadlineSeconds?: number;
  /** Retries of a failed run. @default 1 */
  readonly backoffLimit?: number;
  /** CPU and memory of this Job. @default - the project's */
  readonly resources?: ResourceRequirements;
  /** Object name. @default '<project>-<id>' */
  readonly name?: string;
}

/** Props of {@link DbtJob}: the options plus the project. */
export interface DbtJobProps extends DbtJobOptions {
  /** The project the Job runs. */
  readonly project: DbtProject;
}

const COMMANDS = ['build', 'run', 'test', 'seed', 'snapshot', 'source freshness'] as const;
const SELECTOR = /^[^\s'"`$;|&<>\\]+$/;

const schema = propsSchema<DbtJobProps>()({
  command: z.enum(COMMANDS, { message: `must be one of ${COMMANDS.map((c) => `'${c}'`).join(', ')}` }),
  select: z.array(z.string().regex(SELECTOR, 'is not a dbt selector (no spaces or shell characters)')).min(1).optional(),
  exclude: z.array(z.string().regex(SELECTOR, 'is not a dbt selector (no spaces or shell characters)')).min(1).optional(),
  fullRefresh: z.boolean().optional(),
  threads: z.number().int().min(1, 'must be at least 1').max(64).optional(),
  failFast: z.boolean().optional(),
  vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  schedule: cronSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  activeDeadlineSeconds: z.number().int().min(60).optional(),
  backoffLimit: z.number().int().min(0).optional(),
  resources: resourceRequirementsSchema.optional(),
  name: z.string().optional(),
  // A structural check: job.ts cannot load project.ts (which loads this file) when the schema is built.
  project: constructRef<DbtProject>((v) => typeof v === 'object' && v !== null && typeof (v as DbtProject).job === 'function' && '_profile' in v, 'a DbtProject', 'must be a DbtProject'),
}).superRefine((p, ctx) => {
  if (p.fullRefresh && !['build', 'run', 'seed'].includes(p.command)) {
    ctx.addIssue({ code: 'custom', path: ['fullRefresh'], message: `'dbt ${p.command}' has no --full-refresh (only build, run and seed)` });
  }
  if (p.timeZone !== undefined && p.schedule === undefined) {
    ctx.addIssue({ code: 'custom', path: ['timeZone'], message: 'only applies with a schedule' });
  }
});

/** Paths inside dbt containers. */
const PROFILES_DIR = '/dbt/profiles';
const TARGET_DIR = '/dbt/target';
const LOG_DIR = '/dbt/logs';
const WORKSPACE = '/dbt/project';

/**
 * One dbt invocation as a Kubernetes Job (an Argo CD Sync hook) or, with a schedule, a CronJob. Create it with
 * {@link DbtProject.job}. The root filesystem is read-only: `target/` and `logs/` are emptyDirs (DBT_TARGET_PATH,
 * DBT_LOG_PATH); with packages, `dbt deps` runs in an init container into a writable copy of the project.
 */
export class DbtJob extends Construct {
  /** The project this Job runs. */
  public readonly project: DbtProject;
  /** The Job or CronJob. */
  public readonly workload: Workload;
  /** The full dbt command line of the main container. */
  public readonly commandLine: readonly string[];
  /** What the pod of this Job is made of (for {@link podManifest}). */
  private readonly pod: Omit<PodManifestProps, 'namespace'>;

  constructor(scope: Construct, id: string, props: DbtJobProps) {
    super(scope, id);
    const p = validateProps(this, schema, props) as DbtJobProps;
    const project = p.project;
    this.project = project;
    const pp = project._props;
    const name = p.name !== undefined ? validateName(this, 'name', p.name) : validateName(this, 'name', `${project.name}-${toKubernetesName(id)}`);
    const projectDir = pp.packages ? WORKSPACE : project.projectDir;
    const vars = { ...pp.vars, ...p.vars };

    this.commandLine = [
      'dbt', ...p.command.split(' '),
      '--project-dir', projectDir,
      '--target', project.target,
      ...(p.select ? ['--select', ...p.select] : []),
      ...(p.exclude ? ['--exclude', ...p.exclude] : []),
      ...(p.fullRefresh ? ['--full-refresh'] : []),
      ...(p.failFast ? ['--fail-fast'] : []),
      ...(p.threads !== undefined ? ['--threads', String(p.threads)] : []),
      ...(Object.keys(vars).length > 0 ? ['--vars', JSON.stringify(sortKeys(vars))] : []),
    ];

    const baseEnv: Record<string, EnvValue> = {
      DBT_PROFILES_DIR: PROFILES_DIR,
      DBT_TARGET_PATH: TARGET_DIR,
      DBT_LOG_PATH: LOG_DIR,
      DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
      HOME: '/tmp',
    };
    const resources = p.resources ?? pp.resources;
    const user = pp.user ?? 1000;
    const base: Omit<ContainerSpec, 'name' | 'command'> = {
      image: project.image,
      resources,
      user,
      mounts: [{ volume: 'profiles', path: PROFILES_DIR }, ...(pp.packages ? [{ volume: 'project', path: WORKSPACE }] : [])],
      writableDirs: ['/tmp', TARGET_DIR, LOG_DIR],
    };
    const initContainers: ContainerSpec[] = pp.packages ? [{
      ...base,
      name: 'dbt-deps',
      // dbt deps reads no profile: the warehouse credentials stay out of this container.
      env: { ...baseEnv, ...pp.env },
      command: ['sh', '-c', `cp -R ${project.projectDir}/. ${WORKSPACE}/ && exec dbt deps --project-dir ${WORKSPACE}`],
    }] : [];
    const egress: NetworkRule[] = [
      ...(pp.egress ?? []),
      ...(pp.packages ? pp.packagesEgress ?? [{ peer: NetworkPeer.anyIpv4(), ports: [NetworkPort.tcp(443)] }] : []),
    ];
    const common = {
      name,
      containers: [{ ...base, name: 'dbt', command: [...this.commandLine], env: { ...baseEnv, ...project._profile.env, ...pp.env } }],
      initContainers,
      volumes: [
        Volume.configMap('profiles', project.profilesConfigMap.name),
        ...(pp.packages ? [Volume.emptyDir('project')] : []),
      ],
      selectorLabels: { 'app.kubernetes.io/name': name.slice(0, 63).replace(/[-.]+$/, ''), 'app.kubernetes.io/component': 'dbt' },
      podLabels: { 'dataops.cdk8s.io/dbt-project': project.name },
      // A new profile rolls scheduled runs onto the new ConfigMap content.
      podAnnotations: { 'checksum/dbt-profiles': project.profilesConfigMap.contentHash },
      securityContext: { user, group: user, fsGroup: user },
      egress,
      backoffLimit: p.backoffLimit ?? 1,
      activeDeadlineSeconds: p.activeDeadlineSeconds ?? 7200,
    };
    const { egress: _egress, backoffLimit: _backoff, activeDeadlineSeconds: _deadline, ...pod } = common;
    this.pod = pod;
    this.workload = p.schedule !== undefined
      ? new CronJob(this, 'Resource', { ...common, schedule: p.schedule, timeZone: p.timeZone })
      : new Job(this, 'Resource', { ...common, syncHook: 'Sync' });
  }

  /**
   * The pod this Job runs, as a Pod manifest (not emitted): the same image, command, profile, Secret references,
   * security settings and labels, so the Job's NetworkPolicy (the warehouse egress) applies to it. For
   * orchestrators that start the run themselves, e.g. Airflow's KubernetesPodOperator (`pod_template_file`).
   */
  public podManifest(namespace: string, options: DbtJobPodManifestOptions = {}): Record<string, unknown> {
    const [main, ...sidecars] = this.pod.containers;
    return renderPodManifest(this, { ...this.pod, namespace, containers: [{ ...main, name: options.containerName ?? main.name }, ...sidecars] });
  }
}

/** Options of {@link DbtJob.podManifest}. */
export interface DbtJobPodManifestOptions {
  /** Name of the main container. @default 'dbt' */
  readonly containerName?: string;
}

function sortKeys(o: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}
