import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SecretProducers } from '../gitops/secret-producers';
import { SyncWave, SyncWaves } from '../gitops/sync-waves';
import { IKafkaCluster, strimziApiVersion } from './cluster';

/**
 * Makes a generated Strimzi L1 emit the cluster's API version, and declares how GitOps delivers Strimzi objects
 * ({@link declareStrimziDelivery}). The generated classes hard-code the version their CRD stores (`v1`); clusters on
 * Strimzi ≤ 0.48 need `v1beta2`, whose fields we use are the same.
 */
export function useClusterApiVersion<T extends ApiObject>(l1: T, cluster: IKafkaCluster): T {
  declareStrimziDelivery(l1);
  if (cluster.apiVersion === 'v1') return l1;
  const toJson = l1.toJson.bind(l1);
  const apiVersion = strimziApiVersion(cluster);
  l1.toJson = () => ({ ...toJson(), apiVersion });
  return l1;
}

const declared = new WeakSet<IConstruct>();

/**
 * Declares on the platform of `scope` how GitOps orders Strimzi objects: topics and users in the data wave (before the
 * workloads that use them), Kafka Connect clusters, connectors and MirrorMaker 2 one wave later (they need topics and
 * users); and that the User Operator writes a KafkaUser's credentials to a Secret named after the user, so an
 * ExternalSecret copying it waits for the KafkaUser. Idempotent.
 */
export function declareStrimziDelivery(scope: IConstruct): void {
  const root = scope.node.root;
  if (declared.has(root)) return;
  declared.add(root);
  const waves = SyncWaves.of(root);
  for (const kind of ['KafkaTopic', 'KafkaUser']) waves.register(`kafka.strimzi.io/${kind}`, SyncWave.DATA);
  for (const kind of ['KafkaConnect', 'KafkaConnector', 'KafkaMirrorMaker2']) waves.register(`kafka.strimzi.io/${kind}`, SyncWave.INTEGRATIONS);
  SecretProducers.of(root).register('kafka.strimzi.io/KafkaUser', (o) => [o.metadata.name]);
}
