import type { KafkaUser } from './user';

/**
 * Anything Kafka permissions can be granted to: a KafkaUser, or a construct that has one (a streaming app, a
 * connector). Grants add ACLs to that user.
 */
export interface IKafkaPrincipal {
  /** The KafkaUser that receives the ACLs. */
  readonly kafkaUser: KafkaUser;
}
