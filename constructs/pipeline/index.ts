export * from './pipeline';
export { alertingPack, consumerLagAlerted } from './rules/consumer-lag-alerted';
