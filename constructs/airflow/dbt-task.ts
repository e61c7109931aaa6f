import { z } from 'zod';
import { instanceOf, propsSchema } from '../../lib/validation';
import { DbtJob } from '../dbt/job';

/** A DAG task that runs a dbt Job (see {@link AirflowProps.dbtTasks}). */
export interface AirflowDbtTaskOptions {
  /** The DAG id (as in the team's Python DAG). */
  readonly dagId: string;
  /** The task id within the DAG. */
  readonly taskId: string;
  /** The dbt Job the task runs (its pod, as the KubernetesPodOperator's `pod_template_file`). */
  readonly job: DbtJob;
}

/** A DAG task that runs a dbt Job, as wired: plain data. */
export interface AirflowDbtTask {
  /** The Airflow deployment (its object name prefix). */
  readonly airflow: string;
  readonly dagId: string;
  readonly taskId: string;
  /** The dbt project (its object name). */
  readonly dbtProject: string;
  /** Name of the dbt Job or CronJob object. */
  readonly dbtJob: string;
  /** The dbt command line the Job runs. */
  readonly command: readonly string[];
  /** Path of the task's `pod_template_file` in the pods that run tasks. */
  readonly podTemplateFile: string;
}

/** Airflow DAG and task ids: letters, digits, '_', '-' and '.'. */
const AIRFLOW_ID = /^[A-Za-z0-9_.-]{1,250}$/;

/** zod schema of {@link AirflowDbtTaskOptions}. */
export const dbtTaskSchema = propsSchema<AirflowDbtTaskOptions>()({
  dagId: z.string().regex(AIRFLOW_ID, "is not an Airflow id (letters, digits, '_', '-', '.')"),
  taskId: z.string().regex(AIRFLOW_ID, "is not an Airflow id (letters, digits, '_', '-', '.')"),
  job: instanceOf(DbtJob, 'DbtJob (from project.job())'),
});
