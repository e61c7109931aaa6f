/**
 * How to reach a cluster: bootstrap servers, SASL and TLS, from flags, environment variables or a JSON
 * file. Secrets (passwords, keys) are never printed: {@link describeConnection} shows what is safe.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { DataOpsError } from '../../lib/errors';

/** SASL mechanisms kafkajs supports out of the box. */
export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** Everything needed to connect (the resolved form). */
export interface KafkaConnectionOptions {
  /** `host:port` of one or more brokers. */
  readonly brokers: readonly string[];
  /** SASL credentials. @default - no SASL */
  readonly sasl?: { readonly mechanism: SaslMechanism; readonly username: string; readonly password: string };
  /** TLS: true for the system CAs, or files. @default - plaintext */
  readonly ssl?: boolean | {
    readonly caFile?: string;
    readonly certFile?: string;
    readonly keyFile?: string;
    /** @default true */
    readonly rejectUnauthorized?: boolean;
  };
  /** @default 'cdk8s-dataops' */
  readonly clientId?: string;
  /** Milliseconds to wait for a connection. @default 10000 */
  readonly connectionTimeout?: number;
  /** Milliseconds to wait for a response (large clusters need more for big describes). @default 60000 */
  readonly requestTimeout?: number;
  /** Retries of a failed request (kafkajs backs off exponentially). @default 5 */
  readonly retries?: number;
}

/** The shape of `--config file.json` (every field optional; flags and environment variables take precedence). */
export interface KafkaConnectionFile {
  readonly bootstrap?: string | readonly string[];
  readonly sasl?: { readonly mechanism?: string; readonly username?: string; readonly password?: string };
  readonly ssl?: KafkaConnectionOptions['ssl'];
  readonly clientId?: string;
  readonly connectionTimeout?: number;
  readonly requestTimeout?: number;
  readonly retries?: number;
}

/** Environment variables read by {@link resolveConnection}. */
export const CONNECTION_ENV_VARS = [
  'KAFKA_BOOTSTRAP_SERVERS', 'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SSL',
  'KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE', 'KAFKA_SSL_REJECT_UNAUTHORIZED',
] as const;

/**
 * Combines, in order of precedence: `--bootstrap`, environment variables (`KAFKA_BOOTSTRAP_SERVERS`,
 * `KAFKA_SASL_MECHANISM`, `KAFKA_SASL_USERNAME`, `KAFKA_SASL_PASSWORD`, `KAFKA_SSL=true`, `KAFKA_SSL_CA_FILE`,
 * `KAFKA_SSL_CERT_FILE`, `KAFKA_SSL_KEY_FILE`, `KAFKA_SSL_REJECT_UNAUTHORIZED=false`), then the JSON file.
 */
