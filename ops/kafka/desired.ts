import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { AggregateDataOpsError, DataOpsError } from '../../lib/errors';
import { MANIFESTS_DIR } from '../../lib/synthesizer/layout';
import { REMOVAL_POLICY_ANNOTATION } from '../../constructs/core/removal-policy';
import { configValueString } from './config-values';
import { parseDistYaml } from './dist-yaml';
import {
  AclBinding, CLUSTER_RESOURCE_NAME, DesiredQuotas, DesiredState, DesiredTopic, DesiredUser, LiveAclOperation,
  LiveAclResourceType, LiveRemovalPolicy, OPERATION_CODE, RESOURCE_TYPE_CODE, compareCodeUnits,
} from './model';

/** Strimzi's cluster label. */
export const CLUSTER_LABEL = 'strimzi.io/cluster';

const STRIMZI_VERSIONS = new Set(['kafka.strimzi.io/v1', 'kafka.strimzi.io/v1beta2']);

/** Options of {@link loadDesiredState}. */
export interface LoadDesiredStateOptions {
  /** The output folder of `synth` (holding `manifests/`). */
  readonly distDir: string;
  /** The environment (folder under `manifests/`). @default - the only one; an error when there are several */
  readonly env?: string;
  /** Only objects labelled `strimzi.io/cluster: <cluster>`. @default - the only cluster; an error when there are several */
  readonly cluster?: string;
}

/** A Kubernetes object read from a file. */
export interface DistObject {
  readonly file: string;
  readonly object: unknown;
}

