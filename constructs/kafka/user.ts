import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { z } from 'zod';
import { objectName } from '../../lib/names';
import { propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { RemovalPolicy, removalPolicyAnnotations } from '../core/removal-policy';
import { KafkaUser as KafkaUserL1, KafkaUserSpecAuthenticationType, KafkaUserSpecAuthorization } from '../imports/strimzi-kafka.strimzi.io';
import { AclRule, aclRuleSchema, mergeAcls, NormalizedAcl, normalizeAcl, toStrimziAcl } from './acl';
import { IKafkaCluster, kafkaClusterRef, strimziLabels } from './cluster';
import { IKafkaPrincipal } from './principal';
import { useClusterApiVersion } from './strimzi-object';

/** Client quotas of a user (per broker). */
export interface KafkaUserQuotas {
  /** Bytes per second the user may produce. @default - no quota */
  readonly producerByteRate?: number;
  /** Bytes per second the user may fetch. @default - no quota */
  readonly consumerByteRate?: number;
  /** Share of broker network and I/O thread time, in percent. @default - no quota */
  readonly requestPercentage?: number;
  /** Partition mutations (create/delete topics, add partitions) per second. @default - no quota */
  readonly controllerMutationRate?: number;
}

/** Props of {@link KafkaUser}. */
export interface KafkaUserProps {
  /** The cluster the user belongs to. */
  readonly cluster: IKafkaCluster;
  /**
   * The user (and its credentials Secret) name.
   * @default - derived from the construct id
   */
  readonly name?: string;
  /**
   * How the user authenticates.
   * @default - the cluster's client authentication ('scram-sha-512' unless set on the cluster)
   */
  readonly authentication?: 'scram-sha-512' | 'tls' | 'tls-external';
  /** Client quotas. @default - none */
  readonly quotas?: KafkaUserQuotas;
  /**
   * Whether GitOps may delete the user (and its credentials) when it is removed from the code.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const propsSchema = strictPropsSchema<KafkaUserProps>()({
  cluster: kafkaClusterRef,
  name: z.string().optional(),
  authentication: z.enum(['scram-sha-512', 'tls', 'tls-external']).optional(),
  quotas: strictPropsSchema<KafkaUserQuotas>()({
    producerByteRate: z.number().int().min(0).optional(),
    consumerByteRate: z.number().int().min(0).optional(),
    requestPercentage: z.number().int().min(0).optional(),
    controllerMutationRate: z.number().min(0).optional(),
  }).optional(),
  removalPolicy: z.enum(RemovalPolicy).optional(),
});

/** `addAcl`'s argument (built once: a zod schema compiles itself on first use, which costs per instance). */
const addAclSchema = z.object({ acl: aclRuleSchema });

const AUTHENTICATION_TYPES = {
  'scram-sha-512': KafkaUserSpecAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512,
  'tls': KafkaUserSpecAuthenticationType.TLS,
  'tls-external': KafkaUserSpecAuthenticationType.TLS_HYPHEN_EXTERNAL,
};

/**
 * A Kafka principal managed by Strimzi's User Operator: credentials (a Secret named like the user), ACLs and quotas.
 * ACLs come from grants (`topic.grantRead(user)`), merged and minimal; `addAcl` is the escape hatch.
 */
export class KafkaUser extends Construct implements IKafkaPrincipal {
  /** The user name (KafkaUser object, credentials Secret and SCRAM user name). */
  public readonly userName: string;
  public readonly cluster: IKafkaCluster;
  public readonly authentication: 'scram-sha-512' | 'tls' | 'tls-external';
  public readonly kafkaUser: KafkaUser = this;
  private readonly acls: NormalizedAcl[] = [];

  constructor(scope: Construct, id: string, props: KafkaUserProps) {
    super(scope, id);
    const p = validateProps(this, propsSchema, props);
    this.cluster = props.cluster;
    this.userName = objectName(this, p.name);
    this.authentication = p.authentication ?? props.cluster.clientAuthentication;
    const quotas = p.quotas && Object.keys(p.quotas).length > 0 ? p.quotas : undefined;
    const l1 = new KafkaUserL1(this, 'Resource', {
      metadata: {
        name: this.userName,
        namespace: props.cluster.userNamespace,
        labels: strimziLabels(props.cluster),
        annotations: removalPolicyAnnotations(p.removalPolicy ?? RemovalPolicy.RETAIN),
      },
      spec: {
        authentication: { type: AUTHENTICATION_TYPES[this.authentication] },
        authorization: Lazy.any({
          produce: () => (this.acls.length === 0 ? undefined : { type: 'simple', acls: this.aclRules.map(toStrimziAcl) }),
        }) as unknown as KafkaUserSpecAuthorization, // cdk8s resolves Lazy values anywhere; the generated type cannot say so
        quotas,
      },
    });
    useClusterApiVersion(l1, props.cluster);
  }

  /** The Kafka principal the broker sees: `User:<name>` (SCRAM) or `User:CN=<name>` (TLS). */
  public get principal(): string {
    return this.authentication === 'scram-sha-512' ? `User:${this.userName}` : `User:CN=${this.userName}`;
  }

  /** Name of the Secret Strimzi creates with the user's credentials (`password`, `sasl.jaas.config`, or TLS files). */
  public get secretName(): string {
    return this.userName;
  }

  /** The merged ACL rules of this user (grants and raw rules), in emitted order. */
  public get aclRules(): NormalizedAcl[] {
    return mergeAcls(this.acls);
  }

  /**
   * Adds a raw ACL rule: the escape hatch when grants don't fit. Rules on the same resource merge.
   * Allowing on `*` needs `allowWildcard: true`.
   */
  public addAcl(rule: AclRule): void {
    const { acl } = validateProps(this, addAclSchema, { acl: rule });
    this.acls.push(normalizeAcl(acl));
  }
}
