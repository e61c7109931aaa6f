import { describe, expect, it } from 'vitest';
import { DataOpsError } from '../../../lib/errors';
import { StateFormatError, userFacingKafkaError } from '../../../ops/kafka';

/** Errors shaped like kafkajs' (name, type, originalError); the real broker cases (refused, auth) are in reconcile.test.ts. */
const kafkajs = (name: string, message: string, extra: object = {}) => Object.assign(new Error(message), { name, ...extra });

describe('userFacingKafkaError', () => {
  it('says what to do for problems a person can fix', () => {
    const timeout = userFacingKafkaError(kafkajs('KafkaJSNumberOfRetriesExceeded', 'retries', { originalError: kafkajs('KafkaJSRequestTimeoutError', 'Request DescribeConfigs(key: 32, version: 1) timed out') }), 'k:9092');
    expect(timeout).toBeInstanceOf(DataOpsError);
    expect(timeout!.message).toMatch(/^Kafka at k:9092 did not answer in time .*raise "requestTimeout"/);
    const denied = userFacingKafkaError(kafkajs('KafkaJSProtocolError', 'Cluster authorization failed', { type: 'CLUSTER_AUTHORIZATION_FAILED' }), 'k:9092');
    expect(denied!.message).toMatch(/refused an operation \(CLUSTER_AUTHORIZATION_FAILED\): the principal .* needs Describe/);
    expect(userFacingKafkaError(new Error('could not read the state topic __cdk8s_dataops_state within 60000 ms'), 'k:9092')!.message).toMatch(/did not answer in time/);
    const state = new StateFormatError('prod/main/topic/a', 'format 9 is not supported');
    expect(userFacingKafkaError(state, 'k:9092')).toBe(state);
  });

  it('leaves anything else alone (it may be a bug: exit 70)', () => {
    expect(userFacingKafkaError(new TypeError("Cannot read properties of undefined (reading 'x')"), 'k:9092')).toBeUndefined();
  });
});
