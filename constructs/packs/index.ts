export * from './recommended';
