export type { DurationInput } from './duration';
export { RemovalPolicy } from './removal-policy';
