import { Compliance, objectRule, RuleLevel } from '../../../lib/policy/rule';
import { podLabelsOf, WORKLOAD_KINDS } from './pod-spec';

function selects(selector: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  if (selector.matchExpressions && selector.matchExpressions.length > 0) return false; // not judged: only label matches count
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

/** Every workload's pods are selected by a NetworkPolicy in their namespace. */
export const workloadNetworkPolicy = objectRule({
  id: 'DOP-K8S-004',
  level: RuleLevel.ERROR,
  description: 'Every workload is selected by a NetworkPolicy',
  rationale: 'Pods without a NetworkPolicy accept traffic from and send it to anywhere in the cluster.',
  remediation: 'Keep the default-deny NetworkPolicy of the workload constructs (networkPolicy: true) and declare ingress/egress peers; for objects of your own, add a NetworkPolicy.',
  scanners: { kubeLinter: ['non-isolated-pod'] },
  kinds: WORKLOAD_KINDS,
  evaluate: (o, ctx) => {
    if (o.object.kind === 'Job' && o.object.metadata.ownerReferences) return Compliance.NOT_APPLICABLE;
    const labels = podLabelsOf(o.object);
    const ns = o.object.metadata.namespace;
    const covered = ctx.objects('NetworkPolicy').some((np) => np.object.metadata.namespace === ns && selects((np.object.spec as any)?.podSelector, labels));
    return covered ? [] : [{ message: `no NetworkPolicy in namespace '${ns}' selects the pods of ${o.object.kind} '${o.object.metadata.name}': add one (default deny, explicit peers)` }];
  },
});
