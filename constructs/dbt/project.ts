import { Construct } from 'constructs';
import { DataFlowGraph, IGraphContributor } from '../../lib/graph/graph';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { objectName } from '../../lib/names';
import { propsSchema, validateProps } from '../../lib/validation';
import { ConfigMap } from '../k8s/config-map';
import { EnvValue, envSchema } from '../k8s/container';
import { NetworkRule, networkRulesSchema } from '../k8s/network-policy';
import { ResourceRequirements, resourceRequirementsSchema } from '../k8s/resources';
import { DbtJob, DbtJobOptions } from './job';
import { graphNodeIdOf, DBT_MODEL_NAME, DbtModelInfo, DbtModelOptions, dbtModelOptionsSchema } from './model';
import { DbtProfile, dbtProfileSchema, renderProfile, RenderedProfile } from './profile';

/** Props of {@link DbtProject}. */
export interface DbtProjectProps {
  /**
   * Image with dbt and the project: the team's own image, or an official one
   * (`DbtProject.officialImage('postgres', '1.9.0')`) with the project copied in.
   */
  readonly image: string;
  /** dbt adapter. Checked against the target's `type`. @default - the target output's type */
  readonly adapter?: string;
  /** Where the project (dbt_project.yml) is inside the image. @default '/usr/app/dbt' (the official images' WORKDIR) */
  readonly projectDir?: string;
  /** The profile: its name (as in dbt_project.yml) and outputs; credentials are Secret keys. */
  readonly profile: DbtProfile;
  /** The output the Jobs use. @default - the only output of the profile */
  readonly target?: string;
  /** Project variables passed with `--vars` to every Job. @default - none */
  readonly vars?: Readonly<Record<string, string | number | boolean>>;
  /**
   * The project has a packages.yml: `dbt deps` runs in an init container into a writable copy of the project.
   * It needs egress to the package hub (see `packagesEgress`); vendoring packages into the image is tighter.
   * @default false
   */
  readonly packages?: boolean;
  /**
   * Where `dbt deps` may download packages from.
   * @default - HTTPS (TCP 443) to any IPv4 address, only when `packages` is true
   */
  readonly packagesEgress?: readonly NetworkRule[];
  /** Network access of the Jobs to the warehouse (besides DNS). @default - none */
  readonly egress?: readonly NetworkRule[];
  /**
   * Extra environment variables of every Job: plain values, or SecretValues (`secret.envValue(key)`, rendered as
   * `secretKeyRef`) for anything secret (warehouse credentials belong in the profile as SecretValues).
   * @default - none
   */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** CPU and memory of every Job. @default { cpu: { request: '250m', limit: '1' }, memory: { request: '512Mi', limit: '1Gi' } } */
  readonly resources?: ResourceRequirements;
  /** UID the Jobs run as (the official dbt images run as root unless told otherwise). @default 1000 */
  readonly user?: number;
  /** Object name prefix of the project's objects. @default - derived from the construct id */
  readonly name?: string;
}

const schema = propsSchema<DbtProjectProps>()({
  image: z.string().min(1).regex(/^\S+$/, 'must not contain spaces'),
  adapter: z.string().regex(/^[a-z0-9_-]+$/, 'is not an adapter name such as postgres').optional(),
  projectDir: z.string().regex(/^\/\S*$/, 'must be an absolute path').optional(),
  profile: dbtProfileSchema,
  target: z.string().optional(),
  vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  packages: z.boolean().optional(),
  packagesEgress: networkRulesSchema.optional(),
  egress: networkRulesSchema.optional(),
  env: envSchema.optional(),
  resources: resourceRequirementsSchema.optional(),
  user: z.number().int().min(1, 'must not be 0 (root)').optional(),
  name: z.string().optional(),
}).superRefine((p, ctx) => {
  const targets = Object.keys(p.profile.outputs);
  if (p.target !== undefined && !targets.includes(p.target)) {
    ctx.addIssue({ code: 'custom', path: ['target'], message: `'${p.target}' is not an output of profile '${p.profile.name}' (outputs: ${targets.join(', ')})` });
  }
  if (p.target === undefined && targets.length > 1) {
    ctx.addIssue({ code: 'custom', path: ['target'], message: `profile '${p.profile.name}' has several outputs (${targets.join(', ')}); choose one` });
  }
  const target = p.target ?? targets[0];
  const type = p.profile.outputs[target]?.type;
  if (p.adapter !== undefined && typeof type === 'string' && type !== p.adapter) {
    ctx.addIssue({ code: 'custom', path: ['adapter'], message: `is '${p.adapter}' but output '${target}' has type '${type}'` });
  }
});

/** The id of a dbt project's process node in the data-flow graph (`dbt-project:<name>`). */
export function dbtProjectGraphNodeId(projectName: string): string {
  return `dbt-project:${projectName}`;
}

/** Default resources of dbt Jobs: dbt itself is light, the warehouse does the work. */
const DBT_RESOURCES: ResourceRequirements = { cpu: { request: '250m', limit: '1' }, memory: { request: '512Mi', limit: '1Gi' } };

