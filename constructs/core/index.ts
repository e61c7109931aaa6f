export * from './duration';
export * from './removal-policy';
