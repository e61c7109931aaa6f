import { describe, expect, it } from 'vitest';
import { Compatibility, Schema, SchemaRegistry, Secrets, synthesizePlatform, Topic } from 'cdk8s-dataops';
import { findObject } from 'cdk8s-dataops/testing';
import { kafkaFixture, tempOutdir } from './support';

const record = (fields: object[]) => ({ type: 'record', name: 'Order', namespace: 'payments', fields });
const V1 = record([{ name: 'id', type: 'string' }, { name: 'amount', type: 'int' }]);

function platformWith(definition: object | string, compatibility?: Compatibility, type?: 'AVRO' | 'JSON' | 'PROTOBUF') {
  const f = kafkaFixture();
  const registry = SchemaRegistry.fromUrl(f.env, 'registry', { url: 'http://schema-registry.kafka:8081' });
  const topic = new Topic(f.env, 'orders', { cluster: f.cluster, topicName: 'payments.orders.v1' });
  const schema = new Schema(f.env, 'orders-value', { registry, topic, definition, compatibility, type });
  return { ...f, schema };
}

describe('Schema', () => {
  it('emits the version history ConfigMap and a registration hook Job', () => {
    const { env, schema } = platformWith(V1);
    expect(schema.subject).toBe('payments.orders.v1-value');
    const cm = findObject(env, 'ConfigMap', 'schema-payments.orders.v1-value');
    expect(Object.keys(cm.data)).toEqual(['compatibility', 'schemaType', 'subject', 'v0001.avsc', 'v0001.payload.json']);
    expect(JSON.parse(cm.data['v0001.avsc'])).toEqual(V1);
    expect(JSON.parse(cm.data['v0001.payload.json'])).toEqual({ schemaType: 'AVRO', schema: cm.data['v0001.avsc'] });
    expect(cm.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false');
    const job = findObject(env, 'Job', 'register-schema-payments-orders-v1-value');
    expect(job.metadata.annotations).toMatchObject({
      'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation', 'kustomize.toolkit.fluxcd.io/force': 'enabled',
    });
    const container = job.spec.template.spec.containers[0];
    expect(container.env).toEqual(expect.arrayContaining([
      { name: 'REGISTRY_URL', value: 'http://schema-registry.kafka:8081' }, { name: 'SUBJECT', value: 'payments.orders.v1-value' },
      { name: 'COMPATIBILITY', value: 'BACKWARD' },
    ]));
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
  });

  it('takes registry credentials from secret references only', () => {
    const f = kafkaFixture();
    const creds = Secrets.fromSecretName(f.env, 'creds', 'registry-credentials', { keys: ['username', 'password'] });
    const registry = SchemaRegistry.fromUrl(f.env, 'registry', { url: 'https://registry:8081', username: creds.envValue('username'), password: creds.envValue('password') });
    const topic = new Topic(f.env, 'orders', { cluster: f.cluster, topicName: 'orders' });
    new Schema(f.env, 's', { registry, topic, definition: V1 });
    const env = findObject(f.env, 'Job', 'register-schema-orders-value').spec.template.spec.containers[0].env;
    expect(env).toEqual(expect.arrayContaining([
      { name: 'REGISTRY_PASSWORD', valueFrom: { secretKeyRef: { name: 'registry-credentials', key: 'password' } } },
    ]));
    expect(() => SchemaRegistry.fromUrl(f.env, 'half', { url: 'https://r:8081', username: creds.envValue('username') })).toThrow(/field 'password': set both/);
  });

  it('says a missing topic or registry is required, and names what a wrong one should be', () => {
    const f = kafkaFixture();
    const registry = SchemaRegistry.fromUrl(f.env, 'registry', { url: 'http://schema-registry.kafka:8081' });
    const topic = new Topic(f.env, 'orders', { cluster: f.cluster, topicName: 'payments.orders.v1' });
    expect(() => new Schema(f.env, 'a', { registry, definition: V1 } as never)).toThrow("prod/a, field 'topic': is required (a Topic)");
    expect(() => new Schema(f.env, 'b', { registry, topic: 'payments.orders.v1', definition: V1 } as never)).toThrow("prod/b, field 'topic': expected a Topic");
    expect(() => new Schema(f.env, 'c', { topic, definition: V1 } as never)).toThrow("prod/c, field 'registry': is required (a SchemaRegistry (SchemaRegistry.fromUrl))");
    expect(() => new Schema(f.env, 'd', { registry: 'http://schema-registry.kafka:8081', topic, definition: V1 } as never))
      .toThrow("prod/d, field 'registry': must be a SchemaRegistry (SchemaRegistry.fromUrl)");
  });

  it('refuses plain registry credentials and a peer that is not a NetworkPeer', () => {
    const f = kafkaFixture();
    expect(() => SchemaRegistry.fromUrl(f.env, 'plain2', { url: 'https://r:8081', username: 'admin' } as never))
      .toThrow("prod/plain2, field 'username': expected a secret value (secret.envValue(key))");
    expect(() => SchemaRegistry.fromUrl(f.env, 'peer', { url: 'https://r:8081', peer: '10.0.0.0/8' } as never))
      .toThrow("prod/peer, field 'peer': must be a NetworkPeer (NetworkPeer.namespace(), .pods(), .cidr(), ...)");
  });

  it('refuses definitions that do not parse, naming the field', () => {
    expect(() => platformWith({ type: 'record', name: 'X', fields: [{ name: 'a', type: 'nope' }] })).toThrow(/prod\/orders-value, field 'definition': not a valid AVRO schema: undefined type name: nope/);
    expect(() => platformWith('{"type": "object", "properties": {"a": {"type": "strin"}}}', undefined, 'JSON')).toThrow(/not a valid JSON schema/);
    expect(() => platformWith('message A { strin id = ; }', undefined, 'PROTOBUF')).toThrow(/not a valid PROTOBUF schema: illegal token/);
    expect(() => platformWith('syntax = "proto3"; message A { string id = 1; }', undefined, 'PROTOBUF')).not.toThrow();
  });

  // Each row: level, the change from V1, whether synth accepts it.
  const added = record([{ name: 'id', type: 'string' }, { name: 'amount', type: 'int' }, { name: 'currency', type: 'string' }]);
  const addedWithDefault = record([{ name: 'id', type: 'string' }, { name: 'amount', type: 'int' }, { name: 'currency', type: 'string', default: 'EUR' }]);
  const removed = record([{ name: 'id', type: 'string' }]);
  const widened = record([{ name: 'id', type: 'string' }, { name: 'amount', type: 'long' }]);
  const retyped = record([{ name: 'id', type: 'string' }, { name: 'amount', type: 'string' }]);
  const rows: Array<[Compatibility, string, object, RegExp | null]> = [
    [Compatibility.BACKWARD, 'field added with a default', addedWithDefault, null],
    [Compatibility.BACKWARD, 'field added without a default', added, /BACKWARD: the new schema cannot read data written with version 1: field 'currency' was added to the new schema without a default/],
    [Compatibility.BACKWARD, 'field removed', removed, null],
    [Compatibility.BACKWARD, 'int widened to long', widened, null],
    [Compatibility.FORWARD, 'field removed without a default', removed, /FORWARD: version 1 cannot read data written with the new schema: field 'amount' was removed, but version 1 has no default for it/],
    [Compatibility.FORWARD, 'field added without a default', added, null],
    [Compatibility.FORWARD, 'int widened to long', widened, /field 'amount': the reader's int cannot read the writer's long/],
    [Compatibility.FULL, 'field added with a default', addedWithDefault, null],
    [Compatibility.FULL, 'field added without a default', added, /FULL: the new schema cannot read/],
    [Compatibility.FULL_TRANSITIVE, 'int changed to string', retyped, /FULL_TRANSITIVE/],
    [Compatibility.NONE, 'int changed to string', retyped, null],
  ];
  it.each(rows)('%s: %s', (level, _change, next, error) => {
    const outdir = tempOutdir();
    synthesizePlatform(platformWith(V1, level).platform, { outdir }).write();
    const second = platformWith(next, level);
    if (error) {
      expect(() => synthesizePlatform(second.platform, { outdir })).toThrow(error);
    } else {
      synthesizePlatform(second.platform, { outdir }).write();
      expect(second.schema.versions).toHaveLength(2);
    }
  });

  it('checks transitive levels against every earlier version', () => {
    const outdir = tempOutdir();
    const v1 = record([{ name: 'id', type: 'string' }, { name: 'note', type: 'string', default: '' }]);
    const v2 = record([{ name: 'id', type: 'string' }]);
    const v3 = record([{ name: 'id', type: 'string' }, { name: 'note', type: 'int', default: 0 }]);
    for (const v of [v1, v2]) synthesizePlatform(platformWith(v, Compatibility.BACKWARD_TRANSITIVE).platform, { outdir }).write();
    // v3 reads v2 data (note gets its default) but cannot read v1's string note.
    expect(() => synthesizePlatform(platformWith(v3, Compatibility.BACKWARD_TRANSITIVE).platform, { outdir }))
      .toThrow(/version 3 is incompatible: BACKWARD_TRANSITIVE: the new schema cannot read data written with version 1: field 'note'/);
    expect(() => synthesizePlatform(platformWith(v3, Compatibility.BACKWARD).platform, { outdir })).not.toThrow();
  });

  it('keeps history: an unchanged or reformatted definition adds no version', () => {
    const outdir = tempOutdir();
    synthesizePlatform(platformWith(V1).platform, { outdir }).write();
    const again = platformWith(JSON.stringify(V1, null, 8));
    const synthesis = synthesizePlatform(again.platform, { outdir });
    expect(again.schema.versions).toHaveLength(1);
    expect(synthesis.compare().upToDate).toBe(true);
  });
});
