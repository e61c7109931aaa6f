import { apiGroupOf, KubeObject } from '../../lib/synthesizer/manifest';

/** The names of the Secrets an object makes an operator create (e.g. Strimzi's User Operator for a KafkaUser). */
export type SecretNamesOf = (object: KubeObject) => readonly string[];

const producers = new Map<string, SecretNamesOf>();

/**
 * Declares that objects of a kind (`group/Kind`) make an operator create Secrets. An ExternalSecret of the same
 * environment that reads one of them is ordered after its producer (one sync wave later), instead of in the
 * secrets wave where it would wait forever for a Secret whose producer is not applied yet.
 */
export function registerSecretProducer(kind: string, secretNames: SecretNamesOf): void {
  producers.set(kind, secretNames);
}

/** The Secrets an object produces (empty for kinds that produce none). */
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

// Strimzi's User Operator writes a KafkaUser's credentials to a Secret named after the user.
registerSecretProducer('kafka.strimzi.io/KafkaUser', (o) => [o.metadata.name]);
