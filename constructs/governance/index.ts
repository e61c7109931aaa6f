export * from './classification';
export * from './masking-rule';
export * from './masking-policy';
export * from './report';
export * from './rules';
