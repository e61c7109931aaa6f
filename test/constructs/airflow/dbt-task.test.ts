import { describe, expect, it } from 'vitest';
import { Airflow, Dags } from '../../../constructs/airflow';
import { DbtProject } from '../../../constructs/dbt';
import { errorOf, externalSecret, newEnv } from '../support/fixtures';

describe('Airflow.dbtTask', () => {
  it('records which DAG task runs which dbt Job, as plain data', () => {
    const env = newEnv('prod', 'data');
    const s = externalSecret(env, 'Secrets', ['connection', 'fernet', 'api']);
    const airflow = new Airflow(env, 'Airflow', {
      executor: 'KubernetesExecutor', dags: Dags.fromGit({ repo: 'https://github.com/acme/dags.git' }),
      metadataDatabase: s.envValue('connection'), fernetKey: s.envValue('fernet'), apiSecretKey: s.envValue('api'),
    });
    const project = new DbtProject(env, 'Analytics', { image: 'x:1', profile: { name: 'analytics', outputs: { prod: { type: 'duckdb', path: '/tmp/x.duckdb' } } } });
    const job = project.job('Build', { command: 'build', select: ['orders_daily+'] });
    const task = airflow.dbtTask({ dagId: 'orders_daily', taskId: 'dbt_build', job });
    expect(task).toEqual({
      airflow: 'airflow', dagId: 'orders_daily', taskId: 'dbt_build', dbtProject: 'analytics', dbtJob: 'analytics-build',
      command: ['dbt', 'build', '--project-dir', '/usr/app/dbt', '--target', 'prod', '--select', 'orders_daily+'],
    });
    expect(airflow.dbtTasks).toEqual([task]);
    expect(errorOf(() => airflow.dbtTask({ dagId: 'orders_daily', taskId: 'dbt_build', job })))
      .toBe("prod/Airflow, field 'dbtTask': task 'orders_daily.dbt_build' is declared twice");
    expect(errorOf(() => airflow.dbtTask({ dagId: 'orders daily', taskId: 'x', job })))
      .toBe("prod/Airflow, field 'dagId': is not an Airflow id (letters, digits, '_', '-', '.')");
  });
});
