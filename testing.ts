/**
 * Helpers for unit tests of a data platform: `import { findObject } from 'cdk8s-dataops/testing'`.
 */
export * from './lib/testing';
