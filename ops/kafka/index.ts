/**
 * The pull model: plan, apply, drift and import against a live Kafka cluster with kafkajs, from the same
 * dist that Argo CD / Flux read (Strimzi KafkaTopic and KafkaUser objects).
 */
export * from './client';
export * from './config-values';
export * from './connection';
export * from './desired';
export * from './errors';
export * from './import';
export * from './import-config';
export * from './import-grants';
export * from './model';
export * from './plan';
export * from './reader';
export * from './reconcile';
export * from './render';
export * from './state';
export * from './state-store';
