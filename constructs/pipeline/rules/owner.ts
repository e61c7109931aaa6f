import { Compliance, objectRule, RuleLevel } from '../../../lib/policy/rule';

/** The annotation the Pipeline stamps on every object inside it (same key as OWNER_KEY). */
const OWNER_ANNOTATION = 'dataops.cdk8s.io/owner';
const OWNED_KINDS = ['KafkaTopic', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'KafkaConnector', 'KafkaConnect'];

/** Every topic and workload has an owner (in practice: is declared inside a Pipeline). */
export const hasOwner = objectRule({
  id: 'DOP-PIPELINE-002',
  level: RuleLevel.ERROR,
  description: 'Every topic, workload and connector has an owner (is inside a Pipeline)',
  rationale: 'Alerts, access requests and breaking changes need someone to go to; an object without an owner is nobody\'s to fix.',
  remediation: "Declare the construct inside a Pipeline with an owner (new Pipeline(env, 'orders', { owner: 'team-payments' })), or add the annotation dataops.cdk8s.io/owner through ObjectMetadata.",
  scanners: {
    kyverno: {
      rules: [{
        name: 'owner',
        match: { any: [{ resources: { kinds: OWNED_KINDS } }] },
        // Objects made by controllers (a CronJob's Jobs) carry ownerReferences instead.
        preconditions: { all: [{ key: '{{ length(request.object.metadata.ownerReferences || `[]`) }}', operator: 'Equals', value: 0 }] },
        validate: { message: `declare an owner: annotation ${OWNER_ANNOTATION}`, pattern: { metadata: { annotations: { [OWNER_ANNOTATION]: '?*' } } } },
      }],
    },
  },
  kinds: OWNED_KINDS,
  evaluate: ({ object }) => {
    if (object.metadata.annotations?.[OWNER_ANNOTATION]) return Compliance.COMPLIANT;
    return [{ message: `${object.kind} '${object.metadata.name}' has no owner: declare it inside a Pipeline with an owner` }];
  },
});
