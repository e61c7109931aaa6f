export * from './profile';
export * from './model';
export * from './project';
export * from './job';
