export { Dags } from './dags';
export type { DagsBinding, DirectoryDagsOptions, GitDagsOptions } from './dags';
export type { AirflowDbtTask, AirflowDbtTaskOptions } from './dbt-task';
export type { AirflowComponent, AirflowExecutor, AirflowProps, AirflowReplicas, AirflowResources } from './props';
export * from './airflow';
