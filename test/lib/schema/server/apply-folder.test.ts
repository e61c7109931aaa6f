/**
 * Server-side apply against a REAL kube-apiserver (test/support/k8s) with the upstream CRDs: the negative controls
 * that show the consumer tests (test/consumers/kubernetes.test.ts) and `synth validate --server` can fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistFile } from '../../../../lib/schema/dist-files';
import { applyFiles } from '../../../../lib/schema/server/apply-folder';
import { ControlPlane, startControlPlane } from '../../../support/k8s/control-plane';
import { normalizedFields, rewrittenFields } from '../../../support/k8s/drift';
import { configMap, deployment, kafkaTopic, variant } from '../fixtures';

let plane: ControlPlane;
beforeAll(async () => {
  plane = await startControlPlane(); // the first run on a machine builds it: about 15 minutes
  await plane.api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } }, { fieldManager: 'cluster-admin' });
}, 3_600_000);
afterAll(async () => plane?.stop());

const file = (path: string, ...documents: unknown[]): DistFile => ({ path, absolute: `/nonexistent/${path}`, documents });
let n = 0;
/** The object renamed, so tests do not see each other's objects. */
const fresh = <T extends { metadata: { name: string } }>(o: T): T => variant(o, (x) => { x.metadata.name = `${o.metadata.name}-${++n}`; });

describe('applyFiles on a real API server', { timeout: 120_000 }, () => {
  it('accepts valid objects of built-in and CRD kinds, and stores them (dryRun: false)', async () => {
    const topic = fresh(kafkaTopic);
    const outcomes = await applyFiles(plane.api, [file('t.yaml', topic), file('c.yaml', fresh(configMap)), file('d.yaml', fresh(deployment))], { dryRun: false });
    expect(outcomes.map((o) => [o.file, o.outcome, o.message])).toEqual([['t.yaml', 'accepted', undefined], ['c.yaml', 'accepted', undefined], ['d.yaml', 'accepted', undefined]]);
    expect((await plane.api.get(topic))?.spec).toEqual(topic.spec);
  });

  it('rejects a field the CRD does not declare (strict field validation), naming it', async () => {
    const bad = variant(fresh(kafkaTopic), (t) => { t.spec.partitionz = 12; });
    const [outcome] = await applyFiles(plane.api, [file('manifests/dev/payments/kafkatopic.bad.yaml', bad)]);
    expect(outcome).toMatchObject({ file: 'manifests/dev/payments/kafkatopic.bad.yaml', outcome: 'rejected', object: { kind: 'KafkaTopic', name: bad.metadata.name } });
    expect(outcome.message).toMatch(/\.spec\.partitionz: field not declared in schema/);
  });

  it('rejects a wrong type and an unknown field of a built-in kind', async () => {
    const outcomes = await applyFiles(plane.api, [
      file('a.yaml', variant(fresh(kafkaTopic), (t) => { t.spec.partitions = 'twelve'; })),
      file('b.yaml', variant(fresh(deployment), (d) => { d.spec.replica = 2; })),
    ]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['rejected', 'rejected']);
    expect(outcomes[0].message).toMatch(/spec\.partitions/);
    expect(outcomes[1].message).toMatch(/\.spec\.replica: field not declared in schema/);
  });

  it('rejects a kind the server does not serve', async () => {
    const [outcome] = await applyFiles(plane.api, [file('w.yaml', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'payments' } })]);
    expect(outcome).toMatchObject({ outcome: 'rejected', message: expect.stringContaining('has no kind Widget in example.com/v1') });
  });

  it('a dry run stores nothing', async () => {
    const cm = fresh(configMap);
    const [outcome] = await applyFiles(plane.api, [file('c.yaml', cm)], { dryRun: true });
    expect(outcome.outcome).toBe('accepted');
    expect(await plane.api.get(cm)).toBeUndefined();
  });

  it('applies Namespaces before the objects in them; a dry run cannot check objects of a namespace the cluster lacks', async () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${++n}` } };
    const cm = variant(configMap, (c) => { c.metadata.namespace = ns.metadata.name; });
    const applied = await applyFiles(plane.api, [file('a/cm.yaml', cm), file('b/ns.yaml', ns)], { dryRun: false });
    expect(applied.map((o) => o.outcome)).toEqual(['accepted', 'accepted']);

    const elsewhere = variant(configMap, (c) => { c.metadata.namespace = 'nowhere'; });
    expect((await applyFiles(plane.api, [file('cm.yaml', elsewhere)], { dryRun: true }))[0]).toMatchObject({ outcome: 'not-checked', message: expect.stringContaining('namespaces "nowhere" not found') });
    expect((await applyFiles(plane.api, [file('cm.yaml', elsewhere)], { dryRun: false }))[0].outcome).toBe('rejected');
  });
});

describe('rewrittenFields (what keeps Argo CD OutOfSync)', { timeout: 120_000 }, () => {
  it('finds a field the server does not store as we wrote it (a Secret\'s stringData is moved into data)', async () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: `s-${++n}`, namespace: 'payments' }, stringData: { token: 'not-a-secret' } };
    const [outcome] = await applyFiles(plane.api, [file('s.yaml', secret)], { dryRun: false });
    expect(outcome.outcome).toBe('accepted');
    expect(rewrittenFields(outcome.desired, outcome.live)).toEqual(['stringData: {"token":"not-a-secret"} stored as undefined']);
  });

  it('tells spelling (a quantity in canonical form, a zero value not stored) from a rewrite', async () => {
    const d = variant(fresh(deployment), (x) => {
      x.spec.template.spec.containers[0].resources.limits.cpu = '0.5';
      x.spec.template.spec.hostNetwork = false;
    });
    const [outcome] = await applyFiles(plane.api, [file('d.yaml', d)], { dryRun: false });
    expect(outcome.outcome).toBe('accepted');
    expect(rewrittenFields(outcome.desired, outcome.live)).toEqual([]);
    expect(normalizedFields(outcome.desired, outcome.live)).toEqual([
      'spec.template.spec.containers[0].resources.limits.cpu: "0.5" stored as "500m"',
      'spec.template.spec.hostNetwork: false stored as undefined',
    ]);
  });

  it('finds nothing when every field reads back as written', async () => {
    const [outcome] = await applyFiles(plane.api, [file('c.yaml', fresh(configMap))], { dryRun: false });
    expect(rewrittenFields(outcome.desired, outcome.live)).toEqual([]);
    expect(normalizedFields(outcome.desired, outcome.live)).toEqual([]);
  });

  it('compares values, not spellings, only where they are equal', () => {
    expect(rewrittenFields({ a: { b: 'x' }, c: [1, 2] }, { a: { b: 'y' }, c: [1] })).toEqual(['a.b: "x" stored as "y"', 'c: [1,2] stored as [1]']);
    expect(rewrittenFields({ cpu: '1', mem: '1024Mi', on: true }, { cpu: '2', mem: '1Gi' })).toEqual(['cpu: "1" stored as "2"', 'on: true stored as undefined']);
    expect(normalizedFields({ cpu: '1', mem: '1024Mi', on: true }, { cpu: '2', mem: '1Gi' })).toEqual(['mem: "1024Mi" stored as "1Gi"']);
  });
});
