import { IConstruct } from 'constructs';
import { ClassifiedField, DatasetClassification, propagateClassification } from '../../../lib/graph/classification';
import { DataFlowGraph } from '../../../lib/graph/graph';
import { Environment } from '../../../lib/platform';
import { RuleContext } from '../../../lib/policy/rule';
import { IKafkaPrincipal } from '../../kafka/principal';
import { ITopic } from '../../kafka/topic';
import { DataClass } from '../classification';
import { MaskingEnforcement, MaskingPolicy } from '../masking-policy';

/** A topic that carries PII (declared or inherited), with how each of its readers gets each PII field. */
export interface PiiTopic {
  readonly topic: ITopic & { readonly graphNodeId: string };
  /** PII fields (declared or inherited). */
  readonly fields: readonly ClassifiedField[];
  /** Whether the whole topic is classified PII. */
  readonly wholeTopic: boolean;
  /** Per reader (Kafka read grants): per PII field, the enforcement (undefined: no masking policy covers it). */
  readonly readers: ReadonlyArray<{ readonly reader: IKafkaPrincipal; readonly fields: ReadonlyMap<string, MaskingEnforcement & { policy: MaskingPolicy } | undefined> }>;
}

/** The governance view of one environment. */
export interface GovernanceAnalysis {
  readonly graph: DataFlowGraph;
  readonly classes: ReadonlyMap<string, DatasetClassification>;
  readonly piiTopics: readonly PiiTopic[];
  readonly policies: readonly MaskingPolicy[];
}

const cache = new WeakMap<Environment, { size: number; analysis: GovernanceAnalysis }>();

function isTopicWithNode(c: IConstruct): c is ITopic & IConstruct & { graphNodeId: string } {
  const t = c as Partial<ITopic> & { graphNodeId?: unknown };
  return typeof t.topicName === 'string' && Array.isArray(t.accesses) && typeof t.graphNodeId === 'string' && t.isPrefix === false;
}

/** Analyses an environment (cached while its construct tree keeps its size). */
export function analyzeGovernance(env: Environment): GovernanceAnalysis {
  const all = env.node.findAll();
  const hit = cache.get(env);
  if (hit && hit.size === all.length) return hit.analysis;
  const graph = DataFlowGraph.of(env);
  const classes = propagateClassification(graph);
  const policies = all.filter((c): c is MaskingPolicy => c instanceof MaskingPolicy);
  const piiTopics: PiiTopic[] = [];
  for (const topic of all.filter(isTopicWithNode)) {
    const c = classes.get(topic.graphNodeId);
    if (!c) continue;
    const fields = c.fields.filter((f) => f.tags.includes(DataClass.PII));
    const wholeTopic = c.tags.includes(DataClass.PII);
    if (fields.length === 0 && !wholeTopic) continue;
    const covering = policies.filter((p) => p.topics.includes(topic));
    const enforcementByPolicy = new Map(covering.map((p) => [p, p.enforcement()]));
    const readers: IKafkaPrincipal[] = [];
    for (const a of topic.accesses) if (a.access === 'read' && !readers.includes(a.principal)) readers.push(a.principal);
    piiTopics.push({
      topic,
      fields,
      wholeTopic,
      readers: readers.map((reader) => ({
        reader,
        fields: new Map(fields.map((f) => {
          // The strongest enforcement any policy covering this field gives this reader.
          const options = covering.filter((p) => p.fields.includes(f.name))
            .map((p) => ({ ...enforcementByPolicy.get(p)!.find((e) => e.reader === reader)!, policy: p }))
            .filter((e) => e.reader !== undefined);
          const best = options.find((e) => e.enforcement !== 'none') ?? options[0];
          return [f.name, best];
        })),
      })),
    });
  }
  const analysis = { graph, classes, piiTopics, policies };
  cache.set(env, { size: all.length, analysis });
  return analysis;
}

const ANALYSIS = Symbol('governance analysis');

/**
 * The governance view of the subject's environment and the topic's PII, or undefined when the topic carries none.
 * The analysis (lineage graph, classification propagation, masking enforcement) and its topic index are computed
 * once per policy evaluation of the environment (`context.memo`), not for every topic.
 */
export function piiTopicOf(topic: IConstruct, context: RuleContext): { readonly analysis: GovernanceAnalysis; readonly info: PiiTopic } | undefined {
  const env = context.environment;
  if (!env) return undefined;
  const { analysis, byTopic } = context.memo(ANALYSIS, () => {
    const a = analyzeGovernance(env);
    const index = new Map<unknown, PiiTopic>();
    for (const t of a.piiTopics) if (!index.has(t.topic)) index.set(t.topic, t);
    return { analysis: a, byTopic: index };
  });
  const info = byTopic.get(topic);
  return info ? { analysis, info } : undefined;
}

/** A reader for messages: `streaming app validator`, `connector orders-to-warehouse`, `KafkaUser x`. */
export function readerName(graph: DataFlowGraph, reader: IKafkaPrincipal): string {
  const node = reader.graphNodeId ? graph.node(reader.graphNodeId) : undefined;
  return node ? `${node.kind} ${node.name}` : `KafkaUser ${reader.kafkaUser.userName}`;
}
