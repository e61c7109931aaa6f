import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { Environment } from '../../lib/platform';
import { constructRef } from '../../lib/validation';

/** Kubernetes Secret keys: letters, digits, '-', '_' and '.'. */
export const SECRET_KEY_PATTERN = /^[-._a-zA-Z0-9]+$/;

/**
 * A reference to a Kubernetes Secret whose values never pass through Git: it is created in the cluster by the
 * External Secrets operator ({@link Secrets.fromExternal}), by the Sealed Secrets controller
 * ({@link Secrets.fromSealed}) or by something else entirely ({@link Secrets.fromSecretName}, e.g. a Strimzi
 * KafkaUser secret).
 *
 * Every construct that needs a credential takes a {@link SecretValue} (one key of a reference):
 *
 * ```ts
 * const db = Secrets.fromExternal(this, 'AirflowDb', { store, keys: { connection: 'airflow/db#uri' } });
 * new Airflow(this, 'Airflow', { metadataDatabase: db.envValue('connection'), ... });
 * ```
 */
export abstract class SecretReference extends Construct {
  /** Name of the Kubernetes Secret that holds the values (in the namespace of the referring workload). */
  public abstract readonly secretName: string;

  /**
   * The keys the Secret is known to hold, in declaration order; `undefined` when they are not known
   * (a Secret created outside this app).
   */
  public abstract readonly keys: readonly string[] | undefined;

  /**
   * One key of this Secret, to be used as an environment variable value (`valueFrom.secretKeyRef`) or
   * mounted as a file. Throws a ValidationError naming this construct when the key is not one of {@link keys}.
   */
  public envValue(key: string): SecretValue {
    if (!SECRET_KEY_PATTERN.test(key)) {
      throw new ValidationError(this, 'key', `'${key}' is not a valid Secret key: use letters, digits, '-', '_' or '.'`);
    }
    if (this.keys !== undefined && !this.keys.includes(key)) {
      throw new ValidationError(this, 'key', `Secret '${this.secretName}' has no key '${key}'; its keys are ${this.keys.map((k) => `'${k}'`).join(', ')}`);
    }
    return new SecretValue(this, key);
  }

  /**
   * Namespace of the Secret: the namespace of the environment (or chart) this reference is defined in, where
   * the ExternalSecret or SealedSecret is emitted. Consumers in another namespace (a Kafka Connect cluster
   * reading it through Strimzi's config provider) name it with this.
   */
  public get namespace(): string {
    return Environment.tryOf(this)?.namespace ?? Chart.of(this).namespace ?? 'default';
  }

  /** Whether the Secret is known to hold `key` (true for every key when the keys are not known). */
  public hasKey(key: string): boolean {
    return this.keys === undefined || this.keys.includes(key);
  }
}

/** One key of a {@link SecretReference}: what a credential property of a construct accepts. */
export class SecretValue {
  /** Returns true when `x` is a SecretValue (also across copies of this module). */
  public static isSecretValue(x: unknown): x is SecretValue {
    return typeof x === 'object' && x !== null && (x as { [IS_SECRET_VALUE]?: boolean })[IS_SECRET_VALUE] === true;
  }

  /** The Secret this value comes from. */
  public readonly reference: SecretReference;
  /** The key within the Secret. */
  public readonly key: string;

  /** @internal use `reference.envValue(key)` */
  constructor(reference: SecretReference, key: string) {
    this.reference = reference;
    this.key = key;
    Object.defineProperty(this, IS_SECRET_VALUE, { value: true });
  }

  /** Name of the Kubernetes Secret. */
  public get secretName(): string {
    return this.reference.secretName;
  }

  /** The value as a Kubernetes `EnvVarSource` (`{ secretKeyRef: { name, key } }`). */
  public toEnvVarSource(): { secretKeyRef: { name: string; key: string } } {
    return { secretKeyRef: { name: this.secretName, key: this.key } };
  }

  /** A readable description for error messages: `secret 'name' key 'key'`. */
  public toString(): string {
    return `secret '${this.secretName}' key '${this.key}'`;
  }
}

const IS_SECRET_VALUE = Symbol.for('cdk8s-dataops.SecretValue');

/**
 * zod check of a prop that holds a {@link SecretValue}: the one check of that kind. A missing value
 * `is required (a SecretValue from secret.envValue(key))`; any other is refused with `message`, which says what to
 * pass instead (what the credential is, e.g. `must be a SecretValue (secret.envValue(key)): the database URL never
 * goes to Git`, or `...; never a plain value`). Inside a union the union's own message is the one reported.
 */
export function secretValueSchema(message = 'must be a SecretValue (secret.envValue(key)): secret values never go to Git'): z.ZodCustom<SecretValue, SecretValue> {
  return constructRef<SecretValue>(SecretValue.isSecretValue, 'a SecretValue from secret.envValue(key)', message);
}
