import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatProblem, SchemaValidator, validateDist } from '../../../lib/schema';
import { configMap, deployment, kafkaTopic, snapshotTree, validDist, variant, tempTrees } from './fixtures';

const haveKubectl = spawnSync(process.env.KUBECTL ?? 'kubectl', ['version', '--client']).status === 0;
const validator = new SchemaValidator();

const dist = tempTrees();

describe('validateDist', () => {
  it('accepts a valid output folder and counts what it checked', async () => {
    const report = await validateDist(dist(validDist()), { validator, kustomize: false });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ environments: ['dev', 'prod'], files: 8, objects: 8, errors: 0, warnings: 0 });
    expect(report.kustomize).toBeUndefined();
  });

  it('reports each problem with its file, object and field', async () => {
    const root = dist({
      ...validDist(),
      'manifests/prod/payments/deployment.orders-api.yaml': variant(deployment, (d) => { d.spec.replicas = 'two'; }),
      'manifests/dev/payments/kafkatopic.payments.orders.v1.yaml': variant(kafkaTopic, (t) => { t.apiVersion = 'kafka.strimzi.io/v1beta2'; }),
      'bootstrap/application.payments-prod.yaml': { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x', namespace: 'argocd' }, spec: { project: 'default' } },
    });
    const report = await validateDist(root, { validator, kustomize: false });
    expect(report.problems.map(formatProblem)).toEqual([
      'bootstrap/application.payments-prod.yaml: spec.destination: is required',
      'manifests/dev/payments/kafkatopic.payments.orders.v1.yaml: apiVersion: kafka.strimzi.io/v1beta2 KafkaTopic is not served by the CRD in schemas/crds/strimzi/043-Crd-kafkatopic.yaml (no such version; served: kafka.strimzi.io/v1)',
      'manifests/prod/payments/deployment.orders-api.yaml: spec.replicas: must be integer (got string "two")',
    ]);
    expect(report.problems[2].object).toEqual({ index: 0, apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders-api', namespace: 'payments' });
    expect(report.errors).toBe(3);
  });

  it('combines schema checks with the Argo CD and Flux rules', async () => {
    const report = await validateDist(dist({
      ...validDist(),
      'manifests/prod/README.yaml': 'title: Payments\n',
      'manifests/prod/notes.txt': 'x\n',
      'manifests/prod/payments/configmap.json': JSON.stringify(variant(configMap, (c) => { c.metadata.name = 'json'; })),
      'manifests/stray.yaml': configMap,
    }), { validator, kustomize: false });
    expect(report.problems.map((p) => `${p.file}: ${p.severity} ${p.rule}`)).toEqual([
      'manifests/prod/README.yaml: error not-an-object',
      'manifests/prod/notes.txt: error file-type',
      'manifests/prod/payments/configmap.json: error file-type',
      'manifests/stray.yaml: warning file-type',
    ]);
  });

  it('lists unknown kinds as warnings, or errors with strictUnknown', async () => {
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'payments' } };
    const root = dist({ 'manifests/dev/payments/widget.w.yaml': widget });
    expect(await validateDist(root, { validator, kustomize: false })).toMatchObject({ errors: 0, warnings: 1 });
    expect(await validateDist(root, { strictUnknown: true, kustomize: false })).toMatchObject({ errors: 1, warnings: 0 });
  });

  it('leaves another tool\'s resources outside manifests/ alone, but checks the Kubernetes objects beside them', async () => {
    const interceptor = { apiVersion: 'gateway/v2', kind: 'Interceptor', metadata: { name: 'mask', scope: { vCluster: 'passthrough' } }, spec: { priority: 100 } };
    const root = dist({
      ...validDist(),
      'gateway/prod/mask.yaml': interceptor,
      'bootstrap/application.payments-prod.yaml': { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x', namespace: 'argocd' }, spec: { project: 'default' } },
    });
    const report = await validateDist(root, { strictUnknown: true, kustomize: false });
    expect(report.problems.map(formatProblem)).toEqual(['bootstrap/application.payments-prod.yaml: spec.destination: is required']);
    // The same resource under manifests/ is an error: Argo CD and Flux would send it to the cluster.
    const inManifests = dist({ ...validDist(), 'manifests/prod/payments/interceptor.mask.yaml': interceptor });
    expect((await validateDist(inManifests, { strictUnknown: true, kustomize: false })).errors).toBeGreaterThan(0);
  });

  it('checks objects against CRDs shipped in the output itself', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    const report = await validateDist(dist({
      'manifests/dev/_cluster/customresourcedefinition.widgets.example.com.yaml': crd,
      'manifests/dev/payments/widget.w.yaml': { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'payments' }, spec: { size: 'L' } },
    }), { crdDirs: [], kustomize: false });
    expect(report.problems.map(formatProblem)).toEqual(['manifests/dev/payments/widget.w.yaml: spec.size: must be integer (got string "L")']);
  });

  it('checks only the environments asked for, and says which exist', async () => {
    const root = dist({ ...validDist(), 'manifests/dev/payments/configmap.settings.yaml': variant(configMap, (c) => { c.data = 'x'; }) });
    expect(await validateDist(root, { validator, environments: ['prod'], kustomize: false })).toMatchObject({ environments: ['prod'], errors: 0 });
    expect((await validateDist(root, { validator, environments: ['dev'], kustomize: false })).errors).toBe(1);
    await expect(validateDist(root, { validator, environments: ['qa'] })).rejects.toThrow('no environment qa in');
  });

  it('fails clearly when the folder does not exist', async () => {
    await expect(validateDist('/nonexistent/dist')).rejects.toThrow("/nonexistent/dist does not exist or is not a folder; run 'npx synth' first");
  });

  it.skipIf(!haveKubectl)('builds each environment with kubectl kustomize, without writing into the folder', async () => {
    const root = dist(validDist());
    const before = snapshotTree(root);
    const report = await validateDist(root, { validator });
    expect(report.kustomize).toEqual([
      { folder: 'manifests/dev', objects: 2, generated: true },
      { folder: 'manifests/prod', objects: 5, generated: true },
    ]);
    expect(report.errors).toBe(0);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('reports a missing kubectl as an error that says how to skip the build', async () => {
    const report = await validateDist(dist(validDist()), { validator, kubectl: '/nonexistent/kubectl' });
    expect(report.problems).toEqual([expect.objectContaining({ rule: 'kustomize-build', severity: 'error', message: expect.stringContaining('--no-kustomize') })]);
  });
});
