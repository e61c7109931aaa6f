export * from './dags';
export * from './dbt-task';
export * from './props';
export * from './airflow';
