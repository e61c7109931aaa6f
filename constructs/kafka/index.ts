import './policies';

export * from './acl';
export * from './client-credentials';
export * from './cluster';
export * from './connect';
export * from './connector';
export * from './principal';
export * from './schema';
export * from './schema-compatibility';
export * from './schema-registry';
export * from './topic';
export * from './topic-config';
export * from './user';
