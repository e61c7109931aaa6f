import { objectRule, RuleLevel } from '../../../lib/policy/rule';
import { isCredentialKey, isSecretReference } from '../../k8s/rules/credential-keys';

/** Credential-looking connector config keys hold a config-provider reference, never the value. */
export const noPlaintextConnectorCredential = objectRule({
  id: 'DOP-KAFKA-006',
  level: RuleLevel.ERROR,
  description: 'No credential-looking KafkaConnector config key (connection.password, sasl.jaas.config, …) with a literal value',
  rationale: 'The connector config lands in dist, committed to Git, and is readable by everyone with access to the repository or the KafkaConnector objects.',
  remediation: "Use a SecretValue or a Strimzi config-provider reference ('${secrets:<namespace>/<secret>:<key>}') so the Connect workers read the value from a Secret at runtime.",
  kinds: ['KafkaConnector'],
  evaluate: ({ object }) => {
    const config = ((object.spec as Record<string, unknown> | undefined)?.config ?? {}) as Record<string, unknown>;
    return Object.keys(config).filter((k) => isCredentialKey(k) && !isSecretReference(config[k])).map((k) => ({
      field: `spec.config["${k}"]`,
      message: `config '${k}' holds a literal value; a credential must not be in dist: use a SecretValue or '\${secrets:<namespace>/<secret>:<key>}'`,
    }));
  },
});
