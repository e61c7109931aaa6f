export * from './dags';
export * from './dbt-task';
export * from './airflow';
