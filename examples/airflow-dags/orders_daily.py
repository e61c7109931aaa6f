"""Nightly analytics: refresh the dbt models that read the Kafka-landed orders table.

A sample DAG for cdk8s-dataops (Dags.fromDirectory('examples/airflow-dags')). The dbt command itself is declared
in TypeScript (DbtProject.job) and linked with airflow.dbtTask(...).
"""
from __future__ import annotations

import pendulum
from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
from airflow.sdk import DAG

with DAG(
    dag_id="orders_daily",
    schedule="0 3 * * *",
    start_date=pendulum.datetime(2024, 1, 1, tz="Europe/Berlin"),
    catchup=False,
    tags=["analytics", "dbt"],
) as dag:
    KubernetesPodOperator(
        task_id="dbt_build",
        name="dbt-build",
        image="ghcr.io/acme/analytics-dbt:2024.05.1",
        cmds=["dbt", "build", "--select", "orders_daily+"],
        get_logs=True,
    )
