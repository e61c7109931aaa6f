import { PolicyPack } from '../../../lib/policy/pack';
import { noPlaintextConnectorCredential } from './no-plaintext-connector-credential';
import { partitionsOnlyGrow } from './partitions-only-grow';
import { destructiveSchemaChange } from './schema-change';
import { schemaCompatibleWithHistory } from './schema-compatible';
import { destructiveTopicChange } from './topic-change';
import { topicNameImmutable } from './topic-name-immutable';

/**
 * The Kafka rules every platform with Kafka gets, whatever packs it chooses: changes Kafka or the registry cannot
 * apply or undo, and credentials in connector config. Added by the Kafka constructs themselves
 * (`Policies.require(this, KAFKA_SAFETY_PACK)` in KafkaCluster), not by importing a module.
 */
export const KAFKA_SAFETY_PACK: PolicyPack = {
  name: 'kafka-safety',
  description: 'Kafka changes that cannot be applied or undone, and plaintext connector credentials',
  rules: [partitionsOnlyGrow, topicNameImmutable, schemaCompatibleWithHistory, noPlaintextConnectorCredential],
  detectors: [destructiveTopicChange, destructiveSchemaChange],
};
