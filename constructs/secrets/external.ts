import { Construct } from 'constructs';
import { z } from 'zod';
import { objectName } from '../../lib/names';
import { propsSchema, validateProps } from '../../lib/validation';
import {
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
} from '../imports/external-secrets-external-secrets.io';
import { SECRET_KEY_PATTERN, SecretReference } from './reference';

/** The SecretStore or ClusterSecretStore an ExternalSecret reads from. */
export interface SecretStoreRef {
  /** Name of the store. */
  readonly name: string;
  /**
   * Kind of the store.
   * @default 'SecretStore'
   */
  readonly kind?: 'SecretStore' | 'ClusterSecretStore';
}

/** Props of {@link ExternalSecretReference} (see {@link Secrets.fromExternal}). */
export interface ExternalSecretProps {
  /** The store the values are read from. */
  readonly store: SecretStoreRef;
  /**
   * The keys of the Kubernetes Secret and where each comes from in the external store:
   * `'remote/key'` or `'remote/key#property'` (a property of a JSON secret).
   *
   * ```ts
   * keys: { password: 'prod/warehouse#password', user: 'prod/warehouse#user' }
   * ```
   */
  readonly keys: Readonly<Record<string, string>>;
  /**
   * How often the operator reads the values again (a Go duration such as '1h', '15m', '0s' for once).
   * @default '1h'
   */
  readonly refreshInterval?: string;
  /**
   * Name of the ExternalSecret and of the Secret the operator creates.
   * @default - derived from the construct id
   */
  readonly name?: string;
  /**
   * Whether the Secret is deleted with the ExternalSecret ('Owner') or kept ('Orphan').
   * @default 'Owner'
   */
  readonly creationPolicy?: 'Owner' | 'Orphan';
  /**
   * What happens to the Secret when the values disappear from the store.
   * @default 'Retain' (keep the last values: a store outage never empties a running app's credentials)
   */
  readonly deletionPolicy?: 'Retain' | 'Delete';
}

const GO_DURATION = /^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$/;

const schema = propsSchema<ExternalSecretProps>()({
  store: propsSchema<SecretStoreRef>()({
    name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes object name'),
    kind: z.enum(['SecretStore', 'ClusterSecretStore']).optional(),
  }),
  keys: z.record(
    z.string().regex(SECRET_KEY_PATTERN, "Secret keys use letters, digits, '-', '_' or '.'"),
    z.string().regex(/^[^#\s]+(#[^#\s]+)?$/, "use 'remote/key' or 'remote/key#property'"),
  ).refine((k) => Object.keys(k).length > 0, 'at least one key is required'),
  refreshInterval: z.string().regex(GO_DURATION, "must be a Go duration such as '1h', '15m' or '0s'").optional(),
  name: z.string().optional(),
  creationPolicy: z.enum(['Owner', 'Orphan']).optional(),
  deletionPolicy: z.enum(['Retain', 'Delete']).optional(),
});

/**
 * A Secret filled in the cluster by the External Secrets operator from an external store (Vault, AWS Secrets
 * Manager, GCP Secret Manager, ...): emits one `external-secrets.io/v1` ExternalSecret. Create it with
 * {@link Secrets.fromExternal}.
 */
export class ExternalSecretReference extends SecretReference {
  public readonly secretName: string;
  public readonly keys: readonly string[];
  /** The ExternalSecret object. */
  public readonly externalSecret: ExternalSecret;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    this.secretName = objectName(this, p.name);
    this.keys = Object.keys(p.keys);
    this.externalSecret = new ExternalSecret(this, 'Resource', {
      metadata: { name: this.secretName },
      spec: {
        secretStoreRef: {
          name: p.store.name,
          kind: p.store.kind === 'ClusterSecretStore' ? ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE : ExternalSecretSpecSecretStoreRefKind.SECRET_STORE,
        },
        refreshInterval: p.refreshInterval ?? '1h',
        target: {
          name: this.secretName,
          creationPolicy: p.creationPolicy === 'Orphan' ? ExternalSecretSpecTargetCreationPolicy.ORPHAN : ExternalSecretSpecTargetCreationPolicy.OWNER,
          deletionPolicy: p.deletionPolicy === 'Delete' ? ExternalSecretSpecTargetDeletionPolicy.DELETE : ExternalSecretSpecTargetDeletionPolicy.RETAIN,
        },
        data: Object.entries(p.keys).map(([secretKey, remote]) => {
          const [key, property] = remote.split('#');
          return { secretKey, remoteRef: property === undefined ? { key } : { key, property } };
        }),
      },
    });
  }
}
