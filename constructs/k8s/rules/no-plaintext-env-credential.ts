import { objectRule, RuleLevel } from '../../../lib/policy/rule';
import { isCredentialKey, isSecretReference } from './credential-keys';
import { containersOf, WORKLOAD_KINDS } from './pod-spec';

/** Credential-looking environment variables come from a Secret, never a literal value. */
export const noPlaintextEnvCredential = objectRule({
  id: 'DOP-K8S-001',
  level: RuleLevel.ERROR,
  description: 'No credential-looking environment variable with a literal value (password, secret, token, …)',
  rationale: 'A literal value in a container env lands in dist, which is committed to Git and readable by everyone with access to the repository and the cluster API.',
  remediation: 'Pass a SecretValue (Secrets.fromExternal(...).envValue(key)) so the variable is rendered as valueFrom.secretKeyRef; acknowledge only for values that are not secret (e.g. a token URL).',
  scanners: { checkov: ['CKV_K8S_35'] },
  kinds: WORKLOAD_KINDS,
  evaluate: ({ object }) => {
    const out = [];
    for (const { container, path } of containersOf(object)) {
      for (const e of container.env ?? []) {
        if (!isCredentialKey(e.name) || e.valueFrom !== undefined || isSecretReference(e.value)) continue;
        out.push({
          field: `${path}.env[name=${e.name}]`,
          message: `container '${container.name}' sets ${e.name} to a literal value; a credential must not be in dist: pass a SecretValue (rendered as valueFrom.secretKeyRef)`,
        });
      }
    }
    return out;
  },
});
