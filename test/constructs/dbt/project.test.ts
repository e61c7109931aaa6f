import { findObject, synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DbtProject } from '../../../constructs/dbt';
import { Secrets } from '../../../constructs/secrets';
import { errorOf, newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

function project(env = newEnv(), extra: Record<string, unknown> = {}) {
  const creds = Secrets.fromSecretName(env, 'Warehouse', 'warehouse', { keys: ['password'] });
  return new DbtProject(env, 'Analytics', {
    image: DbtProject.officialImage('postgres', '1.9.0'),
    profile: { name: 'analytics', outputs: { prod: { type: 'postgres', host: 'wh', port: 5432, user: 'dbt', password: creds.envValue('password'), dbname: 'a', schema: 'marts' } } },
    ...extra,
  });
}

describe('DbtProject', () => {
  it('renders profiles.yml into a ConfigMap, with no credential in it', () => {
    const env = newEnv();
    const p = project(env);
    const objects = synthesize(env);
    validateAll(objects);
    const cm = findObject(objects, 'ConfigMap', 'analytics-profiles');
    expect(parse(cm.data['profiles.yml']).analytics.outputs.prod.password).toBe("{{ env_var('DBT_ENV_SECRET_PASSWORD') }}");
    expect(p.image).toBe('ghcr.io/dbt-labs/dbt-postgres:1.9.0');
    expect(p.adapter).toBe('postgres');
    expect(p.target).toBe('prod');
    expect(p.projectDir).toBe('/usr/app/dbt');
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap']);
  });

  it('declares models for lineage as plain data', () => {
    const p = project();
    const stg = p.model('stg_orders', { reads: ['topic:main/payments.orders.v1'], description: 'orders landed from Kafka' });
    p.model('orders_daily', { reads: [stg], writes: [{ graphNodeId: 'topic:main/analytics.orders-daily.v1' }] });
    expect(p.models).toEqual([
      { graphNodeId: 'dbt:analytics/stg_orders', project: 'analytics', name: 'stg_orders', reads: ['topic:main/payments.orders.v1'], writes: [], description: 'orders landed from Kafka' },
      { graphNodeId: 'dbt:analytics/orders_daily', project: 'analytics', name: 'orders_daily', reads: ['dbt:analytics/stg_orders'], writes: ['topic:main/analytics.orders-daily.v1'] },
    ]);
    expect(JSON.parse(JSON.stringify(p.models))).toEqual(p.models);
    expect(errorOf(() => p.model('orders_daily'))).toBe("dev/Analytics, field 'model': model 'orders_daily' is declared twice");
    expect(errorOf(() => p.model('orders-daily'))).toBe("dev/Analytics, field 'model': 'orders-daily' is not a dbt model name (letters, digits and _)");
  });

  it('names the construct and field of a bad profile, target or adapter', () => {
    const env = newEnv();
    expect(errorOf(() => project(env, { target: 'staging' })))
      .toBe("dev/Analytics, field 'target': 'staging' is not an output of profile 'analytics' (outputs: prod)");
    expect(errorOf(() => project(newEnv(), { adapter: 'snowflake' })))
      .toBe("dev/Analytics, field 'adapter': is 'snowflake' but output 'prod' has type 'postgres'");
    expect(errorOf(() => new DbtProject(newEnv(), 'P', { image: 'x:1', profile: { name: 'p', outputs: { a: { type: 'duckdb' }, b: { type: 'duckdb' } } } })))
      .toBe("dev/P, field 'target': profile 'p' has several outputs (a, b); choose one");
    expect(errorOf(() => new DbtProject(newEnv(), 'Q', { image: 'x:1', profile: { name: 'p', outputs: { prod: { type: 'postgres', password: 'hunter2' } } } })))
      .toBe("dev/Q, field 'profile.outputs.prod.password': holds a credential: pass a Secret key (secret.envValue(key)), never a value that would end up in Git");
  });
});

describe('DbtProject env', () => {
  it('takes SecretValues and renders them as secretKeyRef in every Job', () => {
    const env = newEnv();
    const api = Secrets.fromSecretName(env, 'Api', 'dbt-api', { keys: ['token'] });
    project(env, { env: { DBT_CLOUD_TOKEN: api.envValue('token'), LOG_FORMAT: 'json' } }).job('Nightly', { command: 'build' });
    const c = findObject(env, 'Job', 'analytics-nightly').spec.template.spec.containers[0];
    expect(c.env).toContainEqual({ name: 'DBT_CLOUD_TOKEN', valueFrom: { secretKeyRef: { name: 'dbt-api', key: 'token' } } });
    expect(c.env).toContainEqual({ name: 'LOG_FORMAT', value: 'json' });
  });

  it('refuses an env value that is neither a string, a SecretValue nor a fieldRef', () => {
    expect(errorOf(() => project(newEnv(), { env: { TOKEN: 42 } })))
      .toBe("dev/Analytics, field 'env.TOKEN': must be a string, a SecretValue (secret.envValue(key)) or { fieldPath }");
  });
});
