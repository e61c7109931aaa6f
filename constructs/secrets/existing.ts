import { Construct } from 'constructs';
import { z } from 'zod';
import { validateName } from '../../lib/names';
import { propsSchema, validateProps } from '../../lib/validation';
import { SECRET_KEY_PATTERN, SecretReference } from './reference';

/** Options of {@link Secrets.fromSecretName}. */
export interface ExistingSecretOptions {
  /**
   * The keys the Secret holds. When given, `envValue()` refuses other keys at synth time.
   * @default - not known: any key is accepted
   */
  readonly keys?: readonly string[];
}

const schema = propsSchema<ExistingSecretOptions>()({
  keys: z.array(z.string().regex(SECRET_KEY_PATTERN, "Secret keys use letters, digits, '-', '_' or '.'")).optional(),
});

/**
 * A Secret created by something outside this app (an operator such as Strimzi's User Operator, a platform team):
 * nothing is emitted. Create it with {@link Secrets.fromSecretName}.
 */
export class ExistingSecretReference extends SecretReference {
  public readonly secretName: string;
  public readonly keys: readonly string[] | undefined;

  constructor(scope: Construct, id: string, secretName: string, options: ExistingSecretOptions = {}) {
    super(scope, id);
    const p = validateProps(this, schema, options);
    this.secretName = validateName(this, 'secretName', secretName);
    this.keys = p.keys;
  }
}
