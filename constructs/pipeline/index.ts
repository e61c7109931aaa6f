export { Pipeline } from './pipeline';
export type { PipelineProps } from './pipeline';
export { alertingPack, consumerLagAlerted } from './rules/consumer-lag-alerted';
