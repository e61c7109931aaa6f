import { Construct } from 'constructs';
import { z } from 'zod';
import { objectName } from '../../lib/names';
import { propsSchema, validateProps } from '../../lib/validation';
import { SealedSecret } from '../imports/sealed-secrets-bitnami.com';
import { SECRET_KEY_PATTERN, SecretReference } from './reference';

/** Props of {@link SealedSecretReference} (see {@link Secrets.fromSealed}). */
export interface SealedSecretProps {
  /**
   * The values, each sealed beforehand with `kubeseal --raw` for this Secret's name and namespace
   * (base64 ciphertext). Plain values are refused.
   */
  readonly encryptedData: Readonly<Record<string, string>>;
  /**
   * Name of the SealedSecret and of the Secret the controller creates. With the default 'strict' scope the
   * values are sealed for this exact name and namespace.
   * @default - derived from the construct id
   */
  readonly name?: string;
  /**
   * Sealing scope the values were sealed with (`kubeseal --scope`).
   * @default 'strict'
   */
  readonly scope?: 'strict' | 'namespace-wide' | 'cluster-wide';
  /**
   * Type of the created Secret.
   * @default 'Opaque'
   */
  readonly type?: string;
}

/** Shortest kubeseal output: a 2-byte length, an RSA-2048-encrypted session key and AES-GCM data. */
const MIN_SEALED_BYTES = 2 + 256 + 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const schema = propsSchema<SealedSecretProps>()({
  encryptedData: z.record(
    z.string().regex(SECRET_KEY_PATTERN, "Secret keys use letters, digits, '-', '_' or '.'"),
    z.string().refine((v) => BASE64.test(v) && Buffer.from(v, 'base64').length >= MIN_SEALED_BYTES,
      'does not look like a value sealed with kubeseal (base64 ciphertext); never put plain values here: run `kubeseal --raw`'),
  ).refine((d) => Object.keys(d).length > 0, 'at least one value is required'),
  name: z.string().optional(),
  scope: z.enum(['strict', 'namespace-wide', 'cluster-wide']).optional(),
  type: z.string().min(1).optional(),
});

/**
 * A Secret decrypted in the cluster by the Sealed Secrets controller from values sealed beforehand: emits one
 * `bitnami.com/v1alpha1` SealedSecret. Create it with {@link Secrets.fromSealed}.
 */
export class SealedSecretReference extends SecretReference {
  public readonly secretName: string;
  public readonly keys: readonly string[];
  /** The SealedSecret object. */
  public readonly sealedSecret: SealedSecret;

  constructor(scope: Construct, id: string, props: SealedSecretProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    this.secretName = objectName(this, p.name);
    this.keys = Object.keys(p.encryptedData);
    const annotations: Record<string, string> = {};
    if (p.scope === 'namespace-wide') annotations['sealedsecrets.bitnami.com/namespace-wide'] = 'true';
    if (p.scope === 'cluster-wide') annotations['sealedsecrets.bitnami.com/cluster-wide'] = 'true';
    this.sealedSecret = new SealedSecret(this, 'Resource', {
      metadata: { name: this.secretName, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
      spec: {
        encryptedData: { ...p.encryptedData },
        template: {
          type: p.type ?? 'Opaque',
          metadata: { name: this.secretName, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
        },
      },
    });
  }
}
