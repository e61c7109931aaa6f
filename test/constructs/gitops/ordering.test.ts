import fc from 'fast-check';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DataPlatform, Environment, ObjectMetadata } from 'cdk8s-dataops';
import { findObject, synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { enableDeliveryOrdering, SyncWave } from '../../../constructs/gitops';
import { applyDeliveryOrdering, exceedsLastAppliedLimit, jsonLengthBound, orderingAnnotations } from '../../../constructs/gitops/ordering';
import { SecretProducers } from '../../../constructs/gitops/secret-producers';
import { KubeObject } from '../../../lib/synthesizer/manifest';
import { KafkaCluster, Topic } from '../../../constructs/kafka';
import { declareStrimziDelivery } from '../../../constructs/kafka/strimzi-object';
import { Job } from '../../../constructs/k8s';
import { syncHookAnnotations } from '../../../constructs/k8s/job';

const WAVE = 'argocd.argoproj.io/sync-wave';
const OPTIONS = 'argocd.argoproj.io/sync-options';

/** An environment with ordering, on a platform that uses Strimzi (as the Kafka constructs declare it). */
function env(): Environment {
  const e = new Environment(new DataPlatform(), 'prod', { namespace: 'payments' });
  enableDeliveryOrdering(e);
  declareStrimziDelivery(e);
  return e;
}

describe('sync waves by class', () => {
  it('orders prerequisites, secrets, Kafka, connectors and workloads', () => {
    const prod = env();
    new ApiObject(prod, 'payments', { apiVersion: 'v1', kind: 'Namespace' });
    new ApiObject(prod, 'db', { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret' });
    new ApiObject(prod, 'orders', { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic' });
    new ApiObject(prod, 'app', { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaUser' });
    new ApiObject(prod, 'sink', { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaConnector' });
    new ApiObject(prod, 'api', { apiVersion: 'apps/v1', kind: 'Deployment' });
    const waves = Object.fromEntries(synthesize(prod).map((o) => [o.kind, o.metadata.annotations?.[WAVE]]));
    expect(waves).toEqual({
      Namespace: '-10', ExternalSecret: '-5', KafkaTopic: '0', KafkaUser: '0', KafkaConnector: '5', Deployment: '10',
    });
  });

  it('knows no Kafka kind itself: the Kafka constructs declare theirs on their platform', () => {
    const plain = new Environment(new DataPlatform(), 'prod');
    enableDeliveryOrdering(plain);
    new ApiObject(plain, 'orders', { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic' });
    new ApiObject(plain, 'app', { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaUser' });
    new ApiObject(plain, 'app-kafka', {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', spec: { data: [{ secretKey: 'p', remoteRef: { key: 'app' } }] },
    });
    expect(findObject(plain, 'KafkaTopic', 'orders').metadata.annotations).toBeUndefined();
    expect(findObject(plain, 'ExternalSecret', 'app-kafka').metadata.annotations![WAVE]).toBe('-5');

    // The same platform with a Topic construct in it: Strimzi kinds are ordered, the credentials wait for the user.
    const cluster = KafkaCluster.fromStrimzi(plain, 'kafka', { name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093' });
    new Topic(plain, 'events', { cluster, topicName: 'events.v1' });
    expect(findObject(plain, 'KafkaTopic', 'orders').metadata.annotations![WAVE]).toBe(String(SyncWave.DATA));
    expect(findObject(plain, 'KafkaTopic', 'events.v1').metadata.annotations![WAVE]).toBe('0');
    expect(findObject(plain, 'ExternalSecret', 'app-kafka').metadata.annotations![WAVE]).toBe('1');
    // Another platform in the same process is not affected.
    const other = new Environment(new DataPlatform(), 'prod');
    enableDeliveryOrdering(other);
    new ApiObject(other, 'orders', { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic' });
    expect(findObject(other, 'KafkaTopic', 'orders').metadata.annotations).toBeUndefined();
  });

  it('matches the group: a Deployment of another API group has no class', () => {
    const prod = env();
    new ApiObject(prod, 'x', { apiVersion: 'example.com/v1', kind: 'Deployment' });
    expect(findObject(prod, 'Deployment', 'x').metadata.annotations?.[WAVE]).toBeUndefined();
  });

  it('keeps a wave the object already has', () => {
    const prod = env();
    new ApiObject(prod, 'early', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { annotations: { [WAVE]: '-1' } } });
    expect(findObject(prod, 'Deployment', 'early').metadata.annotations![WAVE]).toBe('-1');
  });

  it('orders objects defined after ordering was enabled', () => {
    const prod = env();
    new ApiObject(prod, 'late', { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic' });
    expect(findObject(prod, 'KafkaTopic', 'late').metadata.annotations![WAVE]).toBe(String(SyncWave.DATA));
  });

  it('leaves an environment without ordering untouched', () => {
    const prod = new Environment(new DataPlatform(), 'prod');
    new ApiObject(prod, 'api', { apiVersion: 'apps/v1', kind: 'Deployment' });
    expect(findObject(prod, 'Deployment', 'api').metadata.annotations).toBeUndefined();
  });

  it('adds only Flux annotations when Argo CD is not used', () => {
    const prod = new Environment(new DataPlatform(), 'prod');
    enableDeliveryOrdering(prod, { argocd: false });
    new ApiObject(prod, 'api', { apiVersion: 'apps/v1', kind: 'Deployment' });
    new ApiObject(prod, 'migrate', { apiVersion: 'batch/v1', kind: 'Job' });
    expect(findObject(prod, 'Deployment', 'api').metadata.annotations).toBeUndefined();
    expect(findObject(prod, 'Job', 'migrate').metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/force': 'enabled' });
  });
});

describe('secrets produced by operators', () => {
  const externalSecret = (key: string) => ({
    apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret',
    spec: { secretStoreRef: { name: 'strimzi-users', kind: 'ClusterSecretStore' }, data: [{ secretKey: 'password', remoteRef: { key, property: 'password' } }] },
  });

  it('orders an ExternalSecret copying a KafkaUser\'s credentials after the user, other ExternalSecrets in the secrets wave', () => {
    const prod = env();
    new ApiObject(prod, 'app-kafka', externalSecret('app'));
    new ApiObject(prod, 'db', externalSecret('vault/warehouse'));
    new ApiObject(prod, 'app', { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaUser', metadata: { namespace: 'kafka' } });
    expect(findObject(prod, 'ExternalSecret', 'app-kafka').metadata.annotations![WAVE]).toBe('1');
    expect(findObject(prod, 'ExternalSecret', 'db').metadata.annotations![WAVE]).toBe('-5');
  });

  it('follows the producer\'s own wave, and reads dataFrom', () => {
    const prod = env();
    new ApiObject(prod, 'late', { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaUser', metadata: { annotations: { [WAVE]: '7' } } });
    new ApiObject(prod, 'copy', {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret',
      spec: { secretStoreRef: { name: 's' }, dataFrom: [{ extract: { key: 'late' } }] },
    });
    expect(findObject(prod, 'ExternalSecret', 'copy').metadata.annotations![WAVE]).toBe('8');
  });

  it('lets domain modules declare producers', () => {
    const prod = env();
    SecretProducers.of(prod).register('db.example.com/Database', (o) => [`${o.metadata.name}-credentials`]);
    new ApiObject(prod, 'orders', { apiVersion: 'db.example.com/v1', kind: 'Database', metadata: { annotations: { [WAVE]: '2' } } });
    new ApiObject(prod, 'orders-db', externalSecret('orders-credentials'));
    expect(findObject(prod, 'ExternalSecret', 'orders-db').metadata.annotations![WAVE]).toBe('3');
  });
});

describe('one-shot Jobs', () => {
  it('are Sync hooks recreated before each run, and forced by Flux', () => {
    const prod = env();
    new ApiObject(prod, 'migrate', { apiVersion: 'batch/v1', kind: 'Job' });
    expect(findObject(prod, 'Job', 'migrate').metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      [WAVE]: String(SyncWave.WORKLOADS),
      'kustomize.toolkit.fluxcd.io/force': 'enabled',
    });
  });

  it('keep the hook (and no wave) they already declare', () => {
    const prod = env();
    new ApiObject(prod, 'register', {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: { annotations: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' } },
    });
    const a = findObject(prod, 'Job', 'register').metadata.annotations!;
    expect(a['argocd.argoproj.io/hook']).toBe('PreSync');
    expect(a['argocd.argoproj.io/hook-delete-policy']).toBe('HookSucceeded');
    expect(a[WAVE]).toBeUndefined();
  });

  it('treat the Job construct the same: plain Jobs become Sync hooks, declared hooks are kept', () => {
    const prod = env();
    const c = { name: 'migrate', image: 'ghcr.io/acme/migrations:7' };
    new Job(prod, 'Plain', { containers: [c] });
    new Job(prod, 'Before', { containers: [c], syncHook: 'PreSync' });
    expect(findObject(prod, 'Job', 'plain').metadata.annotations).toEqual({ ...syncHookAnnotations('Sync'), [WAVE]: '10' });
    expect(findObject(prod, 'Job', 'before').metadata.annotations).toEqual(syncHookAnnotations('PreSync'));
  });

  it('CronJobs are not hooks', () => {
    const prod = env();
    new ApiObject(prod, 'nightly', { apiVersion: 'batch/v1', kind: 'CronJob' });
    expect(findObject(prod, 'CronJob', 'nightly').metadata.annotations).toEqual({ [WAVE]: '10' });
  });
});

describe('server-side apply for large objects', () => {
  const big = (kib: number) => ({ blob: 'x'.repeat(kib * 1024) });

  it('turns on ServerSideApply for a ConfigMap over 256 KiB, keeping Prune=false', () => {
    const prod = env();
    new ApiObject(prod, 'huge', {
      apiVersion: 'v1', kind: 'ConfigMap', data: big(300),
      metadata: { annotations: { [OPTIONS]: 'Prune=false' } },
    });
    expect(findObject(prod, 'ConfigMap', 'huge').metadata.annotations![OPTIONS]).toBe('Prune=false,ServerSideApply=true');
  });

  it('leaves a 100 KiB ConfigMap on client-side apply', () => {
    const prod = env();
    new ApiObject(prod, 'small', { apiVersion: 'v1', kind: 'ConfigMap', data: big(100) });
    expect(findObject(prod, 'ConfigMap', 'small').metadata.annotations![OPTIONS]).toBeUndefined();
  });

  it('counts the annotations and the last-applied key against the limit', () => {
    const object = (bytes: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { blob: 'x'.repeat(bytes) } });
    const overhead = JSON.stringify(object(0)).length + 'kubectl.kubernetes.io/last-applied-configuration'.length + 1 + 1024;
    expect(exceedsLastAppliedLimit(object(262144 - overhead))).toBe(false);
    expect(exceedsLastAppliedLimit(object(262144 - overhead + 1))).toBe(true);
  });

  it('tells the limit exactly, with annotations added, whatever the characters (its quick bound never decides wrongly)', () => {
    // The definition: all annotations (the added ones included) plus the last-applied one holding the object's JSON.
    const exact = (o: KubeObject, added: Record<string, string>) => {
      const annotations = { ...o.metadata?.annotations, ...added };
      const withAdded = { ...o, metadata: { ...o.metadata, annotations } };
      const others = Object.entries(annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
      return others + Buffer.byteLength('kubectl.kubernetes.io/last-applied-configuration') + Buffer.byteLength(JSON.stringify(withAdded)) + 1 + 1024 > 262144;
    };
    const unit = fc.constantFrom('x', 'ü', '€', '😀', '"', '\n', '\u0001');
    fc.assert(fc.property(
      fc.integer({ min: 40_000, max: 262_144 }), unit, fc.boolean(), fc.dictionary(fc.string({ unit, maxLength: 8 }), fc.string({ unit, maxLength: 8 }), { maxKeys: 3 }),
      (n, ch, withMetadata, added) => {
        const blob = ch.repeat(Math.floor(n / Buffer.byteLength(ch)));
        const o: KubeObject = withMetadata
          ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { a: ch } }, data: { blob } } as KubeObject
          : { apiVersion: 'v1', kind: 'ConfigMap', data: { blob } } as unknown as KubeObject;
        expect(exceedsLastAppliedLimit(o, added)).toBe(exact(o, added));
      },
    ), { numRuns: 300 });
  });

  it("bounds an object's JSON length from above without writing it, and gives up past its budget", () => {
    const unit = fc.constantFrom('x', 'ü', '€', '😀', '"', '\\', '\n', '\u0001', '\ud800');
    const text = fc.string({ unit, maxLength: 12 });
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 5 }),
      object: fc.dictionary(text, tie('value'), { maxKeys: 5 }),
    })).object;
    fc.assert(fc.property(json, (o) => {
      const length = JSON.stringify(o).length;
      expect(jsonLengthBound(o, Infinity)).toBeGreaterThanOrEqual(length);
      expect(jsonLengthBound(o, length - 1)).toBe(Infinity);
    }), { numRuns: 1000 });
    expect(jsonLengthBound({ at: new Date(0) }, Infinity)).toBe(Infinity); // toJSON: not bounded, written out instead
  });

  it('does not add ServerSideApply twice', () => {
    const o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { [OPTIONS]: 'ServerSideApply=true' } }, data: big(300) };
    expect(orderingAnnotations(o)[OPTIONS]).toBeUndefined();
  });
});

it('respects annotations passed down by ancestors (ObjectMetadata)', () => {
  const prod = env();
  const group = new Construct(prod, 'Pipeline');
  ObjectMetadata.of(group).addAnnotation(WAVE, '3').addAnnotation(OPTIONS, 'Prune=false');
  new ApiObject(group, 'api', { apiVersion: 'apps/v1', kind: 'Deployment' });
  new ApiObject(group, 'huge', { apiVersion: 'v1', kind: 'ConfigMap', data: { blob: 'x'.repeat(300 * 1024) } });
  expect(findObject(prod, 'Deployment', 'api').metadata.annotations).toEqual({ [WAVE]: '3', [OPTIONS]: 'Prune=false' });
  // the inherited Prune=false survives next to ServerSideApply
  expect(findObject(prod, 'ConfigMap', 'huge').metadata.annotations).toEqual({ [WAVE]: '3', [OPTIONS]: 'Prune=false,ServerSideApply=true' });
});

it('is idempotent: applying twice changes nothing', () => {
  const prod = env();
  new ApiObject(prod, 'migrate', { apiVersion: 'batch/v1', kind: 'Job', metadata: { annotations: { [OPTIONS]: 'Prune=false' } }, spec: big() });
  const once = synthesize(prod);
  applyDeliveryOrdering(prod);
  expect(synthesize(prod)).toEqual(once);
  function big() {
    return { note: 'y'.repeat(300 * 1024) };
  }
});
