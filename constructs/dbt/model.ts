import { z } from 'zod';
import { propsSchema } from '../../lib/validation';

/**
 * Anything that is a node of the data-flow graph (lib/graph): a Topic (`topic:<cluster>/<name>`), a dbt model
 * (`dbt:<project>/<model>`), or any object with a `graphNodeId`.
 */
export interface IDatasetRef {
  /** The node id in the data-flow graph. */
  readonly graphNodeId: string;
}

/** Options of {@link DbtProject.model}. */
export interface DbtModelOptions {
  /**
   * What the model reads: other models, Kafka-landed tables, topics (graph node ids, or objects with a `graphNodeId`
   * such as a Topic).
   * @default - nothing declared
   */
  readonly reads?: readonly (string | IDatasetRef)[];
  /**
   * What the model feeds besides its own table, e.g. a topic a sink connector publishes it to.
   * @default - nothing declared
   */
  readonly writes?: readonly (string | IDatasetRef)[];
  /** What the model is. @default - none */
  readonly description?: string;
}

/**
 * A dbt model declared for lineage. Plain data: the lineage graph reads {@link DbtProject.models} and joins it
 * with the streaming side by graph node id.
 */
export interface DbtModelInfo extends IDatasetRef {
  /** `dbt:<project>/<model>`. */
  readonly graphNodeId: string;
  /** The dbt project (its object name). */
  readonly project: string;
  /** The model name (the .sql file name). */
  readonly name: string;
  /** Graph node ids the model reads, in declaration order. */
  readonly reads: readonly string[];
  /** Graph node ids the model writes besides itself. */
  readonly writes: readonly string[];
  /** Description, when given. */
  readonly description?: string;
}

/** zod schema of {@link DbtModelOptions}. */
const datasetRef = z.union([
  z.string().min(1),
  z.custom<IDatasetRef>((v) => typeof v === 'object' && v !== null && typeof (v as IDatasetRef).graphNodeId === 'string' && (v as IDatasetRef).graphNodeId.length > 0),
], { error: 'must be a graph node id or an object with a graphNodeId (a Topic, a dbt model)' });

export const dbtModelOptionsSchema = propsSchema<DbtModelOptions>()({
  reads: z.array(datasetRef).optional(),
  writes: z.array(datasetRef).optional(),
  description: z.string().optional(),
});

/** A dbt model name: what dbt accepts as a .sql file stem. */
export const DBT_MODEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The graph node id of a reference. */
export function graphNodeIdOf(ref: string | IDatasetRef): string {
  return typeof ref === 'string' ? ref : ref.graphNodeId;
}
