export * from './audit-rule';
