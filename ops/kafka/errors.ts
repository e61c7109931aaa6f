/**
 * Kafka failures a person can fix (broker unreachable, wrong credentials, missing permissions, a cluster too slow
 * for the timeouts) as {@link DataOpsError}s that say what to do, so the command line exits 2 with that message
 * instead of 70 ("please report"). Anything else is left as is: it may be a bug.
 */
import { DataOpsError } from '../../lib/errors';

/** The kafkajs error chain (`originalError`, `cause`, retried `errors`), outermost first. */
function chain(err: unknown): { name?: string; message?: string; type?: string; code?: string }[] {
  const out: { name?: string; message?: string; type?: string; code?: string }[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && out.length < 12) {
    const e = queue.shift() as { name?: string; originalError?: unknown; cause?: unknown; errors?: unknown[] } | undefined;
    if (!e || typeof e !== 'object') continue;
    out.push(e as never);
    if (e.originalError) queue.push(e.originalError);
    if (e.cause) queue.push(e.cause);
    if (Array.isArray(e.errors)) queue.push(...e.errors);
  }
  return out;
}

/**
 * The user-facing error for a failure talking to the cluster at `target` (safe to print: no secrets), or undefined
 * when it is not one a person can fix.
 */
export function userFacingKafkaError(err: unknown, target: string): DataOpsError | undefined {
  if (err instanceof DataOpsError) return err;
  const errors = chain(err);
  const has = (pred: (e: { name?: string; message?: string; type?: string; code?: string }) => boolean) => errors.find(pred);
  const detail = (err as Error)?.message ?? String(err);
  const auth = has((e) => e.name === 'KafkaJSSASLAuthenticationError');
  if (auth) {
    return new DataOpsError(`authentication to Kafka at ${target} failed (${auth.message}): check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and ` +
      'KAFKA_SASL_PASSWORD (or "sasl" in --config), and that the user exists on the cluster', { cause: err });
  }
  const denied = has((e) => typeof e.type === 'string' && e.type.endsWith('_AUTHORIZATION_FAILED'));
  if (denied) {
    return new DataOpsError(`Kafka at ${target} refused an operation (${denied.type}): the principal cdk8s-dataops connects as needs Describe and ` +
      'Alter on the cluster, DescribeConfigs/AlterConfigs, Create and Delete on the topics it manages, and Read/Write on the state topic ' +
      '__cdk8s_dataops_state (see the README, "Pull mode")', { cause: err });
  }
  const unreachable = has((e) => e.name === 'KafkaJSConnectionError' || e.name === 'KafkaJSBrokerNotFound' ||
    ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT'].includes(e.code ?? ''));
  if (unreachable) {
    return new DataOpsError(`cannot reach Kafka at ${target} (${unreachable.message ?? detail}): check --bootstrap (or KAFKA_BOOTSTRAP_SERVERS), ` +
      'that the broker is running and reachable from here, and TLS (KAFKA_SSL) if the listener needs it', { cause: err });
  }
  const timeout = has((e) => e.name === 'KafkaJSRequestTimeoutError' || /timed? ?out|(within|after) \d+ ms/i.test(e.message ?? ''));
  if (timeout) {
    return new DataOpsError(`Kafka at ${target} did not answer in time (${timeout.message ?? detail}): check that the cluster is healthy; ` +
      'for very large clusters raise "requestTimeout" (milliseconds) in --config', { cause: err });
  }
  return undefined;
}
