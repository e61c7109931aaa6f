import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { Environment } from '../../lib/platform';
import { toKubernetesName, validateName } from '../../lib/names';
import { DataFlowGraph, IGraphContributor } from '../../lib/graph/graph';
import { PreviousOutput } from '../../lib/synthesizer/previous';
import { instanceOf, propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { RemovalPolicy, removalPolicyAnnotations } from '../core/removal-policy';
import { Job } from '../k8s/job';
import { NetworkPort } from '../k8s/network-policy';
import { Volume } from '../k8s/volumes';
import { canonicalDefinition, checkDefinition, Compatibility, SchemaFormat } from './schema-compatibility';
import { closestMatch } from '../../lib/did-you-mean';
import { SchemaRegistry } from './schema-registry';
import { SchemaField, schemaFields } from './schema-fields';
import { ITopic } from './topic';
import { topicRef } from './topic-ref';

/** Label that marks a ConfigMap as the version history of a schema subject. */
export const SCHEMA_SUBJECT_LABEL = 'dataops.cdk8s.io/schema-subject';
/** File extension per format in the version history. */
export const SCHEMA_EXTENSIONS: Readonly<Record<SchemaFormat, string>> = { AVRO: 'avsc', JSON: 'json', PROTOBUF: 'proto' };

/** Image of the registration Jobs (curl on busybox; runs as uid 100). */
const REGISTER_IMAGE = 'curlimages/curl:8.11.1';

/** Props of {@link Schema}. */
export interface SchemaProps {
  /** The registry to register the subject in. */
  readonly registry: SchemaRegistry;
  /** The topic whose records the schema describes (subject `<topic>-<part>`, TopicNameStrategy). */
  readonly topic: ITopic;
  /** Key or value schema. @default 'value' */
  readonly part?: 'key' | 'value';
  /** Schema format. @default 'AVRO' */
  readonly type?: SchemaFormat;
  /** The schema: Avro or JSON Schema as a JSON string or object, Protobuf as `.proto` text. */
  readonly definition: string | object;
  /** Compatibility level of the subject, checked at synth time against the versions in the committed dist. @default Compatibility.BACKWARD */
  readonly compatibility?: Compatibility;
  /** Whether the version history may be pruned by GitOps. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Classification of fields, by dotted field name: `{ email: 'pii', card_number: ['pii', 'pci'] }` (`pii`,
   * `sensitive`, `public` or a custom tag). Merged with the tags the definition carries inline
   * (`"confluent:tags": ["PII"]` on an Avro field or JSON Schema property). The tags follow the data through the
   * lineage graph and reach the registry as data-contract metadata (`metadata.tags`).
   * @default - only the inline tags
   */
  readonly classify?: Readonly<Record<string, string | readonly string[]>>;
}

/** A classification tag: a letter, then letters, digits, '_' or '-'. */
export const CLASSIFICATION_TAG = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

const propsSchema = strictPropsSchema<SchemaProps>()({
  registry: instanceOf(SchemaRegistry, 'SchemaRegistry (SchemaRegistry.fromUrl)'),
  topic: topicRef,
  part: z.enum(['key', 'value']).optional(),
  type: z.enum(['AVRO', 'JSON', 'PROTOBUF']).optional(),
  definition: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  compatibility: z.enum(Compatibility).optional(),
  removalPolicy: z.enum(RemovalPolicy).optional(),
  classify: z.record(z.string().min(1), z.union([z.string(), z.array(z.string()).min(1)])).optional(),
});

/**
 * A schema subject in a Confluent-compatible registry (subject `<topic>-value` or `<topic>-key`).
 *
 * The code holds the latest definition; the committed dist holds every version registered so far (a ConfigMap
 * `schema-<subject>` with `v0001.avsc`, `v0002.avsc`, ...). A changed definition becomes a new version, and synth
 * fails when it breaks the subject's compatibility level. A registration Job (an Argo CD Sync hook) sets the
 * compatibility level and registers the versions in order; registering an existing version is a no-op.
 */
export class Schema extends Construct implements IGraphContributor {
  public readonly subject: string;
  public readonly format: SchemaFormat;
  public readonly compatibility: Compatibility;
  /** The latest definition, canonical text. */
  public readonly definition: string;
  /** Name of the version-history ConfigMap. */
  public readonly configMapName: string;
  /** The topic the schema describes. */
  public readonly topic: ITopic;
  /** The registry the subject is registered in. */
  public readonly registry: SchemaRegistry;
  /** The fields of the latest definition (none for Protobuf). */
  public readonly fields: readonly SchemaField[];
  /** Classification tags by field (lower case), from `classify` and the inline `confluent:tags`. */
  public readonly fieldTags: Readonly<Record<string, readonly string[]>>;
  private versionsCache?: string[];

  constructor(scope: Construct, id: string, props: SchemaProps) {
    super(scope, id);
    const p = validateProps(this, propsSchema, props);
    if (props.topic.isPrefix) throw new ValidationError(this, 'topic', 'a schema belongs to one topic, not a prefix');
    this.format = p.type ?? 'AVRO';
    this.compatibility = p.compatibility ?? Compatibility.BACKWARD;
    this.subject = `${props.topic.topicName}-${p.part ?? 'value'}`;
    const raw = typeof p.definition === 'string' ? p.definition : JSON.stringify(p.definition);
    const problem = checkDefinition(this.format, raw);
    if (problem) throw new ValidationError(this, 'definition', problem);
    this.definition = this.format === 'PROTOBUF' ? raw.trim() + '\n' : JSON.stringify(JSON.parse(raw), null, 2) + '\n';
    this.topic = props.topic;
    this.registry = props.registry;
    this.fields = schemaFields(this.format, this.definition);
    this.fieldTags = classifyFields(this, this.fields, p.classify ?? {});
    const env = Environment.of(this);
    this.configMapName = validateName(this, 'topic', `schema-${toKubernetesName(this.subject, true)}`.slice(0, 253).replace(/[-.]+$/, ''));
    const namespace = env.namespace;
    const ext = SCHEMA_EXTENSIONS[this.format];

    new ApiObject(this, 'Versions', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: this.configMapName,
        namespace,
        labels: { [SCHEMA_SUBJECT_LABEL]: toKubernetesName(this.subject, true).slice(0, 63).replace(/[-.]+$/, '') },
        annotations: { ...removalPolicyAnnotations(p.removalPolicy ?? RemovalPolicy.RETAIN), 'dataops.cdk8s.io/subject': this.subject },
      },
      data: Lazy.any({
        produce: () => {
          const data: Record<string, string> = { subject: this.subject, schemaType: this.format, compatibility: this.compatibility };
          this.versions.forEach((d, i) => {
            data[versionKey(i + 1, ext)] = d;
            // The registration request body, JSON-encoded here so the Job needs no JSON tooling.
            // The latest version carries the classification as data-contract metadata (tags by field path), so
            // registry-side rules (field-level encryption, catalogs) see it; earlier versions are registered as they
            // were, so re-registering them stays a no-op.
            const latest = i === this.versions.length - 1 && Object.keys(this.fieldTags).length > 0;
            data[versionKey(i + 1, 'payload.json')] = JSON.stringify({ schemaType: this.format, schema: d, ...(latest ? { metadata: registryMetadata(this.fieldTags) } : {}) }) + '\n';
          });
          return data;
        },
      }),
    });

    const registry = props.registry;
    const env2: Record<string, any> = { REGISTRY_URL: registry.url, SUBJECT: this.subject, SCHEMA_TYPE: this.format, COMPATIBILITY: this.compatibility };
    if (registry.username && registry.password) {
      env2.REGISTRY_USERNAME = registry.username;
      env2.REGISTRY_PASSWORD = registry.password;
    }
    new Job(this, 'Register', {
      name: `register-${this.configMapName}`.slice(0, 63).replace(/[-.]+$/, '').replace(/\./g, '-'),
      syncHook: 'Sync',
      backoffLimit: 3,
      activeDeadlineSeconds: 300,
      volumes: [Volume.configMap('schemas', this.configMapName)],
      containers: [{
        name: 'register',
        image: REGISTER_IMAGE,
        command: ['/bin/sh', '-c', REGISTER_SCRIPT],
        env: env2,
        mounts: [{ volume: 'schemas', path: '/schemas' }],
        resources: { cpu: { request: '10m', limit: '100m' }, memory: { request: '16Mi', limit: '64Mi' } },
      }],
      egress: [{ peer: registry.peer, ports: [NetworkPort.tcp(registry.port)] }],
    });
  }

  /** Adds the fields and their classification to the topic's dataset in the data-flow graph (value schemas only). */
  public addToGraph(graph: DataFlowGraph): void {
    const id = (this.topic as { graphNodeId?: string }).graphNodeId;
    if (!id || !this.subject.endsWith('-value')) return;
    const parsed = this.fields.map((f) => ({ name: f.name, type: f.type, tags: this.fieldTags[f.name] ?? [] }));
    // Fields classified in a definition that is not parsed (Protobuf) are still classified, without a type.
    const unparsed = Object.keys(this.fieldTags).filter((f) => !this.fields.some((x) => x.name === f)).map((name) => ({ name, tags: this.fieldTags[name] }));
    graph.annotate(id, { fields: [...parsed, ...unparsed] });
  }

  /** Every version, oldest first: the versions in the committed dist, plus the code's definition when it is new. */
  public get versions(): string[] {
    if (this.versionsCache) return this.versionsCache;
    const env = Environment.of(this);
    const previous = PreviousOutput.of(this)?.readObject(env.name, { kind: 'ConfigMap', metadata: { name: this.configMapName, namespace: env.namespace } });
    const ext = SCHEMA_EXTENSIONS[this.format];
    const earlier = versionsOf(previous?.data as Record<string, string> | undefined, ext);
    const latest = earlier[earlier.length - 1];
    const same = latest !== undefined && canonicalDefinition(this.format, latest) === canonicalDefinition(this.format, this.definition);
    this.versionsCache = same ? earlier : [...earlier, this.definition];
    return this.versionsCache;
  }
}

