export * from './classification';
export type { ConnectTransform, MaskingRule } from './masking-rule';
export { MaskingPolicy } from './masking-policy';
export type { GatewayMaskingOptions, MaskingEnforcement, MaskingPolicyProps } from './masking-policy';
export * from './rules';
