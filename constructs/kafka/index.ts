import './policies';

export * from './acl';
export * from './client-credentials';
export * from './cluster';
export * from './connect';
export * from './connector';
export * from './consumer-lag-alert';
export { KafkaMetrics } from './metrics';
export type { KafkaMetricsExporter, KafkaMetricsOptions, KafkaMetricsSource } from './metrics';
export * from './kafka-dashboard';
export * from './principal';
export * from './schema';
export * from './schema-compatibility';
export * from './schema-registry';
export * from './topic';
export * from './topic-config';
export * from './topic-throughput-alert';
export * from './user';
