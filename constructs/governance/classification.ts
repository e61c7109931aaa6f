import { Construct, IConstruct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { DataFlowGraph, IGraphContributor } from '../../lib/graph/graph';
import { propsSchema, validateProps } from '../../lib/validation';
import { CLASSIFICATION_TAG } from '../kafka/schema';
import { ITopic } from '../kafka/topic';
import { addGovernanceReport } from './report';

/** Well-known classification tags; any other tag matching `CLASSIFICATION_TAG` is a custom tag. */
export enum DataClass {
  /** Personal data (GDPR): masked for readers that are not exempt, bounded retention. */
  PII = 'pii',
  /** Confidential business data. */
  SENSITIVE = 'sensitive',
  /** Safe to share. */
  PUBLIC = 'public',
}

/** What a process does to classified fields before it writes: their tags do not flow into its outputs. */
export interface DataHandlingProps {
  /** Fields the process drops from everything it writes. @default - none */
  readonly removes?: readonly string[];
  /** Fields the process masks (irreversibly) in everything it writes. @default - none */
  readonly masks?: readonly string[];
}

const handlingSchema = propsSchema<DataHandlingProps>()({
  removes: z.array(z.string().min(1)).optional(),
  masks: z.array(z.string().min(1)).optional(),
});

/** Anything with a node in the data-flow graph (a topic, an app, a connector). */
interface IGraphNodeRef extends IConstruct {
  readonly graphNodeId?: string;
}

function nodeIdOf(scope: IConstruct, what: IGraphNodeRef, field: string): string {
  const id = what.graphNodeId;
  if (typeof id !== 'string') throw new ValidationError(scope, field, `${what.node.path} has no node in the data-flow graph (expected a topic, a streaming app or a connector)`);
  return id;
}

/**
 * The classification of a whole topic (every record), e.g. a topic of payment events that is `sensitive` as a whole.
 * Created by {@link Classification.classifyTopic}.
 */
export class TopicClassification extends Construct implements IGraphContributor {
  /** Tags, lower case, sorted. */
  public readonly tags: readonly string[];
  /** The topic. */
  public readonly topic: ITopic;
  private readonly nodeId: string;

  constructor(scope: ITopic & IGraphNodeRef, id: string, tags: readonly string[]) {
    super(scope as unknown as Construct, id);
    this.topic = scope;
    this.nodeId = nodeIdOf(this, scope, 'topic');
    this.tags = checkTags(this, 'tags', tags);
    addGovernanceReport(this);
  }

  public addToGraph(graph: DataFlowGraph): void {
    graph.annotate(this.nodeId, { tags: this.tags });
  }
}

/**
 * A process's declaration of the classified fields it removes or masks before writing; the tags of those fields do
 * not flow into the datasets it writes. Created by {@link Classification.declareHandling}.
 */
export class DataHandling extends Construct implements IGraphContributor {
  /** Fields removed. */
  public readonly removes: readonly string[];
  /** Fields masked. */
  public readonly masks: readonly string[];
  private readonly nodeId: string;

  constructor(scope: IGraphNodeRef, id: string, props: DataHandlingProps) {
    super(scope as Construct, id);
    const p = validateProps(this, handlingSchema, props);
    this.nodeId = nodeIdOf(this, scope, 'process');
    this.removes = [...(p.removes ?? [])].sort();
    this.masks = [...(p.masks ?? [])].sort();
  }

  public addToGraph(graph: DataFlowGraph): void {
    graph.annotate(this.nodeId, { removes: [...this.removes, ...this.masks] });
  }
}

/**
 * Classification beyond a schema's fields (which `new Schema(..., { classify })` declares):
 *
 * ```ts
 * Classification.classifyTopic(payments, DataClass.SENSITIVE);
 * Classification.declareHandling(anonymizer, { removes: ['email'], masks: ['card_number'] });
 * ```
 */
export class Classification {
  /** Classifies every record of a topic. */
  public static classifyTopic(topic: ITopic, ...tags: string[]): TopicClassification {
    return new TopicClassification(topic as ITopic & IGraphNodeRef, `Classification${topic.node.children.filter((c) => c instanceof TopicClassification).length || ''}`, tags);
  }

  /** Declares what a process (a streaming app, a connector) removes or masks before writing. */
  public static declareHandling(process: IConstruct, props: DataHandlingProps): DataHandling {
    return new DataHandling(process as IGraphNodeRef, `DataHandling${process.node.children.filter((c) => c instanceof DataHandling).length || ''}`, props);
  }
}

function checkTags(scope: IConstruct, field: string, tags: readonly string[]): string[] {
  if (tags.length === 0) throw new ValidationError(scope, field, 'give at least one tag, e.g. DataClass.PII');
  for (const t of tags) {
    if (typeof t !== 'string' || !CLASSIFICATION_TAG.test(t)) throw new ValidationError(scope, field, `'${String(t)}' is not a classification tag: use a letter, then letters, digits, '_' or '-' (e.g. 'pii')`);
  }
  return [...new Set(tags.map((t) => t.toLowerCase()))].sort();
}
