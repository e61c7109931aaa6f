import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DataPlatform, Environment, KafkaCluster, KyvernoPolicies, Pipeline, PolicyPacks, synthesizePlatform, Topic } from 'cdk8s-dataops';
import { KYVERNO_BOOTSTRAP_DIR, kyvernoClusterPolicies } from '../../../lib/policy/kyverno';
import { SchemaValidator } from '../../../lib/schema/validator';

const KYVERNO_CRDS = path.join(__dirname, '../../../schemas/crds/kyverno');

/** Problems of an object against the vendored kyverno.io ClusterPolicy CRD (upstream v1.19.0, verbatim). */
function crdProblems(object: unknown): string[] {
  const validator = new SchemaValidator({ crdDirs: [KYVERNO_CRDS], strictUnknown: true });
  return validator.validate(object).filter((p) => p.severity === 'error').map((p) => `${p.field ?? ''}: ${p.message}`);
}

function platformWithTopic() {
  const platform = new DataPlatform({ lineageReports: false });
  for (const [id, namespace] of [['dev', 'payments-dev'], ['prod', 'payments']] as const) {
    const env = new Environment(platform, id, { namespace, cluster: id });
    const cluster = KafkaCluster.fromStrimzi(env, 'kafka', { name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093', brokers: 3, credentialsStore: { name: 'strimzi-users', kind: 'ClusterSecretStore' } });
    new Topic(new Pipeline(env, 'orders', { owner: 'team-payments' }), 'raw', { cluster, topicName: 'payments.orders.v1' });
  }
  return platform;
}

describe('Kyverno ClusterPolicies from the recommended pack', () => {
  const all = kyvernoClusterPolicies(PolicyPacks.recommended(), { production: ['payments'] });

  it('has one ClusterPolicy per rule that admission can check, each valid against the Kyverno CRD', () => {
    expect(all.map((p) => p.metadata.name)).toEqual(['dop-k8s-002', 'dop-k8s-005', 'dop-k8s-006', 'dop-kafka-010', 'dop-pipeline-002']);
    for (const policy of all) expect(crdProblems(policy), policy.metadata.name).toEqual([]);
  });

  it('the CRD check can fail: a misspelt failure action is refused', () => {
    const broken = structuredClone(all[0]) as any;
    broken.spec.rules[0].validate.failureAction = 'Block';
    expect(crdProblems(broken).join('\n')).toMatch(/failureAction/);
  });

  it('error rules enforce, production-only rules are limited to the production namespaces or left out', () => {
    const kafka = all.find((p) => p.metadata.name === 'dop-kafka-010') as any;
    expect(kafka.spec.rules[0].match).toEqual({ any: [{ resources: { kinds: ['KafkaTopic'], namespaces: ['payments'] } }] });
    expect(kafka.spec.rules[0].validate.failureAction).toBe('Enforce');
    const security = all.find((p) => p.metadata.name === 'dop-k8s-002') as any;
    expect(security.spec.rules.map((r: any) => r.match)).toEqual(security.spec.rules.map(() => ({ any: [{ resources: { kinds: ['Pod'] } }] })));
    const nonProd = kyvernoClusterPolicies(PolicyPacks.recommended(), { production: 'none', errorAction: 'Audit' });
    expect(nonProd.map((p) => p.metadata.name)).toEqual(['dop-k8s-002', 'dop-k8s-005', 'dop-pipeline-002']);
    expect(nonProd.every((p: any) => p.spec.rules.every((r: any) => r.validate.failureAction === 'Audit'))).toBe(true);
    const prodCluster = kyvernoClusterPolicies(PolicyPacks.recommended(), { production: 'all' }) as any[];
    expect(prodCluster.find((p) => p.metadata.name === 'dop-kafka-010').spec.rules[0].match).toEqual({ any: [{ resources: { kinds: ['KafkaTopic'] } }] });
  });

  it('on a platform: written to dist/bootstrap/kyverno, production rules scoped to the namespaces of production environments', () => {
    const platform = platformWithTopic();
    new KyvernoPolicies(platform, 'admission', { pack: PolicyPacks.recommended() });
    const files = synthesizePlatform(platform, { policy: 'report', outdir: '/nonexistent-kyverno-test' }).files;
    const written = [...files.keys()].filter((f) => f.startsWith(`${KYVERNO_BOOTSTRAP_DIR}/`)).sort();
    expect(written).toEqual(['dop-k8s-002', 'dop-k8s-005', 'dop-k8s-006', 'dop-kafka-010', 'dop-pipeline-002'].map((n) => `${KYVERNO_BOOTSTRAP_DIR}/clusterpolicy.${n}.yaml`));
    const kafka = parse(files.get(`${KYVERNO_BOOTSTRAP_DIR}/clusterpolicy.dop-kafka-010.yaml`)!);
    expect(kafka.spec.rules[0].match.any[0].resources.namespaces).toEqual(['kafka']);
    for (const f of written) expect(crdProblems(parse(files.get(f)!)), f).toEqual([]);
  });

  it('in an environment: objects of that environment; production-only rules only in production', () => {
    const platform = platformWithTopic();
    const [dev, prod] = ['dev', 'prod'].map((id) => platform.node.findChild(id) as Environment);
    new KyvernoPolicies(dev, 'admission', { pack: PolicyPacks.recommended() });
    new KyvernoPolicies(prod, 'admission', { pack: PolicyPacks.recommended() });
    const objects = synthesizePlatform(platform, { policy: 'report', outdir: '/nonexistent-kyverno-test' }).objects;
    const policiesOf = (env: string) => objects.filter((o) => o.environment === env && o.object.kind === 'ClusterPolicy').map((o) => o.object.metadata.name).sort();
    expect(policiesOf('dev')).toEqual(['dop-k8s-002', 'dop-k8s-005', 'dop-pipeline-002']);
    expect(policiesOf('prod')).toEqual(['dop-k8s-002', 'dop-k8s-005', 'dop-k8s-006', 'dop-kafka-010', 'dop-pipeline-002']);
    expect(() => new KyvernoPolicies(prod, 'bad', { pack: PolicyPacks.recommended(), productionNamespaces: ['x'] })).toThrow(/prod\/bad.*productionNamespaces/s);
    expect(() => new KyvernoPolicies(prod, 'typo', { pack: PolicyPacks.recommended(), errorActon: 'Audit' } as any)).toThrow(/prod\/typo[\s\S]*errorActon[\s\S]*errorAction/);
    expect(() => new KyvernoPolicies(prod, 'action', { pack: PolicyPacks.recommended(), errorAction: 'Block' } as any)).toThrow(/prod\/action[\s\S]*errorAction/);
  });
});
