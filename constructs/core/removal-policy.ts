/**
 * What happens to the real thing (a topic and its data, a schema subject) when its construct is removed from the
 * code. Deletion is opt-in.
 */
export enum RemovalPolicy {
  /** Keep it: GitOps tools never prune the object, `synth kafka apply --prune` never deletes it. */
  RETAIN = 'retain',
  /** Let GitOps prune it (Strimzi then deletes the topic and its data) and allow `synth kafka apply --prune`. */
  DESTROY = 'destroy',
}

/** Annotation recording the removal policy of an object (read by `synth kafka` and reviewers). */
export const REMOVAL_POLICY_ANNOTATION = 'dataops.cdk8s.io/removal-policy';

/** The annotations that implement a removal policy for Argo CD, Flux and the `synth kafka` commands. */
export function removalPolicyAnnotations(policy: RemovalPolicy): Readonly<Record<string, string>> {
  return policy === RemovalPolicy.DESTROY ? DESTROY_ANNOTATIONS : RETAIN_ANNOTATIONS;
}

// Shared by every object (an object's metadata copies them): one map per object was 4 MB at 50,000 topics.
const DESTROY_ANNOTATIONS: Readonly<Record<string, string>> = Object.freeze({ [REMOVAL_POLICY_ANNOTATION]: 'destroy' });
const RETAIN_ANNOTATIONS: Readonly<Record<string, string>> = Object.freeze({
  [REMOVAL_POLICY_ANNOTATION]: 'retain',
  'argocd.argoproj.io/sync-options': 'Prune=false',
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
});
