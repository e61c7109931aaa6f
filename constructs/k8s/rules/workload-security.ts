import { objectRule, RuleLevel, Violation } from '../../../lib/policy/rule';
import { containersOf, podSpecOf, WORKLOAD_KINDS } from './pod-spec';

const POD = { any: [{ resources: { kinds: ['Pod'] } }] };
const ALL_CONTAINERS = 'request.object.spec.[ephemeralContainers, initContainers, containers][]';

/**
 * The same checks for Kyverno, on Pods (Kyverno extends Pod rules to Deployments, StatefulSets, Jobs, CronJobs …).
 * Patterns: https://kyverno.io/docs/writing-policies/validate/ (`=(field)` = checked only when present).
 */
const WORKLOAD_SECURITY_KYVERNO = [
  {
    name: 'no-service-account-token',
    match: POD,
    validate: { message: 'set automountServiceAccountToken: false on the pod', pattern: { spec: { automountServiceAccountToken: false } } },
  },
  {
    name: 'run-as-non-root',
    match: POD,
    validate: {
      message: 'containers must run as non-root: set runAsNonRoot: true (pod or every container) and no runAsUser 0',
      anyPattern: [
        { spec: { 'securityContext': { runAsNonRoot: true }, '=(initContainers)': [{ '=(securityContext)': { '=(runAsNonRoot)': true, '=(runAsUser)': '>0' } }], 'containers': [{ '=(securityContext)': { '=(runAsNonRoot)': true, '=(runAsUser)': '>0' } }] } },
        { spec: { '=(initContainers)': [{ securityContext: { 'runAsNonRoot': true, '=(runAsUser)': '>0' } }], 'containers': [{ securityContext: { 'runAsNonRoot': true, '=(runAsUser)': '>0' } }] } },
      ],
    },
  },
  {
    name: 'read-only-root-no-escalation',
    match: POD,
    validate: {
      message: 'containers need readOnlyRootFilesystem: true and allowPrivilegeEscalation: false, and must not be privileged',
      pattern: {
        spec: {
          '=(initContainers)': [{ securityContext: { 'readOnlyRootFilesystem': true, 'allowPrivilegeEscalation': false, '=(privileged)': false } }],
          'containers': [{ securityContext: { 'readOnlyRootFilesystem': true, 'allowPrivilegeEscalation': false, '=(privileged)': false } }],
        },
      },
    },
  },
  {
    name: 'drop-all-capabilities',
    match: POD,
    validate: {
      message: 'containers must drop ALL capabilities',
      foreach: [{ list: ALL_CONTAINERS, deny: { conditions: { all: [{ key: 'ALL', operator: 'AnyNotIn', value: '{{ element.securityContext.capabilities.drop[] || `[]` }}' }] } } }],
    },
  },
];

/** Workloads run hardened: non-root, read-only root filesystem, all capabilities dropped, no service-account token. */
export const workloadSecurity = objectRule({
  id: 'DOP-K8S-002',
  level: RuleLevel.ERROR,
  description: 'Workloads run non-root with a read-only root filesystem, all capabilities dropped and no service-account token',
  rationale: 'A compromised container with root, a writable filesystem, capabilities or an API token can escalate to the node or the cluster.',
  remediation: 'Keep the secure defaults of the workload constructs (do not override securityContext); mount emptyDir volumes for paths that must be writable.',
  scanners: {
    checkov: ['CKV_K8S_22', 'CKV_K8S_28', 'CKV_K8S_38', 'CKV_K8S_23', 'CKV_K8S_20'],
    // kube-linter check names: pkg/builtinchecks/yamls/*.yaml `name` in stackrox/kube-linter
    kubeLinter: ['run-as-non-root', 'no-read-only-root-fs', 'privilege-escalation-container', 'drop-net-raw-capability', 'automount-service-account-token'],
    checkovByField: {
      '.automountServiceAccountToken': ['CKV_K8S_38'],
      '.securityContext.runAsNonRoot': ['CKV_K8S_23'],
      '.securityContext.readOnlyRootFilesystem': ['CKV_K8S_22'],
      '.securityContext.capabilities.drop': ['CKV_K8S_28'],
      '.securityContext.allowPrivilegeEscalation': ['CKV_K8S_20'],
    },
    kubeLinterByField: {
      '.automountServiceAccountToken': ['automount-service-account-token'],
      '.securityContext.runAsNonRoot': ['run-as-non-root'],
      '.securityContext.readOnlyRootFilesystem': ['no-read-only-root-fs'],
      '.securityContext.capabilities.drop': ['drop-net-raw-capability'],
      '.securityContext.allowPrivilegeEscalation': ['privilege-escalation-container'],
    },
    kyverno: { rules: WORKLOAD_SECURITY_KYVERNO },
  },
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
