/** Small helpers shared by the tests of constructs/{k8s,secrets,dbt,airflow}. */
import { randomBytes } from 'node:crypto';
import { DataPlatform, Environment } from 'cdk8s-dataops';
import { Secrets } from '../../../constructs/secrets';

/** A fresh platform with one environment. */
export function newEnv(name = 'dev', namespace = 'data'): Environment {
  return new Environment(new DataPlatform(), name, { namespace });
}

/** Something that looks like `kubeseal --raw` output (base64 of random bytes, as long as a real one). */
export function fakeSealed(): string {
  return randomBytes(600).toString('base64');
}

/** An ExternalSecret reference with the given keys, read from a ClusterSecretStore named 'vault'. */
export function externalSecret(env: Environment, id: string, keys: readonly string[]) {
  return Secrets.fromExternal(env, id, {
    store: { name: 'vault', kind: 'ClusterSecretStore' },
    keys: Object.fromEntries(keys.map((k) => [k, `${id.toLowerCase()}#${k}`])),
  });
}

/** Runs `fn` and returns the message of the error it throws (fails the test when it does not throw). */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, but none was thrown');
}
