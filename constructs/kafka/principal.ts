import type { KafkaUser } from './user';

/**
 * Anything Kafka permissions can be granted to: a KafkaUser, or a construct that has one (a streaming app, a
 * connector). Grants add ACLs to that user.
 */
export interface IKafkaPrincipal {
  /** The KafkaUser that receives the ACLs. */
  readonly kafkaUser: KafkaUser;
  /**
   * Id of the principal's node in the data-flow graph, when it adds one itself (apps, connectors).
   * @default - the topic adds a node for the bare KafkaUser
   */
  readonly graphNodeId?: string;
}
