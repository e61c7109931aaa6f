import { IConstruct } from 'constructs';
import { apiGroupOf, KubeObject } from '../../lib/synthesizer/manifest';

/** The names of the Secrets an object makes an operator create (e.g. an operator writing a user's credentials). */
export type SecretNamesOf = (object: KubeObject) => readonly string[];

const PRODUCERS = Symbol.for('cdk8s-dataops.gitops.secret-producers');

/**
 * The kinds of a platform whose objects make an operator create Secrets. An ExternalSecret of the same environment
 * that reads one of them is ordered after its producer (one sync wave later), instead of in the secrets wave where it
 * would wait forever for a Secret whose producer is not applied yet. A domain declares its kinds on the platform its
 * constructs belong to, when they are created:
 *
 * ```ts
 * SecretProducers.of(this).register('example.com/Database', (o) => [`${o.metadata.name}-credentials`]);
 * ```
 */
export class SecretProducers {
  /** The producers of the platform `scope` belongs to. */
  public static of(scope: IConstruct): SecretProducers {
    const holder = scope.node.root as unknown as { [PRODUCERS]?: SecretProducers };
    return (holder[PRODUCERS] ??= new SecretProducers());
  }

  private readonly producers = new Map<string, SecretNamesOf>();

  private constructor() {}

  /** Declares that objects of a kind (`group/Kind`) make an operator create the Secrets `secretNames` names. */
  public register(kind: string, secretNames: SecretNamesOf): void {
    this.producers.set(kind, secretNames);
  }

  /** The Secrets an object produces (empty for kinds that produce none). */
  public producedSecrets(object: KubeObject): readonly string[] {
    const key = `${apiGroupOf(object.apiVersion)}/${object.kind}`;
    return (this.producers.get(key) ?? producers.get(key))?.(object) ?? [];
  }
}

const producers = new Map<string, SecretNamesOf>();

/**
 * Declares a Secret producer for every platform in this process (call it in your app; a construct library declares
 * its kinds on the platform with {@link SecretProducers.of}).
 */
export function registerSecretProducer(kind: string, secretNames: SecretNamesOf): void {
  producers.set(kind, secretNames);
}

/** The Secrets an object produces by the process-wide producers (a platform's own are in {@link SecretProducers.of}). */
export function producedSecrets(object: KubeObject): readonly string[] {
  return producers.get(`${apiGroupOf(object.apiVersion)}/${object.kind}`)?.(object) ?? [];
}

/** The remote keys an ExternalSecret reads (`data[].remoteRef.key`, `dataFrom[].extract.key`); empty for other kinds. */
export function externalSecretSources(object: KubeObject): readonly string[] {
  if (apiGroupOf(object.apiVersion) !== 'external-secrets.io' || object.kind !== 'ExternalSecret') return [];
  const spec = (object.spec ?? {}) as { data?: { remoteRef?: { key?: unknown } }[]; dataFrom?: { extract?: { key?: unknown } }[] };
  const keys = [...(spec.data ?? []).map((d) => d.remoteRef?.key), ...(spec.dataFrom ?? []).map((d) => d.extract?.key)];
  return [...new Set(keys.filter((k): k is string => typeof k === 'string'))];
}
