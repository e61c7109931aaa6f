import { IConstruct } from 'constructs';
import { ITopic } from '../../kafka/topic';

/** A topic with a node in the data-flow graph (a Topic or an imported topic, not a prefix): the subject of the PII rules. */
export function isGovernedTopic(c: IConstruct): c is ITopic & IConstruct & { readonly graphNodeId: string } {
  const t = c as Partial<ITopic> & { graphNodeId?: unknown };
  return typeof t.topicName === 'string' && Array.isArray(t.accesses) && typeof t.graphNodeId === 'string' && t.isPrefix === false;
}
