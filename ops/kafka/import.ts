/**
 * `synth kafka import`: reads an existing cluster's topics (topic-level overrides only) and ACLs and writes
 * TypeScript that declares them with our constructs (see ./import-code.ts for how the code is shaped), so a team
 * adopts the tool without retyping. The generated code synthesizes to a dist whose plan against the same cluster
 * is empty, and everything in it is RemovalPolicy.RETAIN.
 *
 * What cannot be expressed is written as a comment with the reason (never silently dropped): principals
 * that are not `User:<k8s-name>` or `User:CN=<k8s-name>`, ACLs outside Strimzi's vocabulary, configs the
 * constructs do not accept, sensitive overrides, topics whose Kubernetes names would collide.
 */
import { LiveKafka } from './client';
import { ImportCodeWriter } from './import-code';
import { isInternalTopic } from './model';
import { ClusterSnapshot, readCluster } from './reader';

/** Options of {@link generateImportCode}. */
export interface ImportOptions {
  /** Only topics (and topic ACLs) whose name matches. @default - every topic except internal ones (`__*`) */
  readonly include?: RegExp;
  /** The Environment construct id. @default 'prod' */
  readonly env?: string;
  /** The Strimzi cluster name (`strimzi.io/cluster`). @default 'main' */
  readonly clusterName?: string;
  /** The namespace of the Kafka objects. @default 'kafka' */
  readonly namespace?: string;
  /** The bootstrap servers written into the KafkaCluster reference. */
  readonly bootstrap: string;
  /** The module the constructs are imported from. @default 'cdk8s-dataops' */
  readonly moduleName?: string;
  /** Group topics into Pipelines by the first segment of their names (`payments.` → pipeline `payments`). @default true */
  readonly pipelines?: boolean;
}

/** What was imported. */
export interface ImportResult {
  readonly code: string;
  readonly topics: number;
  readonly users: number;
  /** ACL bindings declared (by grants or addAcl). */
  readonly acls: number;
  /** Things written as comments, not code. */
  readonly skipped: readonly string[];
  /** Settings imported as found that deserve a look (e.g. min.insync.replicas above the replication factor). */
  readonly findings: readonly string[];
}

/** The part of a cluster snapshot import reads. */
export type ImportSnapshot = Pick<ClusterSnapshot, 'topics' | 'acls' | 'foreignAcls'>;

/** Reads the cluster and generates the code. */
export async function importCluster(live: LiveKafka, options: ImportOptions): Promise<ImportResult> {
  const probe = await readCluster(live, { configsFor: [] });
  const names = [...probe.topics.keys()].filter((n) => !isInternalTopic(n) && (!options.include || options.include.test(n)));
  const snapshot = await readCluster(live, { configsFor: names });
  return generateImportCode(snapshot, options);
}

/** Generates the TypeScript for a cluster snapshot (pure; used by {@link importCluster}). */
export function generateImportCode(snapshot: ImportSnapshot, options: ImportOptions): ImportResult {
  return new ImportCodeWriter(snapshot, options).write();
}
