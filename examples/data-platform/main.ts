import { ApiObject } from 'cdk8s';
import { DataPlatform, Environment } from 'cdk8s-dataops';

const platform = new DataPlatform();
for (const name of ['dev', 'prod']) {
  const env = new Environment(platform, name, { namespace: 'payments' });
  new ApiObject(env, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', data: { tier: env.production ? 'gold' : 'bronze' } });
}
platform.synth();
