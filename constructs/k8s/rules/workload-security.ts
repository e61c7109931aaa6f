import { objectRule, RuleLevel, Violation } from '../../../lib/policy/rule';
import { containersOf, podSpecOf, WORKLOAD_KINDS } from './pod-spec';

/** Workloads run hardened: non-root, read-only root filesystem, all capabilities dropped, no service-account token. */
export const workloadSecurity = objectRule({
  id: 'DOP-K8S-002',
  level: RuleLevel.ERROR,
  description: 'Workloads run non-root with a read-only root filesystem, all capabilities dropped and no service-account token',
  rationale: 'A compromised container with root, a writable filesystem, capabilities or an API token can escalate to the node or the cluster.',
  remediation: 'Keep the secure defaults of the workload constructs (do not override securityContext); mount emptyDir volumes for paths that must be writable.',
  scanners: { checkov: ['CKV_K8S_22', 'CKV_K8S_28', 'CKV_K8S_38', 'CKV_K8S_23'], kubeLinter: ['run-as-non-root', 'no-read-only-root-fs'] },
  kinds: WORKLOAD_KINDS,
  evaluate: ({ object }) => {
    const pod = podSpecOf(object);
    if (!pod) return [];
    const out: Violation[] = [];
    if (pod.spec.automountServiceAccountToken !== false) out.push({ field: `${pod.path}.automountServiceAccountToken`, message: 'the pod mounts a service-account token: set automountServiceAccountToken: false' });
    const podNonRoot = pod.spec.securityContext?.runAsNonRoot === true;
    for (const { container, path } of containersOf(object)) {
      const sc = container.securityContext ?? {};
      if (!(sc.runAsNonRoot === true || (podNonRoot && sc.runAsNonRoot !== false)) || sc.runAsUser === 0) out.push({ field: `${path}.securityContext.runAsNonRoot`, message: `container '${container.name}' may run as root: set runAsNonRoot: true` });
      if (sc.readOnlyRootFilesystem !== true) out.push({ field: `${path}.securityContext.readOnlyRootFilesystem`, message: `container '${container.name}' has a writable root filesystem: set readOnlyRootFilesystem: true` });
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push({ field: `${path}.securityContext.capabilities.drop`, message: `container '${container.name}' keeps Linux capabilities: drop ALL` });
      if (sc.privileged === true || sc.allowPrivilegeEscalation !== false) out.push({ field: `${path}.securityContext.allowPrivilegeEscalation`, message: `container '${container.name}' allows privilege escalation: set allowPrivilegeEscalation: false` });
    }
    return out;
  },
});
