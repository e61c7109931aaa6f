/**
 * cdk8s-dataops: data platforms as typed cdk8s constructs, synthesized to GitOps-ready Kubernetes YAML.
 */
export * from './lib';
export * from './constructs/core';
export * from './constructs/kafka';
export * from './constructs/secrets';
export * from './constructs/k8s';
export * from './constructs/pipeline';
export * from './constructs/streaming';
export * from './constructs/dbt';
export * from './constructs/airflow';
export * from './constructs/gitops';
export * from './constructs/packs';
export * from './constructs/monitoring';
export * from './constructs/audit';
export * from './constructs/governance';