/** The environments under `<distDir>/manifests/`. */
export function listEnvironments(distDir: string): string[] {
  const dir = path.join(distDir, MANIFESTS_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

/**
 * Reads every KafkaTopic and KafkaUser under `<distDir>/manifests/<env>/` (files named `kafkatopic.*` and
 * `kafkauser.*`, as the synthesizer lays them out) and returns the desired state of one cluster.
 * Throws a {@link DataOpsError} naming the file and field when an object is invalid.
 */
export function loadDesiredState(options: LoadDesiredStateOptions): DesiredState {
  const envs = listEnvironments(options.distDir);
  const manifests = path.join(options.distDir, MANIFESTS_DIR);
  if (envs.length === 0) throw new DataOpsError(`${manifests}: no environments found; run 'npx synth' first (or point to the output folder with --out DIR)`);
  let env = options.env;
  if (env === undefined) {
    if (envs.length > 1) throw new DataOpsError(`${manifests} holds several environments (${envs.join(', ')}); choose one with --env NAME`);
    env = envs[0];
  } else if (!envs.includes(env)) {
    throw new DataOpsError(`environment '${env}' not found in ${manifests} (found: ${envs.join(', ')})`);
  }
  const root = path.join(manifests, env);
  const objects: DistObject[] = [];
  for (const file of walk(root)) {
    const base = path.basename(file).toLowerCase();
    if (!/^kafka(topic|user)\..*\.(ya?ml|json)$/.test(base)) continue;
    const text = fs.readFileSync(file, 'utf8');
    const relative = path.relative(process.cwd(), file) || file;
    // The synthesizer's plain block YAML takes the fast path (10x faster); anything else goes to the full parser.
    const fast = parseDistYaml(text);
    if (fast !== undefined) {
      if (fast !== null) objects.push({ file: relative, object: fast });
      continue;
    }
    // intAsBigInt keeps 64-bit config values (e.g. 9223372036854775807) exact.
    for (const doc of parseAllDocuments(text, { version: '1.1', intAsBigInt: true })) {
      if (doc.errors.length > 0) throw new DataOpsError(`${file}: invalid YAML: ${doc.errors[0].message}`);
      const value = doc.toJS({ maxAliasCount: -1 });
      if (value !== null && value !== undefined) objects.push({ file: relative, object: value });
    }
  }
  return desiredStateFromObjects(objects, { env, cluster: options.cluster, source: root });
}

function* walk(dir: string): Generator<string> {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareCodeUnits(a.name, b.name));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/**
 * Builds the desired state from already parsed objects (objects other than Strimzi KafkaTopic/KafkaUser are ignored).
 */
export function desiredStateFromObjects(objects: readonly DistObject[], options: { env: string; cluster?: string; source?: string }): DesiredState {
  const errors: DataOpsError[] = [];
  const kafkaObjects: { file: string; kind: 'KafkaTopic' | 'KafkaUser'; o: any; cluster: string }[] = [];
  for (const { file, object } of objects) {
    const o = object as any;
    if (!o || typeof o !== 'object' || !STRIMZI_VERSIONS.has(o.apiVersion) || (o.kind !== 'KafkaTopic' && o.kind !== 'KafkaUser')) continue;
    const cluster = o.metadata?.labels?.[CLUSTER_LABEL];
    if (typeof cluster !== 'string' || cluster.length === 0) {
      errors.push(new DataOpsError(`${file}: ${o.kind} '${o.metadata?.name}' has no '${CLUSTER_LABEL}' label, so its cluster is unknown`));
      continue;
    }
    kafkaObjects.push({ file, kind: o.kind, o, cluster });
  }
  const clusters = [...new Set(kafkaObjects.map((k) => k.cluster))].sort();
  let cluster = options.cluster;
  if (cluster === undefined) {
    if (clusters.length > 1) {
      errors.push(new DataOpsError(`environment '${options.env}' declares objects of several Kafka clusters (${clusters.join(', ')}); choose one with --cluster NAME`));
    } else if (clusters.length === 0) {
      errors.push(new DataOpsError(`environment '${options.env}' declares no KafkaTopic or KafkaUser; pass --cluster NAME to compare the cluster with an empty desired state`));
    }
    cluster = clusters[0];
  }
  throwIfAny(errors);

  const topics = new Map<string, DesiredTopic>();
  const users = new Map<string, DesiredUser>();
  const skipped: { file: string; reason: string }[] = [];
  for (const k of kafkaObjects) {
    if (k.cluster !== cluster) continue;
    if (String(k.o.metadata?.annotations?.['strimzi.io/managed']) === 'false') {
      skipped.push({ file: k.file, reason: "annotated strimzi.io/managed: \"false\"" });
      continue;
    }
    try {
      if (k.kind === 'KafkaTopic') {
        const t = parseTopic(k.file, k.o);
        const prev = topics.get(t.name);
        if (prev) throw new DataOpsError(`${k.file}: topic '${t.name}' is also declared in ${prev.file}`);
        topics.set(t.name, t);
      } else {
        const u = parseUser(k.file, k.o);
        const prev = users.get(u.principal);
        if (prev) throw new DataOpsError(`${k.file}: principal '${u.principal}' is also declared in ${prev.file}`);
        users.set(u.principal, u);
      }
    } catch (e) {
      if (e instanceof DataOpsError) errors.push(e);
      else throw e;
    }
  }
  throwIfAny(errors);
  return {
    env: options.env,
    cluster: cluster!,
    source: options.source ?? '(objects)',
    topics: [...topics.values()].sort((a, b) => compareCodeUnits(a.name, b.name)),
    users: [...users.values()].sort((a, b) => compareCodeUnits(a.principal, b.principal)),
    skipped,
  };
}

function throwIfAny(errors: DataOpsError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateDataOpsError(errors, `${errors.length} problems in the desired Kafka state`);
}

function fail(file: string, field: string, message: string): never {
  throw new DataOpsError(`${file}: field '${field}': ${message}`);
}

function removalPolicyOf(file: string, o: any): LiveRemovalPolicy {
  const v = o.metadata?.annotations?.[REMOVAL_POLICY_ANNOTATION];
  if (v === undefined) return 'retain';
  if (v === 'retain' || v === 'destroy') return v;
  return fail(file, `metadata.annotations["${REMOVAL_POLICY_ANNOTATION}"]`, `'${v}' is not 'retain' or 'destroy'`);
}

function optionalCount(file: string, field: string, v: unknown, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > max) return fail(file, field, `expected an integer from 1 to ${max}, got ${String(v)}`);
  return n;
}

function parseTopic(file: string, o: any): DesiredTopic {
  const spec = o.spec ?? {};
  const name = spec.topicName ?? o.metadata?.name;
  if (typeof name !== 'string' || name.length === 0) return fail(file, 'spec.topicName', 'missing topic name');
  const config: Record<string, string> = {};
  if (spec.config !== undefined && spec.config !== null) {
    if (typeof spec.config !== 'object' || Array.isArray(spec.config)) return fail(file, 'spec.config', 'expected a map of config names to values');
    for (const key of Object.keys(spec.config).sort()) {
      const value = configValueString(spec.config[key]);
      if (value === undefined) return fail(file, `spec.config["${key}"]`, `expected a string, number or boolean, got ${JSON.stringify(spec.config[key])}`);
      config[key] = value;
    }
  }
  return {
    name,
    partitions: optionalCount(file, 'spec.partitions', spec.partitions, 1_000_000),
    replicas: optionalCount(file, 'spec.replicas', spec.replicas, 32_767),
    config,
    removalPolicy: removalPolicyOf(file, o),
    file,
  };
}

function parseUser(file: string, o: any): DesiredUser {
  const name = o.metadata?.name;
  if (typeof name !== 'string' || name.length === 0) return fail(file, 'metadata.name', 'missing');
  const spec = o.spec ?? {};
  const authType = spec.authentication?.type ?? 'none';
  if (!['scram-sha-512', 'tls', 'tls-external', 'none'].includes(authType)) return fail(file, 'spec.authentication.type', `unknown type '${authType}'`);
  const principal = authType === 'tls' || authType === 'tls-external' ? `User:CN=${name}` : `User:${name}`;
  let acls: AclBinding[] | undefined;
  if (spec.authorization !== undefined && spec.authorization !== null) {
    if (spec.authorization.type !== 'simple') return fail(file, 'spec.authorization.type', `only 'simple' authorization is supported, got '${spec.authorization.type}'`);
    const rules = spec.authorization.acls ?? [];
    if (!Array.isArray(rules)) return fail(file, 'spec.authorization.acls', 'expected a list');
    const byKey = new Map<string, AclBinding>();
    rules.forEach((rule: any, i: number) => {
      for (const b of expandRule(file, `spec.authorization.acls[${i}]`, principal, rule)) byKey.set(JSON.stringify(b), b);
    });
    acls = [...byKey.values()];
  }
  let quotas: DesiredQuotas | undefined;
  if (spec.quotas && typeof spec.quotas === 'object') {
    const q: Record<string, number> = {};
    for (const k of ['producerByteRate', 'consumerByteRate', 'requestPercentage', 'controllerMutationRate']) {
      if (spec.quotas[k] !== undefined) q[k] = Number(spec.quotas[k]);
    }
    if (Object.keys(q).length > 0) quotas = q;
  }
  return { name, principal, authentication: authType, acls, quotas, removalPolicy: removalPolicyOf(file, o), file };
}

function expandRule(file: string, field: string, principal: string, rule: any): AclBinding[] {
  const r = rule?.resource ?? {};
  const resourceType = r.type as LiveAclResourceType;
  if (!(resourceType in RESOURCE_TYPE_CODE)) return fail(file, `${field}.resource.type`, `unknown resource type '${r.type}' (topic, group, cluster, transactionalId)`);
  const resourceName = resourceType === 'cluster' ? CLUSTER_RESOURCE_NAME : r.name;
  if (typeof resourceName !== 'string' || resourceName.length === 0) return fail(file, `${field}.resource.name`, `a ${resourceType} ACL needs a name`);
  const patternType = resourceType === 'cluster' ? 'literal' : (r.patternType ?? 'literal');
  if (patternType !== 'literal' && patternType !== 'prefix') return fail(file, `${field}.resource.patternType`, `'${patternType}' is not literal or prefix`);
  // Strimzi v1beta2 also had a single `operation` (deprecated); accept both.
  const ops: unknown[] = Array.isArray(rule.operations) ? rule.operations : rule.operation !== undefined ? [rule.operation] : [];
  if (ops.length === 0) return fail(file, `${field}.operations`, 'no operations');
  const permission = rule.type ?? 'allow';
  if (permission !== 'allow' && permission !== 'deny') return fail(file, `${field}.type`, `'${permission}' is not allow or deny`);
  const host = rule.host ?? '*';
  return ops.map((op) => {
    if (typeof op !== 'string' || !(op in OPERATION_CODE)) return fail(file, `${field}.operations`, `unknown operation '${String(op)}'`);
    return { principal, resourceType, resourceName, patternType, operation: op as LiveAclOperation, host: String(host), permission };
  });
}
