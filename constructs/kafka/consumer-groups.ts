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

interface GroupRead { readonly topic: ITopic & IConstruct; readonly group: string; readonly reader: IConstruct }

/**
 * The read grants with a literal consumer group of an environment, in declaration order, indexed by every scope
 * their reader is under: walked once, so that asking for the groups of each of many scopes (every pipeline, by a
 * policy rule) stays linear in the size of the tree.
 */
export class ConsumerGroupReads {
  /** The reads of `root` (an environment, or any scope) and below it. */
  public static of(root: IConstruct): ConsumerGroupReads {
    return new ConsumerGroupReads(root);
  }

  private readonly byScope = new Map<IConstruct, GroupRead[]>();

  private constructor(root: IConstruct) {
    for (const c of root.node.findAll()) {
      if (!isTopic(c)) continue;
      for (const a of c.accesses) {
        if (a.access !== 'read' || a.consumerGroup === undefined || a.consumerGroupIsPrefix) continue;
        const read = { topic: c, group: a.consumerGroup, reader: readerOf(a.principal) };
        for (const s of new Set(read.reader.node.scopes)) {
          const list = this.byScope.get(s);
          if (list) list.push(read);
          else this.byScope.set(s, [read]);
        }
      }
    }
  }

  /** The consumer groups whose readers are declared under `scope` (see {@link consumerGroupsUnder}). */
  public under(scope: IConstruct): DeclaredConsumerGroup[] {
    const byKey = new Map<string, { group: string; cluster: IKafkaCluster; topics: Set<string>; readers: IConstruct[] }>();
    for (const { topic, group, reader } of this.byScope.get(scope) ?? []) {
      const key = `${topic.cluster.clusterName}\u0000${group}`;
      const entry = byKey.get(key) ?? { group, cluster: topic.cluster, topics: new Set<string>(), readers: [] };
      entry.topics.add(topic.topicName);
      if (!entry.readers.includes(reader)) entry.readers.push(reader);
      byKey.set(key, entry);
    }
    return [...byKey.values()].map((e) => ({ group: e.group, cluster: e.cluster, topics: [...e.topics].sort(), readers: e.readers }));
  }
}

/**
 * The consumer groups (literal ids, not prefixes) whose readers are declared under `scope`, e.g. a pipeline,
 * in the order they were granted, found on every topic of the scope's environment.
 */
export function consumerGroupsUnder(scope: IConstruct): DeclaredConsumerGroup[] {
  return ConsumerGroupReads.of(Environment.tryOf(scope) ?? scope).under(scope);
}
