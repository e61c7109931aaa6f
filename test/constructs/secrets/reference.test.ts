import { describe, expect, it } from 'vitest';
import { SecretValue, Secrets } from '../../../constructs/secrets';
import { errorOf, newEnv } from '../support/fixtures';

describe('SecretReference / SecretValue', () => {
  it('recognises SecretValues and nothing else', () => {
    const v = Secrets.fromSecretName(newEnv(), 'S', 'db').envValue('url');
    expect(SecretValue.isSecretValue(v)).toBe(true);
    expect(SecretValue.isSecretValue({ secretName: 'db', key: 'url' })).toBe(false);
    expect(SecretValue.isSecretValue('postgres://user:pw@db/airflow')).toBe(false);
    expect(String(v)).toBe("secret 'db' key 'url'");
  });

  it('refuses keys that cannot exist in a Secret', () => {
    const s = Secrets.fromSecretName(newEnv(), 'S', 'db');
    expect(errorOf(() => s.envValue('a/b'))).toBe("dev/S, field 'key': 'a/b' is not a valid Secret key: use letters, digits, '-', '_' or '.'");
  });
});