export function resolveConnection(flags: { bootstrap?: string; config?: string }, env: NodeJS.ProcessEnv = process.env): KafkaConnectionOptions {
  let file: KafkaConnectionFile = {};
  if (flags.config) {
    const p = path.resolve(flags.config);
    try {
      file = JSON.parse(fs.readFileSync(p, 'utf8')) as KafkaConnectionFile;
    } catch (e) {
      throw new DataOpsError(`--config ${p}: cannot read it as JSON (${(e as Error).message})`);
    }
  }
  const bootstrapText = flags.bootstrap ?? env.KAFKA_BOOTSTRAP_SERVERS ?? file.bootstrap;
  const brokers = (Array.isArray(bootstrapText) ? bootstrapText : String(bootstrapText ?? '').split(','))
    .map((s: string) => s.trim()).filter((s: string) => s.length > 0);
  if (brokers.length === 0) throw new DataOpsError('no Kafka bootstrap server: pass --bootstrap HOST:PORT (or set KAFKA_BOOTSTRAP_SERVERS, or "bootstrap" in --config)');
  for (const b of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(b) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(b)) throw new DataOpsError(`bootstrap server '${b}' is not HOST:PORT`);
  }

  const mechanism = (env.KAFKA_SASL_MECHANISM ?? file.sasl?.mechanism)?.toLowerCase();
  const username = env.KAFKA_SASL_USERNAME ?? file.sasl?.username;
  const password = env.KAFKA_SASL_PASSWORD ?? file.sasl?.password;
  let sasl: KafkaConnectionOptions['sasl'];
  if (mechanism || username || password) {
    if (!mechanism || !['plain', 'scram-sha-256', 'scram-sha-512'].includes(mechanism)) {
      throw new DataOpsError(`SASL mechanism '${mechanism ?? ''}' is not supported: set KAFKA_SASL_MECHANISM to plain, scram-sha-256 or scram-sha-512`);
    }
    if (!username || password === undefined) throw new DataOpsError('SASL needs both a user name and a password (KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD)');
    sasl = { mechanism: mechanism as SaslMechanism, username, password };
  }

  let ssl: KafkaConnectionOptions['ssl'] = file.ssl;
  const sslEnv = env.KAFKA_SSL?.toLowerCase();
  if (sslEnv === 'true' || sslEnv === '1' || env.KAFKA_SSL_CA_FILE || env.KAFKA_SSL_CERT_FILE) {
    const base = typeof file.ssl === 'object' ? file.ssl : {};
    ssl = {
      ...base,
      caFile: env.KAFKA_SSL_CA_FILE ?? base.caFile,
      certFile: env.KAFKA_SSL_CERT_FILE ?? base.certFile,
      keyFile: env.KAFKA_SSL_KEY_FILE ?? base.keyFile,
      rejectUnauthorized: env.KAFKA_SSL_REJECT_UNAUTHORIZED?.toLowerCase() === 'false' ? false : base.rejectUnauthorized,
    };
  } else if (sslEnv === 'false' || sslEnv === '0') {
    ssl = undefined;
  }
  return {
    brokers,
    sasl,
    ssl,
    clientId: file.clientId,
    connectionTimeout: file.connectionTimeout,
    requestTimeout: file.requestTimeout,
    retries: file.retries,
  };
}

/** `127.0.0.1:9092 (SASL scram-sha-512 as admin, TLS)`: safe to print (no secrets). */
export function describeConnection(c: KafkaConnectionOptions): string {
  const parts: string[] = [];
  if (c.sasl) parts.push(`SASL ${c.sasl.mechanism} as ${c.sasl.username}`);
  if (c.ssl) parts.push(c.ssl === true || c.ssl.rejectUnauthorized !== false ? 'TLS' : 'TLS without certificate verification');
  return `${c.brokers.join(',')}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** The kafkajs client configuration (reads the TLS files). */
export function kafkaJsConfig(c: KafkaConnectionOptions): KafkaConfig {
  let ssl: KafkaConfig['ssl'];
  if (c.ssl === true) ssl = true;
  else if (c.ssl) {
    const read = (f: string | undefined, what: string) => {
      if (!f) return undefined;
      try {
        return fs.readFileSync(f, 'utf8');
      } catch (e) {
        throw new DataOpsError(`TLS ${what} file ${f}: ${(e as Error).message}`);
      }
    };
    ssl = {
      ca: c.ssl.caFile ? [read(c.ssl.caFile, 'CA')!] : undefined,
      cert: read(c.ssl.certFile, 'certificate'),
      key: read(c.ssl.keyFile, 'key'),
      rejectUnauthorized: c.ssl.rejectUnauthorized ?? true,
    };
  }
  return {
    clientId: c.clientId ?? 'cdk8s-dataops',
    brokers: [...c.brokers],
    ssl,
    sasl: c.sasl ? ({ mechanism: c.sasl.mechanism, username: c.sasl.username, password: c.sasl.password } as SASLOptions) : undefined,
    connectionTimeout: c.connectionTimeout ?? 10_000,
    requestTimeout: c.requestTimeout ?? 60_000,
    retry: { retries: c.retries ?? 5, initialRetryTime: 300, maxRetryTime: 10_000 },
  };
}
