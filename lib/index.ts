export * from './errors';
export * from './graph';
export * from './metadata';
export * from './names';
export * from './platform';
export * from './schema';
export * from './validation';
export * from './synthesizer';
