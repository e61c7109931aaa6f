export * from './errors';
export * from './names';
export * from './platform';
export * from './validation';
export * from './synthesizer';
