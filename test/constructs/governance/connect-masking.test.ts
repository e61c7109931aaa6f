/**
 * Masking enforced for real: the transforms a MaskingPolicy attaches to a KafkaConnector run in Apache Kafka's own
 * Connect runtime (standalone worker, FileStreamSink, test/support/kafka/connect-worker.ts) against the real test
 * broker. Records produced with clear PII land in the sink file with the masked fields replaced and the rest intact.
 * The first run resolves the broker's and Connect's jars with Maven (cached in .cache/kafka).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaskingPolicy, synthesizePlatform } from 'cdk8s-dataops';
import { findObject } from 'cdk8s-dataops/testing';
import { eventually } from '../../support/eventually';
import { startBroker, type BrokerHandle } from '../../support/kafka/broker';
import { startConnectStandalone, type ConnectWorker } from '../../support/kafka/connect-worker';
import { piiPlatform } from './support';

const TIMEOUT = 300_000;

/** The transform settings of a synthesized connector config: `transforms` and every `transforms.<alias>.*`. */
function transformsOf(config: Record<string, string | number | boolean>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).filter(([k]) => k === 'transforms' || k.startsWith('transforms.')).map(([k, v]) => [k, String(v)]));
}

/** FileStreamSink writes `value.toString()`: for a schemaless JSON value, a java.util.Map (`{k=v, k2=v2}`). */
function parseJavaMap(line: string): Record<string, string> {
  expect(line).toMatch(/^\{.*\}$/);
  return Object.fromEntries(line.slice(1, -1).split(', ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

describe('MaskingPolicy on a real Kafka Connect sink', () => {
  let broker: BrokerHandle;
  let worker: ConnectWorker | undefined;
  let dir: string;

  beforeAll(async () => {
    broker = await startBroker();
    dir = mkdtempSync(path.join(os.tmpdir(), 'dataops-masking-'));
  }, TIMEOUT);

  afterAll(async () => {
    await worker?.stop();
    await broker?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, TIMEOUT);

  it('masks the PII fields in what the sink writes and keeps the rest', async () => {
    // The platform: PII fields on orders, inherited by enriched, which a sink connector reads.
    const f = piiPlatform({ classify: { customerEmail: 'pii', amountCents: 'sensitive' } });
    new MaskingPolicy(f.pipeline, 'mask-pii', {
      topics: [f.orders, f.enriched], fields: ['customerEmail', 'cardNumber', 'amountCents'], rule: 'all', exempt: [f.enricher],
    });
    synthesizePlatform(f.platform, { outdir: path.join(dir, 'dist') });
    const transforms = transformsOf(findObject(f.env, 'KafkaConnector', 'to-warehouse').spec.config);
    expect(transforms.transforms).toBe('mask-pii-1,mask-pii-2');

    const topic = f.enriched.topicName;
    const kafka = new Kafka({ clientId: 'masking-test', brokers: [broker.bootstrap], sasl: broker.sasl, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const records = [
      { id: 'o-1', customerEmail: 'ada@example.com', cardNumber: '4111111111111111', amountCents: 1250, currency: 'EUR' },
      { id: 'o-2', customerEmail: 'alan@example.org', cardNumber: '5500005555555559', amountCents: 990, currency: 'GBP' },
    ];
    await producer.send({ topic, messages: records.map((r) => ({ key: r.id, value: JSON.stringify(r) })) });
    await producer.disconnect();

    const sinkFile = path.join(dir, 'sink.txt');
    worker = await startConnectStandalone({
      broker,
      connector: {
        'name': 'to-warehouse',
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
        'tasks.max': '1',
        'topics': topic,
        'file': sinkFile,
        'consumer.override.auto.offset.reset': 'earliest',
        ...transforms,
      },
      worker: { 'connector.client.config.override.policy': 'All' },
    });
    console.log(`Connect worker (Kafka ${broker.version}) RUNNING after ${worker.startupMs} ms; transforms ${JSON.stringify(transforms)}`);

    const lines = await eventually(async () => {
      const text = existsSync(sinkFile) ? readFileSync(sinkFile, 'utf8').trim() : '';
      const l = text ? text.split('\n') : [];
      if (l.length < records.length) throw new Error(`sink has ${l.length} of ${records.length} records; worker log:\n${worker!.logTail(20)}`);
      return l;
    }, 60_000);
    const written = lines.map(parseJavaMap);
    console.log(`sink file:\n${lines.join('\n')}`);
    expect(written).toEqual([
      { id: 'o-1', customerEmail: '****', cardNumber: '****', amountCents: '0', currency: 'EUR' },
      { id: 'o-2', customerEmail: '****', cardNumber: '****', amountCents: '0', currency: 'GBP' },
    ]);
  }, TIMEOUT);
});
