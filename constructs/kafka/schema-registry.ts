import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { NetworkPeer, networkPeerRef } from '../k8s/network-policy';
import { SecretValue, secretValueSchema } from '../secrets/reference';

/** Props of {@link SchemaRegistry.fromUrl}. */
export interface SchemaRegistryProps {
  /** Base URL of a Confluent-compatible registry (Confluent, Karapace, Apicurio's ccompat API, Redpanda). */
  readonly url: string;
  /** Basic-auth user name. @default - no authentication */
  readonly username?: SecretValue;
  /** Basic-auth password. @default - no authentication */
  readonly password?: SecretValue;
  /**
   * Who the registration Jobs may reach (their NetworkPolicy egress), on the URL's port.
   * @default - any IPv4 address on the URL's port
   */
  readonly peer?: NetworkPeer;
}

const credential = secretValueSchema('expected a secret value (secret.envValue(key))');

const propsSchema = strictPropsSchema<SchemaRegistryProps>()({
  url: z.string().regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'expected an http(s) URL such as http://schema-registry.kafka:8081'),
  username: credential.optional(),
  password: credential.optional(),
  peer: networkPeerRef.optional(),
});

/** A Confluent-compatible schema registry that Schemas register into. */
export class SchemaRegistry extends Construct {
  /** References a registry by URL. */
  public static fromUrl(scope: Construct, id: string, props: SchemaRegistryProps): SchemaRegistry {
    return new SchemaRegistry(scope, id, props);
  }

  public readonly url: string;
  public readonly port: number;
  public readonly username?: SecretValue;
  public readonly password?: SecretValue;
  public readonly peer: NetworkPeer;

  private constructor(scope: Construct, id: string, props: SchemaRegistryProps) {
    super(scope, id);
    const p = validateProps(this, propsSchema, props);
    if ((p.username === undefined) !== (p.password === undefined)) {
      throw new ValidationError(this, p.username ? 'password' : 'username', 'set both username and password, or neither');
    }
    const url = new URL(p.url);
    this.url = p.url.replace(/\/+$/, '');
    this.port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    this.username = p.username;
    this.password = p.password;
    this.peer = p.peer ?? NetworkPeer.anyIpv4();
  }
}
