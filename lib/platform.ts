import { App, ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { DataOpsError, ValidationError } from './errors';
import { addLineageReports } from './graph/report';
import { NameRule, objectName, validateName } from './names';
import { installFusedToJson } from './synthesizer/api-object-json';
// The synthesizer uses this module only inside functions, so this import is safe in either load order.
import { synthesizePlatform } from './synthesizer/synthesizer';
import { isClusterScoped } from './synthesizer/kinds';
import { apiGroupOf } from './synthesizer/manifest';

const CLI_FLAG = Symbol.for('cdk8s-dataops.cli');
const ENVIRONMENT = Symbol.for('cdk8s-dataops.Environment');
const PLATFORMS = Symbol.for('cdk8s-dataops.platforms');

/** Props of {@link DataPlatform}. */
export interface DataPlatformProps {
  /**
   * Folder the platform synthesizes into. Relative paths are resolved against the current directory;
   * the `synth` command resolves them against the folder of the app file.
   * @default 'dist'
   */
  readonly outdir?: string;
  /**
   * Write the lineage reports `reports/lineage.md` and `reports/lineage.html` (when there is a dataset).
   * @default true
   */
  readonly lineageReports?: boolean;
}

/**
 * The root of a data platform definition: a cdk8s App whose children are {@link Environment}s.
 *
 * ```ts
 * const platform = new DataPlatform();
 * const prod = new Environment(platform, 'prod');
 * ```
 */
export class DataPlatform extends App {
  /** Returns the DataPlatform a construct belongs to. */
  public static of(scope: IConstruct): DataPlatform {
    const root = scope.node.root;
    if (!(root instanceof DataPlatform)) {
      throw new DataOpsError(`${scope.node.path} is not inside a DataPlatform; create constructs under 'new DataPlatform()'`);
    }
    return root;
  }

  /** @internal platforms created while the `synth` command loads an app. */
  public static _registered(): DataPlatform[] {
    return ((globalThis as any)[PLATFORMS] ??= []) as DataPlatform[];
  }

  /** @internal true while the `synth` command runs the app (platform.synth() then defers to the command). */
  public static _underCli(): boolean {
    return (globalThis as any)[CLI_FLAG] === true;
  }

  /** @internal */
  public static _setUnderCli(value: boolean): void {
    (globalThis as any)[CLI_FLAG] = value;
  }

  constructor(props: DataPlatformProps = {}) {
    super({ outdir: props.outdir ?? 'dist' });
    installFusedToJson();
    if (DataPlatform._underCli()) DataPlatform._registered().push(this);
    if (props.lineageReports !== false) addLineageReports(this);
    this.node.addValidation({ validate: () => environmentCollisions(this.environments) });
  }

  /** The environments of this platform, in the order they were defined. */
  public get environments(): Environment[] {
    return this.node.children.filter((c): c is Environment => c instanceof Environment);
  }

  /**
   * Writes the platform to `outdir`. Under the `synth` command this does nothing: the command decides what to
   * write (`--check`, `diff`, `--env`), so an app may end with `platform.synth()` and still be run by `npx synth`.
   */
  public override synth(): void {
    if (DataPlatform._underCli()) return;
    synthesizePlatform(this).write();
  }
}

/** Props of {@link Environment}. */
export interface EnvironmentProps {
  /**
   * Default namespace of the objects in this environment (objects may set their own).
   * @default - the environment name
   */
  readonly namespace?: string;
  /**
   * Labels added to every object of this environment.
   * @default - only `app.kubernetes.io/managed-by: cdk8s-dataops`
   */
  readonly labels?: Record<string, string>;
  /**
   * Whether this is a production environment. Constructs use it for safer defaults
   * (for example more replicas, stricter policies).
   * @default - true when the environment is named 'prod' or 'production'
   */
  readonly production?: boolean;
  /**
   * The Kubernetes cluster this environment is deployed to (any name that tells clusters apart, such as the name it
   * has in Argo CD). Two environments on one cluster must not declare the same object (same kind, namespace and
   * name): their GitOps applications would fight over it, so synthesis refuses it, naming both constructs. Give such
   * environments different namespaces, or say that they run on different clusters. This name is not written to the
   * output: point each environment's Argo CD Application or Flux Kustomization at that cluster.
   * @default - one cluster, shared by every environment that sets none
   */
  readonly cluster?: string;
}

/**
 * A deployment target (dev, staging, prod): a cdk8s Chart whose objects synthesize to `manifests/<name>/`.
 * One platform definition can declare several environments and vary by them:
 *
 * ```ts
 * const replicas = Environment.of(this).production ? 3 : 1;
 * ```
 */
export class Environment extends Chart {
  /**
   * `instanceof Environment` is true for Environments only. (cdk8s's Chart answers `instanceof` for every chart, and
   * subclasses inherit that: without this, any plain Chart would pass for an Environment.)
   * @internal
   */
  public static [Symbol.hasInstance](o: unknown): o is Environment {
    return typeof o === 'object' && o !== null && (o as { [ENVIRONMENT]?: boolean })[ENVIRONMENT] === true;
  }

  /** Returns the Environment a construct is defined in, or throws a clear error when it is outside one. */
  public static of(scope: IConstruct): Environment {
    const env = Environment.tryOf(scope);
    if (!env) {
      throw new DataOpsError(`${scope.node.path || '<root>'} is not inside an Environment; define it under 'new Environment(platform, \"prod\")'`);
    }
    return env;
  }

  /** Returns the Environment a construct is defined in, or undefined. */
  public static tryOf(scope: IConstruct): Environment | undefined {
    for (let node: IConstruct | undefined = scope; node; node = node.node.scope) {
      if (node instanceof Environment) return node as Environment;
    }
    return undefined;
  }

  /** The environment name (the folder under `manifests/`). */
  public readonly name: string;
  /** The default namespace of objects in this environment. */
  public readonly namespace: string;
  /** Whether this is a production environment. */
  public readonly production: boolean;
  /** The Kubernetes cluster this environment is deployed to; undefined: the one cluster shared by such environments. */
  public readonly cluster?: string;

  constructor(scope: DataPlatform, id: string, props: EnvironmentProps = {}) {
    if (!(scope instanceof DataPlatform)) {
      throw new ValidationError(`${(scope as Construct)?.node?.path ?? ''}/${id}`, undefined, 'an Environment must be created directly under a DataPlatform');
    }
    validateName(`${scope.node.path}/${id}`.replace(/^\//, ''), 'id', id, NameRule.DNS_LABEL);
    const namespace = props.namespace ?? id;
    validateName(id, 'namespace', namespace, NameRule.DNS_LABEL);
    super(scope, id, {
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'cdk8s-dataops', ...props.labels },
      disableResourceNameHashes: true,
    });
    Object.defineProperty(this, ENVIRONMENT, { value: true });
    this.name = id;
    this.namespace = namespace;
    this.production = props.production ?? (id === 'prod' || id === 'production');
    if (props.cluster !== undefined && (typeof props.cluster !== 'string' || props.cluster.trim() === '')) {
      throw new ValidationError(this, 'cluster', 'must be a non-empty name');
    }
    this.cluster = props.cluster;
  }

  /**
   * Picks a value by environment: the entry named like this environment, else `production`/`nonProduction`,
   * else `default`.
   *
   * ```ts
   * replicas: Environment.of(this).select({ prod: 6, nonProduction: 1, default: 3 })
   * ```
   */
  public select<T>(values: { readonly [envName: string]: T | undefined; readonly default: T }): T {
    const own = values[this.name];
    if (own !== undefined) return own;
    const byKind = this.production ? values.production : values.nonProduction;
    return byKind !== undefined ? byKind : values.default;
  }

  /** Names objects without an explicit name after their construct id, never with a hash. */
  public override generateObjectName(apiObject: ApiObject): string {
    return objectName(apiObject);
  }
}

/** Collisions listed in full in one message; the rest are counted. */
const COLLISIONS_SHOWN = 5;

/**
 * Objects that two environments deploy to the same place: same cluster, same kind, same namespace (none for
 * cluster-scoped kinds) and same name: one message, a paragraph per pair of environments, naming both constructs.
 */
function environmentCollisions(environments: readonly Environment[]): string[] {
  if (environments.length < 2) return [];
  const seen = new Map<string, { env: Environment; object: ApiObject }>();
  const byPair = new Map<string, { a: Environment; b: Environment; lines: string[] }>();
  const pathOf = (o: ApiObject) => o.node.path.replace(/\/(Resource|Default)$/, '');
  for (const env of environments) {
    const own = new Set<string>(); // collisions inside one environment are the synthesizer's (same file)
    for (const o of env.node.findAll()) {
      if (!(o instanceof ApiObject)) continue;
      const namespace = isClusterScoped(apiGroupOf(o.apiVersion), o.kind) ? undefined : o.metadata.namespace;
      const key = `${env.cluster ?? ''}\u0000${apiGroupOf(o.apiVersion)}\u0000${o.kind}\u0000${namespace ?? ''}\u0000${o.name}`;
      if (own.has(key)) continue;
      own.add(key);
      const first = seen.get(key);
      if (!first) {
        seen.set(key, { env, object: o });
        continue;
      }
      const pair = `${first.env.name}\u0000${env.name}`;
      const entry = byPair.get(pair) ?? { a: first.env, b: env, lines: [] };
      byPair.set(pair, entry);
      entry.lines.push(`${o.kind} '${o.name}'${namespace ? ` in namespace '${namespace}'` : ''}: ${pathOf(first.object)} and ${pathOf(o)}`);
    }
  }
  if (byPair.size === 0) return [];
  return [[...byPair.values()].map(({ a, b, lines }) => {
    const where = a.cluster ? `cluster '${a.cluster}'` : 'the same cluster (neither sets one)';
    const shown = lines.slice(0, COLLISIONS_SHOWN).map((l) => `\n    ${l}`).join('');
    const more = lines.length > COLLISIONS_SHOWN ? `\n    ... and ${lines.length - COLLISIONS_SHOWN} more` : '';
    return `environments '${a.name}' and '${b.name}' both deploy ${lines.length} object${lines.length === 1 ? '' : 's'} to ${where}, ` +
      `where their GitOps applications would fight over ${lines.length === 1 ? 'it' : 'them'}:${shown}${more}\n  ` +
      'Give the environments namespaces of their own (and Kafka clusters of their own, for Kafka objects), or say that ' +
      `they run on different clusters: new Environment(platform, '${a.name}', { cluster: '${a.name}' }) and ` +
      `new Environment(platform, '${b.name}', { cluster: '${b.name}' })`;
  }).join('\n')];
}
