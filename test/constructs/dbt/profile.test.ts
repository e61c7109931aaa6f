import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dbtProfileSchema, renderProfile } from '../../../constructs/dbt/profile';
import { Secrets } from '../../../constructs/secrets';
import { newEnv } from '../support/fixtures';

describe('dbt profile', () => {
  const env = newEnv();
  const creds = Secrets.fromSecretName(env, 'Warehouse', 'warehouse', { keys: ['password', 'user'] });
  const profile = {
    name: 'analytics',
    outputs: {
      prod: { type: 'postgres', host: 'warehouse.internal', port: 5432, user: creds.envValue('user'), password: creds.envValue('password'), dbname: 'analytics', schema: 'marts', threads: 4 },
      dev: { type: 'duckdb', path: '/tmp/dev.duckdb' },
    },
  };

  it('renders only the chosen target, credentials as env_var() of DBT_ENV_SECRET_ variables', () => {
    const r = renderProfile(profile, 'prod');
    expect(parse(r.profilesYml)).toEqual({
      analytics: {
        target: 'prod',
        outputs: {
          prod: {
            type: 'postgres', host: 'warehouse.internal', port: 5432, dbname: 'analytics', schema: 'marts', threads: 4,
            user: "{{ env_var('DBT_ENV_SECRET_USER') }}", password: "{{ env_var('DBT_ENV_SECRET_PASSWORD') }}",
          },
        },
      },
    });
    expect(Object.keys(r.env)).toEqual(['DBT_ENV_SECRET_USER', 'DBT_ENV_SECRET_PASSWORD']);
    expect(r.env.DBT_ENV_SECRET_PASSWORD.toEnvVarSource()).toEqual({ secretKeyRef: { name: 'warehouse', key: 'password' } });
    expect(r.profilesYml).not.toContain('warehouse.internal:');
    expect(renderProfile(profile, 'dev').env).toEqual({});
  });

  it('refuses credentials given as plain values', () => {
    for (const field of ['password', 'token', 'private_key', 'private_key_passphrase', 'keyfile_json', 'client_secret', 'api_key']) {
      const r = dbtProfileSchema.safeParse({ name: 'p', outputs: { prod: { type: 'snowflake', [field]: 'plain' } } });
      expect(r.success, field).toBe(false);
      expect(r.error!.issues[0].path).toEqual(['outputs', 'prod', field]);
      expect(r.error!.issues[0].message).toContain('holds a credential');
    }
    expect(dbtProfileSchema.safeParse({ name: 'p', outputs: { prod: { host: 'x' } } }).error!.issues[0].path).toEqual(['outputs', 'prod', 'type']);
  });
});