/**
 * The `metadata` of a registration request (Confluent data contracts, Schema Registry 7.4+): `tags` maps a field path
 * to its tags (`{ "**.email": ["PII"] }`; `**` matches any record name). Tags are upper-cased, as Confluent's
 * catalog writes them (`PII`). Format: https://docs.confluent.io/platform/current/schema-registry/fundamentals/data-contracts.html
 */
export function registryMetadata(fieldTags: Readonly<Record<string, readonly string[]>>): { tags: Record<string, string[]> } {
  const tags: Record<string, string[]> = {};
  for (const f of Object.keys(fieldTags).sort()) tags[`**.${f}`] = fieldTags[f].map((t) => t.toUpperCase().replace(/-/g, '_'));
  return { tags };
}

/** Merges `classify` with the inline tags; a field `classify` names must exist in the definition (Protobuf: not checked). */
function classifyFields(scope: Construct, fields: readonly SchemaField[], classify: Readonly<Record<string, string | readonly string[]>>): Record<string, string[]> {
  const out = new Map<string, Set<string>>();
  const add = (f: string, t: string, where: string) => {
    if (!CLASSIFICATION_TAG.test(t)) throw new ValidationError(scope, where, `'${t}' is not a classification tag: use a letter, then letters, digits, '_' or '-' (e.g. 'pii')`);
    (out.get(f) ?? out.set(f, new Set()).get(f)!).add(t.toLowerCase());
  };
  for (const f of fields) for (const t of f.tags) add(f.name, t, 'definition');
  const names = fields.map((f) => f.name);
  for (const [field, tags] of Object.entries(classify)) {
    if (fields.length > 0 && !names.includes(field)) {
      const hint = closestMatch(field, names);
      throw new ValidationError(scope, `classify.${field}`, `the schema has no field '${field}'${hint ? ` (did you mean '${hint}'?)` : ''}; fields: ${names.join(', ')}`);
    }
    for (const t of typeof tags === 'string' ? [tags] : tags) add(field, t, `classify.${field}`);
  }
  return Object.fromEntries([...out.keys()].sort().map((f) => [f, [...out.get(f)!].sort()]));
}

