import { objectRule, RuleLevel, Violation } from '../../../lib/policy/rule';

/** No allow ACL on every resource or on the cluster without an acknowledgement. */
export const noWildcardAcl = objectRule({
  id: 'DOP-KAFKA-013',
  level: RuleLevel.ERROR,
  description: 'No wildcard (`*`, empty prefix) or cluster-wide allow ACLs',
  rationale: 'A wildcard or cluster ACL grants access to every topic or group, present and future, including other teams\' data.',
  remediation: 'Grant per topic with topic.grantRead/grantWrite (least privilege); for an admin or tooling user, acknowledge DOP-KAFKA-013 on it with the reason.',
  kinds: ['KafkaUser'],
  evaluate: ({ object }) => {
    const acls = ((object.spec as any)?.authorization?.acls ?? []) as { resource?: { type?: string; name?: string; patternType?: string }; type?: string; operations?: string[] }[];
    const out: Violation[] = [];
    acls.forEach((acl, i) => {
      if ((acl.type ?? 'allow') !== 'allow') return;
      const r = acl.resource ?? {};
      const wildcard = r.name === '*' || (r.patternType === 'prefix' && r.name === '');
      if (r.type === 'cluster' || wildcard) {
        out.push({
          field: `spec.authorization.acls[${i}]`,
          message: `KafkaUser '${object.metadata.name}' is allowed ${(acl.operations ?? []).join(', ')} on ${r.type === 'cluster' ? 'the cluster' : `every ${r.type}`}: grant per resource, or acknowledge DOP-KAFKA-013 with the reason`,
        });
      }
    });
    return out;
  },
});
