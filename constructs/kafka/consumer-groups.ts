import { IConstruct } from 'constructs';
import { Environment } from '../../lib/platform';
import { IKafkaCluster } from './cluster';
import { ITopic } from './topic';

/** A consumer group that reads topics, as declared by read grants (`topic.grantRead(app, { consumerGroup })`). */
export interface DeclaredConsumerGroup {
  /** The group id. */
  readonly group: string;
  /** The cluster the group consumes from. */
  readonly cluster: IKafkaCluster;
  /** The names of the topics it reads, sorted. */
  readonly topics: readonly string[];
  /** The constructs that read as this group (apps, connectors, users). */
  readonly readers: readonly IConstruct[];
}

function isTopic(c: unknown): c is ITopic & IConstruct {
  return typeof (c as ITopic).isSharedWith === 'function' && Array.isArray((c as ITopic).accesses);
}

/** The construct standing for a principal: the app or connector itself when it is a construct, else its KafkaUser. */
function readerOf(principal: ITopic['accesses'][number]['principal']): IConstruct {
  return (principal as unknown as IConstruct).node ? (principal as unknown as IConstruct) : principal.kafkaUser;
}

/**
 * The consumer groups (literal ids, not prefixes) whose readers are declared under `scope`, e.g. a pipeline,
 * in the order they were granted, found on every topic of the scope's environment.
 */
export function consumerGroupsUnder(scope: IConstruct): DeclaredConsumerGroup[] {
  const env = Environment.tryOf(scope);
  const byKey = new Map<string, { group: string; cluster: IKafkaCluster; topics: Set<string>; readers: IConstruct[] }>();
  for (const c of (env ?? scope).node.findAll()) {
    if (!isTopic(c)) continue;
    for (const a of c.accesses) {
      if (a.access !== 'read' || a.consumerGroup === undefined || a.consumerGroupIsPrefix) continue;
      const reader = readerOf(a.principal);
      if (!reader.node.scopes.includes(scope)) continue;
      const key = `${c.cluster.clusterName}\u0000${a.consumerGroup}`;
      const entry = byKey.get(key) ?? { group: a.consumerGroup, cluster: c.cluster, topics: new Set<string>(), readers: [] };
      entry.topics.add(c.topicName);
      if (!entry.readers.includes(reader)) entry.readers.push(reader);
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()].map((e) => ({ group: e.group, cluster: e.cluster, topics: [...e.topics].sort(), readers: e.readers }));
}
