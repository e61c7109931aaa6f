import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataPlatform, Environment, KafkaCluster, StrimziApiVersion } from 'cdk8s-dataops';

/** A platform with one environment and a Strimzi cluster reference, as most Kafka tests need. */
export function kafkaFixture(options: { env?: string; production?: boolean; apiVersion?: StrimziApiVersion; brokers?: number } = {}) {
  const platform = new DataPlatform();
  const env = new Environment(platform, options.env ?? 'prod', { namespace: 'payments', production: options.production });
  const cluster = KafkaCluster.fromStrimzi(env, 'kafka', {
    name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093', apiVersion: options.apiVersion, brokers: options.brokers,
  });
  return { platform, env, cluster };
}

/** A fresh temporary output folder. */
export function tempOutdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dataops-kafka-'));
}
