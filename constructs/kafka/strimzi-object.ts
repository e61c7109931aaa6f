import { ApiObject } from 'cdk8s';
import { IKafkaCluster, strimziApiVersion } from './cluster';

/**
 * Makes a generated Strimzi L1 emit the cluster's API version. The generated classes hard-code the version their CRD
 * stores (`v1`); clusters on Strimzi ≤ 0.48 need `v1beta2`, whose fields we use are the same.
 */
export function useClusterApiVersion<T extends ApiObject>(l1: T, cluster: IKafkaCluster): T {
  if (cluster.apiVersion === 'v1') return l1;
  const toJson = l1.toJson.bind(l1);
  const apiVersion = strimziApiVersion(cluster);
  l1.toJson = () => ({ ...toJson(), apiVersion });
  return l1;
}
