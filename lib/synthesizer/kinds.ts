/**
 * Which kinds are cluster-scoped (they have no namespace and go to `manifests/<env>/_cluster/`).
 * Kubernetes' own cluster-scoped kinds are known here; domain modules register their CRDs' kinds.
 */
const clusterScoped = new Set<string>([
  '/Namespace', '/Node', '/PersistentVolume',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition', 'storage.k8s.io/StorageClass', 'storage.k8s.io/CSIDriver',
  'scheduling.k8s.io/PriorityClass', 'networking.k8s.io/IngressClass', 'node.k8s.io/RuntimeClass',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration', 'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'apiregistration.k8s.io/APIService', 'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration', 'certificates.k8s.io/CertificateSigningRequest',
]);

/** Declares a kind cluster-scoped, e.g. `registerClusterScopedKind('kyverno.io', 'ClusterPolicy')`. */
export function registerClusterScopedKind(apiGroup: string, kind: string): void {
  clusterScoped.add(`${apiGroup}/${kind}`);
}

/** Whether objects of this group and kind are cluster-scoped. */
export function isClusterScoped(apiGroup: string, kind: string): boolean {
  return clusterScoped.has(`${apiGroup}/${kind}`);
}