/**
 * How to run one dbt project on Kubernetes: the image, the profile (rendered into a ConfigMap; every credential
 * from a Secret through `{{ env_var('DBT_ENV_SECRET_...') }}`), the target and variables. Jobs come from
 * {@link job}; models declared with {@link model} join the lineage graph.
 *
 * ```ts
 * const analytics = new DbtProject(this, 'Analytics', {
 *   image: 'ghcr.io/acme/analytics-dbt:2024.05.1',
 *   profile: { name: 'analytics', outputs: { prod: { type: 'postgres', host: 'warehouse', port: 5432, user: 'dbt',
 *     password: warehouse.envValue('password'), dbname: 'analytics', schema: 'marts', threads: 4 } } },
 *   egress: [{ peer: NetworkPeer.cidr('10.20.0.0/16'), ports: [NetworkPort.tcp(5432)] }],
 * });
 * analytics.job('Nightly', { command: 'build', schedule: '0 2 * * *', timeZone: 'Europe/Berlin' });
 * analytics.model('orders_daily', { reads: [ordersTopic] });
 * ```
 */
export class DbtProject extends Construct implements IGraphContributor {
  /** An official dbt image: `ghcr.io/dbt-labs/dbt-<adapter>:<version>`. */
  public static officialImage(adapter: string, version: string): string {
    return `ghcr.io/dbt-labs/dbt-${adapter}:${version}`;
  }

  /** Object name prefix (`<name>-profiles`, `<name>-<job>`). */
  public readonly name: string;
  /** The image. */
  public readonly image: string;
  /** The adapter (the target output's type). */
  public readonly adapter: string;
  /** Where the project is inside the image. */
  public readonly projectDir: string;
  /** The target the Jobs use. */
  public readonly target: string;
  /** The profiles.yml ConfigMap. */
  public readonly profilesConfigMap: ConfigMap;
  /** @internal the validated props */
  public readonly _props: DbtProjectProps & { readonly resources: ResourceRequirements };
  /** @internal the rendered profile */
  public readonly _profile: RenderedProfile;

  private readonly modelInfos: DbtModelInfo[] = [];

  constructor(scope: Construct, id: string, props: DbtProjectProps) {
    super(scope, id);
    const p = validateProps(this, schema, props) as DbtProjectProps;
    this.name = objectName(this, p.name);
    this.image = p.image;
    this.target = p.target ?? Object.keys(p.profile.outputs)[0];
    this.adapter = p.profile.outputs[this.target].type;
    this.projectDir = (p.projectDir ?? '/usr/app/dbt').replace(/\/+$/, '') || '/';
    this._props = { ...p, resources: p.resources ?? DBT_RESOURCES };
    this._profile = renderProfile(p.profile, this.target);
    this.profilesConfigMap = new ConfigMap(this, 'Profiles', { name: `${this.name}-profiles`, data: { 'profiles.yml': this._profile.profilesYml } });
  }

  /**
   * A dbt Job: a one-off Job that runs on every sync (an Argo CD Sync hook with BeforeHookCreation, and the
   * Flux force annotation) or, with `schedule`, a CronJob.
   */
  public job(id: string, options: DbtJobOptions): DbtJob {
    return new DbtJob(this, id, { ...options, project: this });
  }

  /**
   * Declares a model of this project for the lineage graph (what it reads and writes). Returns its entry;
   * pass it in another model's `reads`.
   */
  public model(name: string, options: DbtModelOptions = {}): DbtModelInfo {
    if (!DBT_MODEL_NAME.test(name)) throw new ValidationError(this, 'model', `'${name}' is not a dbt model name (letters, digits and _)`);
    if (this.modelInfos.some((m) => m.name === name)) throw new ValidationError(this, 'model', `model '${name}' is declared twice`);
    const o = validateProps(this, dbtModelOptionsSchema, options) as DbtModelOptions;
    const info: DbtModelInfo = {
      graphNodeId: `dbt:${this.name}/${name}`,
      project: this.name,
      name,
      reads: (o.reads ?? []).map(graphNodeIdOf),
      writes: (o.writes ?? []).map(graphNodeIdOf),
      ...(o.description !== undefined ? { description: o.description } : {}),
    };
    this.modelInfos.push(info);
    return info;
  }

  /** The declared models, in declaration order (plain data for the lineage graph). */
  public get models(): readonly DbtModelInfo[] {
    return [...this.modelInfos];
  }

  /**
   * Adds the project (a process) and its declared models (datasets) to the data-flow graph: what a model reads
   * flows into the project, the project builds the model and feeds what the model writes.
   */
  public addToGraph(graph: DataFlowGraph): void {
    if (this.modelInfos.length === 0) return;
    const group = graph.addGroup(DataFlowGraph.groupOf(this));
    const process = dbtProjectGraphNodeId(this.name);
    graph.addNode({ id: process, role: 'process', kind: 'dbt project', name: this.name, group, details: { image: this.image } });
    for (const m of this.modelInfos) {
      graph.addNode({ id: m.graphNodeId, role: 'dataset', kind: 'dbt model', name: m.name, group });
      for (const r of m.reads) graph.addEdge(r, process);
      graph.addEdge(process, m.graphNodeId);
      for (const w of m.writes) graph.addEdge(process, w);
    }
  }
}
