import { Construct, IConstruct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { Environment } from '../../lib/platform';
import { NameRule, objectName } from '../../lib/names';
import { Artifacts } from '../../lib/synthesizer/artifacts';
import { toYaml } from '../../lib/synthesizer/yaml';
import { constructRef, instanceOf, propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { KafkaConnector } from '../kafka/connector';
import { IKafkaPrincipal } from '../kafka/principal';
import { Schema } from '../kafka/schema';
import { ITopic } from '../kafka/topic';
import { topicRef } from '../kafka/topic-ref';
import { Policies } from '../../lib/policy/policies';
import { addGovernanceReport } from './report';
import { maskingPack } from './rules';
import { ConnectTransform, describeRule, gatewayRule, MaskingRule, maskFieldTransforms } from './masking-rule';

/** Where Conduktor Gateway interceptors are written (outside `manifests/`: the gateway's CLI applies them). */
export const GATEWAY_DIR = 'gateway';

/** Options of the Conduktor Gateway interceptor a {@link MaskingPolicy} emits. */
export interface GatewayMaskingOptions {
  /** Virtual cluster the interceptor targets (`metadata.scope.vCluster`). @default - global (every client of the gateway) */
  readonly vCluster?: string;
  /** Interceptor priority (`spec.priority`, required by the gateway). @default 100 */
  readonly priority?: number;
  /** Schema Registry the interceptor reads Avro/Protobuf/JSON Schema records with. @default - the registry of the masked topics' schemas */
  readonly schemaRegistryUrl?: string;
}

/** Props of {@link MaskingPolicy}. */
export interface MaskingPolicyProps {
  /** The topics whose records are masked. Exactly one of `topics` and `schema`. @default - the topic of `schema` */
  readonly topics?: readonly ITopic[];
  /** The schema whose topic is masked. @default - `topics` */
  readonly schema?: Schema;
  /** Fields to mask (dotted for nested fields). */
  readonly fields: readonly string[];
  /** How a masked field is rewritten. */
  readonly rule: MaskingRule;
  /** Readers that see the clear values (apps, connectors, users that need them); named in the report. @default - none */
  readonly exempt?: readonly IKafkaPrincipal[];
  /**
   * The Single Message Transform that enforces the rule on Kafka Connect sinks when Apache Kafka's built-in
   * `MaskField` cannot (`hash`, `firstN`, `lastN`, `email`): a transform class your Connect image ships, with its
   * settings. @default - `MaskField` where it can express the rule, else none (reported as not enforced)
   */
  readonly connectTransform?: ConnectTransform;
  /** Also emit a Conduktor Gateway `FieldLevelDataMaskingPlugin` interceptor into `dist/gateway/<env>/`. @default false */
  readonly gateway?: boolean | GatewayMaskingOptions;
  /** Policy name (transform alias, interceptor name). @default - derived from the construct id */
  readonly name?: string;
}

const principalRef = constructRef<IKafkaPrincipal>((v) => !!v && typeof (v as IKafkaPrincipal).kafkaUser === 'object', 'a streaming app, a connector or a KafkaUser');
const rule = z.union([
  z.enum(['all', 'email', 'hash', 'null']),
  z.object({ firstN: z.number().int().min(1) }).strict(),
  z.object({ lastN: z.number().int().min(1) }).strict(),
]);
const propsSchema = strictPropsSchema<MaskingPolicyProps>()({
  topics: z.array(topicRef).min(1).optional(),
  schema: instanceOf(Schema, 'Schema').optional(),
  fields: z.array(z.string().min(1)).min(1),
  rule,
  exempt: z.array(principalRef).optional(),
  connectTransform: z.object({ type: z.string().regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+(\$\w+)?$/, 'expected a fully qualified Java class name'), config: z.record(z.string(), z.string()).optional() }).strict().optional(),
  gateway: z.union([z.boolean(), z.object({ vCluster: z.string().min(1).optional(), priority: z.number().int().min(0).optional(), schemaRegistryUrl: z.string().url().optional() }).strict()]).optional(),
  name: z.string().optional(),
});

/** How one reader of a masked field gets it. */
export interface MaskingEnforcement {
  /** The reader (a connector, a streaming app, a KafkaUser). */
  readonly reader: IKafkaPrincipal;
  /** `exempt`: sees clear values by decision; `connector`: a transform masks before the sink writes; `gateway`: the interceptor masks for clients of the gateway; `none`: the reader sees clear values. */
  readonly enforcement: 'exempt' | 'connector' | 'gateway' | 'none';
  /** Where or why, for the report. */
  readonly detail: string;
}

/**
 * Masks fields of a topic's records for the readers that must not see them, and says for every reader where that is
 * enforced and where not:
 *
 * - Kafka Connect sinks that read the topic get a Single Message Transform on their KafkaConnector automatically:
 *   Apache Kafka's `MaskField$Value` for `'all'` and `'null'`, or `connectTransform` for rules it cannot express;
 * - with `gateway`, a Conduktor Gateway `FieldLevelDataMaskingPlugin` interceptor (written to
 *   `dist/gateway/<env>/<name>.yaml`) masks for every client that consumes through the gateway;
 * - `exempt` readers see clear values and are named in the report; every other reader without enforcement is a
 *   finding of rule DOP-GOV-001.
 *
 * ```ts
 * new MaskingPolicy(pipeline, 'mask-email', { schema: ordersValue, fields: ['customerEmail'], rule: 'all',
 *   exempt: [validator] });
 * ```
 */
export class MaskingPolicy extends Construct {
  /** All masking policies under a scope (an environment), in tree order. */
  public static of(scope: IConstruct): MaskingPolicy[] {
    return scope.node.findAll().filter((c): c is MaskingPolicy => c instanceof MaskingPolicy);
  }

  public readonly policyName: string;
  public readonly topics: readonly ITopic[];
  public readonly fields: readonly string[];
  public readonly rule: MaskingRule;
  public readonly exempt: readonly IKafkaPrincipal[];
  public readonly connectTransform?: ConnectTransform;
  /** The gateway options, when the policy emits an interceptor. */
  public readonly gateway?: GatewayMaskingOptions;
  private attached = false;

  constructor(scope: Construct, id: string, props: MaskingPolicyProps) {
    super(scope, id);
    const p = validateProps(this, propsSchema, props);
    if ((props.topics === undefined) === (props.schema === undefined)) {
      throw new ValidationError(this, props.topics ? 'schema' : 'topics', "give exactly one of 'topics' and 'schema'");
    }
    this.topics = props.topics ? [...props.topics] : [props.schema!.topic];
    const prefix = this.topics.find((t) => t.isPrefix);
    if (prefix) throw new ValidationError(this, 'topics', `'${prefix.topicName}*' is a prefix: mask named topics`);
    this.policyName = objectName(this, p.name, NameRule.DNS_LABEL);
    this.fields = [...new Set(p.fields)];
    this.rule = p.rule as MaskingRule;
    this.exempt = [...(props.exempt ?? [])];
    this.connectTransform = props.connectTransform;
    this.gateway = props.gateway === true ? {} : props.gateway || undefined;
    // Sinks may be declared after the policy: transforms are attached when the tree is complete (validation runs
    // before any object is rendered), and the connectors render their config lazily.
    this.node.addValidation({ validate: () => { this.attachTransforms(); return []; } });
    Policies.require(this, maskingPack);
    addGovernanceReport(this);
    if (this.gateway) {
      const env = Environment.of(this);
      Artifacts.add(this, { path: `${GATEWAY_DIR}/${env.name}/${this.policyName}.yaml`, render: () => toYaml(this.interceptor()) });
      for (const principal of this.exempt) {
        const user = principal.kafkaUser.userName;
        Artifacts.add(this, { path: `${GATEWAY_DIR}/${env.name}/${this.policyName}.exempt.${user}.yaml`, render: () => toYaml(this.interceptor(user)) });
      }
    }
  }

  /** The connectors that read a masked topic (in tree order of the environment). */
  public get sinks(): KafkaConnector[] {
    return Environment.of(this).node.findAll().filter((c): c is KafkaConnector => c instanceof KafkaConnector && c.reads.some((t) => this.topics.includes(t)));
  }

  /** The transforms a connector gets for this policy, or why it gets none. */
  public transformsFor(connector: KafkaConnector): ConnectTransform[] | string {
    if (this.exempt.includes(connector)) return 'exempt';
    if (this.connectTransform) return [this.connectTransform];
    const types = new Map<string, string>();
    for (const s of schemasOf(this, this.topics)) for (const f of s.fields) types.set(f.name, f.type);
    return maskFieldTransforms(this.rule, this.fields.map((name) => ({ name, type: types.get(name) })));
  }

  /** For every reader of a masked topic (Kafka read grants), how the masked fields reach it. */
  public enforcement(): MaskingEnforcement[] {
    const readers: IKafkaPrincipal[] = [];
    for (const t of this.topics) for (const a of t.accesses) if (a.access === 'read' && !readers.includes(a.principal)) readers.push(a.principal);
    return readers.map((reader) => {
      if (this.exempt.includes(reader)) return { reader, enforcement: 'exempt' as const, detail: 'exempt: reads clear values' };
      if (reader instanceof KafkaConnector) {
        const t = this.transformsFor(reader);
        if (typeof t !== 'string') {
          return { reader, enforcement: 'connector' as const, detail: `transform ${t.map((x) => x.type.split('.').pop()).join(' + ')} on connector ${reader.connectorName}` };
        }
        const gw = this.gatewayDetail();
        if (typeof gw !== 'string') return { reader, enforcement: 'gateway' as const, detail: `not enforced on the connector (${t}); ${gw.detail}` };
        return { reader, enforcement: 'none' as const, detail: `not enforced on the connector: ${t}` };
      }
      const gw = this.gatewayDetail();
      if (typeof gw !== 'string') return { reader, enforcement: 'gateway' as const, detail: gw.detail };
      return { reader, enforcement: 'none' as const, detail: `no enforcement: ${gw}` };
    });
  }

  /** The rule as text (`all`, `lastN(4)`). */
  public get ruleText(): string {
    return describeRule(this.rule);
  }

  private gatewayDetail(): { detail: string } | string {
    if (!this.gateway) return 'the reader consumes the topic directly, and only Kafka Connect sinks get a masking transform (add it to exempt, mask upstream, or set gateway and consume through Conduktor Gateway)';
    const r = gatewayRule(this.rule);
    if (typeof r === 'string') return r;
    return { detail: `masked by Conduktor Gateway interceptor ${this.policyName} for clients that consume through the gateway` };
  }

  private attachTransforms(): void {
    if (this.attached) return;
    this.attached = true;
    for (const c of this.sinks) {
      const t = this.transformsFor(c);
      if (typeof t === 'string') continue;
      t.forEach((x, i) => c.addTransform(`${this.policyName}${t.length > 1 ? `-${i + 1}` : ''}`, { ...x.config, type: x.type }));
    }
  }

  /**
   * The Conduktor Gateway resource (`apiVersion: gateway/v2`, `kind: Interceptor`) as documented in
   * https://docs.conduktor.io/gateway/reference/resources-reference (Interceptor: `metadata.name`, optional
   * `metadata.scope`, `spec.pluginClass`, `spec.priority`, `spec.config`), with the `FieldLevelDataMaskingPlugin`
   * config of https://docs.conduktor.io/gateway/interceptors/data-security/data-masking (`topic` regex, `policies`
   * of `name`/`rule`/`fields`, `schemaRegistryConfig.host`).
   *
   * With `exemptUsername`: the same interceptor scoped to that user (`metadata.scope.username`); Conduktor's targeting
   * lets a same-named interceptor with a narrower scope override the global one for that scope (precedence: username,
   * group, virtual cluster, global), and this override's `topic` pattern matches no topic, so the exempt reader gets
   * clear values through the gateway too.
   */
  public interceptor(exemptUsername?: string): Record<string, unknown> {
    const gw = this.gateway ?? {};
    const r = gatewayRule(this.rule);
    const registry = gw.schemaRegistryUrl ?? schemasOf(this, this.topics)[0]?.registry.url;
    return {
      apiVersion: 'gateway/v2',
      kind: 'Interceptor',
      metadata: { name: this.policyName, ...(gw.vCluster || exemptUsername ? { scope: { ...(gw.vCluster ? { vCluster: gw.vCluster } : {}), ...(exemptUsername ? { username: exemptUsername } : {}) } } : {}) },
      spec: {
        pluginClass: 'io.conduktor.gateway.interceptor.FieldLevelDataMaskingPlugin',
        priority: gw.priority ?? 100,
        config: {
          // An exempt user's override matches no topic ('^$': topic names are never empty), so nothing is masked for it.
          topic: exemptUsername ? '^$' : `^(${this.topics.map((t) => t.topicName.replace(/\./g, '\\.')).join('|')})$`,
          ...(registry ? { schemaRegistryConfig: { host: registry } } : {}),
          // A rule the plugin cannot express gets no policy (the report says so): the interceptor then masks nothing.
          policies: typeof r === 'string' ? [] : [{ name: `${this.policyName} (${this.ruleText})`, rule: r, fields: [...this.fields] }],
        },
      },
    };
  }
}

/** The value schemas of the given topics in the scope's environment. */
export function schemasOf(scope: IConstruct, topics: readonly ITopic[]): Schema[] {
  return Environment.of(scope).node.findAll()
    .filter((c): c is Schema => c instanceof Schema && topics.includes(c.topic) && c.subject.endsWith('-value'));
}
