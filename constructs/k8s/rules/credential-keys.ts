/*
 * What looks like a credential in a configuration key, and what is a reference to a secret rather than its value.
 * Shared by the rules that keep plaintext credentials out of dist (container env, connector config, …).
 */

const CREDENTIAL_WORDS = new Set(['password', 'passwd', 'pwd', 'secret', 'token', 'credential', 'credentials', 'apikey', 'passphrase']);

/** Whether a key names a credential: a word like password/secret/token/credentials, a trailing `key`, `sasl.jaas.config`. */
export function isCredentialKey(key: string): boolean {
  if (/sasl\.jaas\.config$/i.test(key)) return true;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  if (words.some((w) => CREDENTIAL_WORDS.has(w))) return true;
  return words.length > 1 && words[words.length - 1] === 'key';
}

/**
 * Whether a value refers to a secret instead of holding it: a Kafka config provider (`${secrets:ns/name:key}`,
 * `${file:/path:key}`, `${env:VAR}`, `${directory:…}`), a Kubernetes `$(VAR)` expansion, or empty.
 */
export function isSecretReference(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (typeof value !== 'string') return false;
  return /^\$\{(secrets|file|env|directory|strimzienv|vault|aws|azure|gcp)[:][^}]*\}$/.test(value.trim()) || /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(value.trim());
}
