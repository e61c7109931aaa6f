import { PolicyPack } from '../../lib/policy/pack';
import { NO_PLAINTEXT_SECRET, OBJECT_DELETED } from '../../lib/synthesizer/rules';
import { governanceRecommendedRules } from '../governance/rules';
import { cronJobConcurrency } from '../k8s/rules/cronjob-concurrency';
import { imageTagged, productionImageDigest } from '../k8s/rules/image-pinned';
import { K8S_SAFETY_PACK } from '../k8s/rules/safety-pack';
import { workloadNetworkPolicy } from '../k8s/rules/workload-network-policy';
import { workloadResources } from '../k8s/rules/workload-resources';
import { workloadSecurity } from '../k8s/rules/workload-security';
import { connectorErrorPolicy } from '../kafka/rules/connector-error-policy';
import { noWildcardAcl } from '../kafka/rules/no-wildcard-acl';
import { productionSchemaCompatibility } from '../kafka/rules/production-schema-compatibility';
import { productionTopicDurability } from '../kafka/rules/production-topic-durability';
import { productionTopicRetain } from '../kafka/rules/production-topic-retain';
import { KAFKA_SAFETY_PACK } from '../kafka/rules/safety-pack';
import { DEFAULT_TOPIC_NAME_PATTERN, topicNaming } from '../kafka/rules/topic-naming';
import { consumerLagAlerted } from '../pipeline/rules/consumer-lag-alerted';
import { hasOwner } from '../pipeline/rules/owner';
import { PIPELINE_SAFETY_PACK } from '../pipeline/rules/safety-pack';

/** Options of {@link PolicyPacks.recommended}. */
export interface RecommendedPackOptions {
  /** The topic naming convention (DOP-KAFKA-012). @default `<domain>.<dataset>.v<N>` */
  readonly topicNamePattern?: RegExp;
  /** A topic name that follows `topicNamePattern`, shown in messages. @default 'payments.orders.v1' */
  readonly topicNameExample?: string;
}

/** Policy packs that come with the library. A team's own pack is a plain {@link PolicyPack} object. */
export class PolicyPacks {
  /**
   * The recommended pack: ownership, durable and protected production topics, a topic naming convention, no
   * wildcard ACLs, no plaintext secrets, compatible production schemas, PII masked with bounded retention, lag alerts
   * for production consumer groups, hardened workloads with a NetworkPolicy, pinned images, connector error
   * policies, safe CronJobs. Every rule is documented in docs/rules.md.
   *
   * ```ts
   * Policies.of(platform).add(PolicyPacks.recommended());
   * ```
   */
  public static recommended(options: RecommendedPackOptions = {}): PolicyPack {
    return {
      name: 'recommended',
      description: 'cdk8s-dataops recommended rules',
      rules: [
        NO_PLAINTEXT_SECRET,
        ...K8S_SAFETY_PACK.rules, workloadSecurity, workloadResources, workloadNetworkPolicy, imageTagged, productionImageDigest, cronJobConcurrency,
        ...KAFKA_SAFETY_PACK.rules, productionTopicDurability, productionTopicRetain,
        topicNaming(options.topicNamePattern ?? DEFAULT_TOPIC_NAME_PATTERN, options.topicNameExample), noWildcardAcl, productionSchemaCompatibility, connectorErrorPolicy,
        ...PIPELINE_SAFETY_PACK.rules, hasOwner, consumerLagAlerted,
        ...governanceRecommendedRules,
      ],
      detectors: [OBJECT_DELETED, ...KAFKA_SAFETY_PACK.detectors ?? []],
    };
  }

  private constructor() {}
}
