import { KubeObject } from '../../../lib/synthesizer/manifest';

/** The fields of a KafkaTopic's spec the rules read. */
export type TopicSpec = { topicName?: string; partitions?: number; replicas?: number; config?: Record<string, unknown> };

/** The spec of a KafkaTopic object (empty when there is none). */
export function specOf(o: KubeObject | undefined): TopicSpec {
  return ((o?.spec as TopicSpec | undefined) ?? {});
}

/** The topic name of a KafkaTopic object (spec.topicName, else metadata.name, as Strimzi reads it). */
export function topicNameOf(o: KubeObject): string {
  return specOf(o).topicName ?? o.metadata.name;
}