/** `v0001.avsc` */
export function versionKey(n: number, ext: string): string {
  return `v${String(n).padStart(4, '0')}.${ext}`;
}

/** The versions stored in a history ConfigMap's data, oldest first. */
export function versionsOf(data: Record<string, string> | undefined, ext: string): string[] {
  if (!data) return [];
  const re = new RegExp(`^v(\\d+)\\.${ext}$`);
  return Object.keys(data).filter((k) => re.test(k)).sort((a, b) => Number(re.exec(a)![1]) - Number(re.exec(b)![1])).map((k) => data[k]);
}

/**
 * Sets the subject's compatibility level, then registers every version in order (the registry answers with the
 * existing id for a version it has). Request bodies are precomputed in the ConfigMap (`vNNNN.payload.json`).
 */
const REGISTER_SCRIPT = `set -eu
auth=""
if [ -n "\${REGISTRY_USERNAME:-}" ]; then auth="-u \${REGISTRY_USERNAME}:\${REGISTRY_PASSWORD}"; fi
ct="Content-Type: application/vnd.schemaregistry.v1+json"
curl -fsS $auth -X PUT -H "$ct" --data "{\\"compatibility\\":\\"$COMPATIBILITY\\"}" "$REGISTRY_URL/config/$SUBJECT"
echo
for f in $(ls /schemas | grep -E '^v[0-9]+[.]payload[.]json$' | sort); do
  echo "registering $SUBJECT $f"
  curl -fsS $auth -X POST -H "$ct" --data-binary "@/schemas/$f" "$REGISTRY_URL/subjects/$SUBJECT/versions"
  echo
done
`;
