import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConnection, kafkaJsConfig, resolveConnection } from '../../../ops/kafka';

describe('resolveConnection', () => {
  it('reads SASL and TLS from environment variables, and never shows the password', () => {
    const c = resolveConnection({ bootstrap: 'b1:9092,b2:9092' }, {
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'admin', KAFKA_SASL_PASSWORD: 's3cr3t-value', KAFKA_SSL: 'true',
    });
    expect(c.brokers).toEqual(['b1:9092', 'b2:9092']);
    expect(c.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'admin', password: 's3cr3t-value' });
    const shown = describeConnection(c);
    expect(shown).toBe('b1:9092,b2:9092 (SASL scram-sha-512 as admin, TLS)');
    expect(shown).not.toContain('s3cr3t');
    expect(kafkaJsConfig(c)).toMatchObject({ brokers: ['b1:9092', 'b2:9092'], sasl: { mechanism: 'scram-sha-512' } });
  });

  it('reads a config file; flags and environment variables take precedence', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k7-conn-'));
    const file = path.join(dir, 'kafka.json');
    fs.writeFileSync(file, JSON.stringify({ bootstrap: ['file:9092'], sasl: { mechanism: 'plain', username: 'u', password: 'p' }, requestTimeout: 5000 }));
    try {
      expect(resolveConnection({ config: file }, {})).toMatchObject({ brokers: ['file:9092'], sasl: { mechanism: 'plain', username: 'u' }, requestTimeout: 5000 });
      expect(resolveConnection({ config: file, bootstrap: 'flag:1' }, { KAFKA_SASL_USERNAME: 'env' })).toMatchObject({ brokers: ['flag:1'], sasl: { username: 'env' } });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains what is missing or wrong', () => {
    expect(() => resolveConnection({}, {})).toThrow(/no Kafka bootstrap server: pass --bootstrap/);
    expect(() => resolveConnection({ bootstrap: 'nohost' }, {})).toThrow(/'nohost' is not HOST:PORT/);
    expect(() => resolveConnection({ bootstrap: 'h:1' }, { KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toThrow(/'gssapi' is not supported/);
    expect(() => resolveConnection({ bootstrap: 'h:1' }, { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' })).toThrow(/needs both a user name and a password/);
  });
});
