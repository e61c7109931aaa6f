import { constructRef } from '../../lib/validation';
import type { ITopic } from './topic';

/**
 * zod check of a prop that holds a topic ({@link ITopic}: a Topic, an imported topic or a prefix), the one every
 * domain that takes topics uses: a missing one `is required (a Topic)`, any other value `expected a Topic`.
 *
 * A file of its own so that taking a topic does not load topic.ts: Schema (schema.ts) is loaded by the Kafka
 * safety rules, which KafkaCluster (cluster.ts) loads, and topic.ts needs cluster.ts complete when it is loaded.
 */
export const topicRef = constructRef<ITopic>((v) => !!v && typeof (v as ITopic).topicName === 'string' && typeof (v as ITopic).grantRead === 'function', 'a Topic');
