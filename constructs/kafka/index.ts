import './policies';

export * from './acl';
export * from './cluster';
export * from './principal';
export * from './topic';
export * from './topic-config';
export * from './user';
