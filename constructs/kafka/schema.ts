import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { Environment } from '../../lib/platform';
import { toKubernetesName, validateName } from '../../lib/names';
import { PreviousOutput } from '../../lib/synthesizer/previous';
import { validateProps } from '../../lib/validation';
import { RemovalPolicy, removalPolicyAnnotations } from '../core/removal-policy';
import { Job } from '../k8s/job';
import { NetworkPort } from '../k8s/network-policy';
import { Volume } from '../k8s/volumes';
import { canonicalDefinition, checkDefinition, Compatibility, SchemaFormat } from './schema-compatibility';
import { SchemaRegistry } from './schema-registry';
import { ITopic } from './topic';

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
}

const propsSchema = z.object({
  registry: z.custom<SchemaRegistry>((v) => v instanceof SchemaRegistry, 'expected a SchemaRegistry (SchemaRegistry.fromUrl)'),
  topic: z.custom<ITopic>((v) => !!v && typeof (v as ITopic).topicName === 'string', 'expected a Topic'),
  part: z.enum(['key', 'value']).optional(),
  type: z.enum(['AVRO', 'JSON', 'PROTOBUF']).optional(),
  definition: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  compatibility: z.enum(Compatibility).optional(),
  removalPolicy: z.enum(RemovalPolicy).optional(),
}).strict();

/**
 * A schema subject in a Confluent-compatible registry (subject `<topic>-value` or `<topic>-key`).
 *
 * The code holds the latest definition; the committed dist holds every version registered so far (a ConfigMap
 * `schema-<subject>` with `v0001.avsc`, `v0002.avsc`, ...). A changed definition becomes a new version, and synth
 * fails when it breaks the subject's compatibility level. A registration Job (an Argo CD Sync hook) sets the
 * compatibility level and registers the versions in order; registering an existing version is a no-op.
 */
export class Schema extends Construct {
  public readonly subject: string;
  public readonly format: SchemaFormat;
  public readonly compatibility: Compatibility;
  /** The latest definition, canonical text. */
  public readonly definition: string;
  /** Name of the version-history ConfigMap. */
  public readonly configMapName: string;
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
            data[versionKey(i + 1, 'payload.json')] = JSON.stringify({ schemaType: this.format, schema: d }) + '\n';
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
        resources: { cpu: { request: '10m', limit: '100m' }, memory: { request: '16Mi', limit: '64Mi' } } as any,
      }],
      egress: [{ peer: registry.peer, ports: [NetworkPort.tcp(registry.port)] }],
    });
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
