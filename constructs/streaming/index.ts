export * from './streaming-app';
