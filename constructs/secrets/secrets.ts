import { Construct } from 'constructs';
import { ExistingSecretOptions, ExistingSecretReference } from './existing';
import { ExternalSecretProps, ExternalSecretReference } from './external';
import { SealedSecretProps, SealedSecretReference } from './sealed';

/**
 * Where secret values come from. Secret values never appear in the synthesized output: a plaintext Secret is a
 * synth error (rule `no-plaintext-secret`).
 *
 * ```ts
 * const warehouse = Secrets.fromExternal(this, 'Warehouse', {
 *   store: { name: 'vault', kind: 'ClusterSecretStore' },
 *   keys: { password: 'analytics/warehouse#password' },
 * });
 * warehouse.envValue('password'); // → a SecretValue any construct accepts
 * ```
 */
export class Secrets {
  /** An ExternalSecret (`external-secrets.io/v1`): values read from an external store by the External Secrets operator. */
  public static fromExternal(scope: Construct, id: string, props: ExternalSecretProps): ExternalSecretReference {
    return new ExternalSecretReference(scope, id, props);
  }

  /** A SealedSecret (`bitnami.com/v1alpha1`): values sealed beforehand with `kubeseal`. */
  public static fromSealed(scope: Construct, id: string, props: SealedSecretProps): SealedSecretReference {
    return new SealedSecretReference(scope, id, props);
  }

  /** A Secret that something else creates (nothing is emitted), e.g. the Secret of a Strimzi KafkaUser. */
  public static fromSecretName(scope: Construct, id: string, secretName: string, options: ExistingSecretOptions = {}): ExistingSecretReference {
    return new ExistingSecretReference(scope, id, secretName, options);
  }

  private constructor() {}
}
