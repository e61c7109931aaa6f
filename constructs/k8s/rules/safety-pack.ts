import { PolicyPack } from '../../../lib/policy/pack';
import { noPlaintextEnvCredential } from './no-plaintext-env-credential';

/**
 * The workload rules every platform with workloads gets, whatever packs it chooses. Added by the workload
 * constructs themselves (`Policies.require(this, K8S_SAFETY_PACK)`), not by importing a module.
 */
export const K8S_SAFETY_PACK: PolicyPack = {
  name: 'k8s-safety',
  description: 'Plaintext credentials in container environments',
  rules: [noPlaintextEnvCredential],
};
