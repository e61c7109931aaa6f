import { objectRule, RuleLevel, Violation } from '../../../lib/policy/rule';
import { containersOf, WORKLOAD_KINDS } from './pod-spec';

/** Containers declare CPU and memory requests and a memory limit. */
export const workloadResources = objectRule({
  id: 'DOP-K8S-003',
  level: RuleLevel.ERROR,
  description: 'Containers have CPU and memory requests and limits',
  rationale: 'Without requests the scheduler overcommits nodes; without limits one container can starve its neighbours or be OOM-killed unpredictably.',
  remediation: "Set resources: { cpu: { request, limit }, memory: { request, limit } } on the workload (the constructs' defaults do).",
  scanners: { checkov: ['CKV_K8S_10', 'CKV_K8S_11', 'CKV_K8S_12', 'CKV_K8S_13'], kubeLinter: ['unset-cpu-requirements', 'unset-memory-requirements'] },
  kinds: WORKLOAD_KINDS,
  evaluate: ({ object }) => {
    const out: Violation[] = [];
    for (const { container, path } of containersOf(object)) {
      const missing = [['requests', 'cpu'], ['requests', 'memory'], ['limits', 'cpu'], ['limits', 'memory']]
        .filter(([kind, res]) => (container.resources as any)?.[kind]?.[res] === undefined).map(([kind, res]) => `${kind}.${res}`);
      if (missing.length > 0) out.push({ field: `${path}.resources`, message: `container '${container.name}' has no ${missing.join(', ')}: set requests and limits` });
    }
    return out;
  },
});
