import { registerClusterScopedKind } from '../../lib/synthesizer/kinds';

// ClusterSecretStores have no namespace (objects of that kind go to manifests/<env>/_cluster/).
registerClusterScopedKind('external-secrets.io', 'ClusterSecretStore');

export { SecretReference, SecretValue } from './reference';
export * from './external';
export * from './sealed';
export * from './existing';
export * from './secrets';
