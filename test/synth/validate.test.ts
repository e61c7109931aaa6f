import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployment, kafkaTopic, snapshotTree, validDist, variant, tempTrees } from '../lib/schema/fixtures';

const repoRoot = path.resolve(__dirname, '../..');
const bin = path.join(repoRoot, 'bin', 'synth.js');
const haveKubectl = spawnSync(process.env.KUBECTL ?? 'kubectl', ['version', '--client']).status === 0;

/** Runs the real `synth` command. */
function synth(args: string[], cwd = repoRoot) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const dist = tempTrees();

describe('synth validate', () => {
  it.skipIf(!haveKubectl)('exits 0 on a valid output folder, with a summary, and writes nothing', () => {
    const root = dist(validDist());
    const before = snapshotTree(root);
    const { code, stdout, stderr } = synth(['validate', '--out', root]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^✔ .+: 8 objects in 8 files, 2 environments \(dev, prod\) valid, kubectl kustomize built 7 objects \(\d+\.\d\d s\)\n$/);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('exits 1 and prints each failure as file: field: message, with a summary', () => {
    const root = dist({
      ...validDist(),
      'manifests/prod/payments/deployment.orders-api.yaml': variant(deployment, (d) => { d.spec.replicas = 'two'; }),
      'manifests/prod/payments/kafkatopic.payments.orders.v1.yaml': variant(kafkaTopic, (t) => { t.spec.partitions = 'x'; }),
      'manifests/prod/README.yaml': 'title: Payments\n',
    });
    const { code, stderr } = synth(['validate', '--out', root, '--no-kustomize']);
    expect(code).toBe(1);
    const shown = root; // outside the working folder: shown as an absolute path
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      `error ${shown}/manifests/prod/README.yaml: not a Kubernetes object (no apiVersion, kind, metadata.name): Argo CD fails the sync and Flux fails the whole Kustomization`,
      `error ${shown}/manifests/prod/payments/deployment.orders-api.yaml: spec.replicas: must be integer (got string "two")`,
      `error ${shown}/manifests/prod/payments/kafkatopic.payments.orders.v1.yaml: spec.partitions: must be integer (got string "x")`,
      expect.stringMatching(new RegExp(`^error ${shown}: 3 errors in 8 objects in 9 files, 2 environments \\(dev, prod\\) \\(\\d+\\.\\d\\d s\\)$`)),
    ]);
  });

  it.skipIf(!haveKubectl)('fails when kubectl kustomize cannot build an environment as Flux would', () => {
    const root = dist({ ...validDist(), 'manifests/prod/payments/configmap.copy.yaml': validDist()['manifests/prod/payments/configmap.settings.yaml'] });
    const { code, stderr } = synth(['validate', '--out', root]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${root}/manifests/prod/payments/configmap.settings.yaml: ConfigMap payments/settings is also defined in manifests/prod/payments/configmap.copy.yaml`);
    expect(stderr).toMatch(/manifests\/prod\/payments\/configmap\.settings\.yaml: kubectl kustomize \(with the kustomization Flux generates\) fails, so Flux cannot apply manifests\/prod: .*already registered id/);
  });

  it('lists unknown kinds as warnings (exit 0), and fails on them with --strict-unknown', () => {
    const widget = (name: string) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace: 'payments' } });
    const files: Record<string, unknown> = {};
    for (let i = 0; i < 7; i++) files[`manifests/dev/payments/widget.w${i}.yaml`] = widget(`w${i}`);
    const root = dist(files);
    const lenient = synth(['validate', '--out', root, '--no-kustomize']);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('warning kind: unknown kind: no CRD and no Kubernetes built-in kind for example.com/v1 Widget, so it was not checked');
    expect(lenient.stdout).toContain('(7 objects)');
    expect(lenient.stdout).toContain('... and 2 more (--verbose lists them all)');
    expect(lenient.stdout).toMatch(/✔ .*7 objects in 7 files, 1 environment \(dev\) valid, kustomize build skipped, 7 warnings/);

    const strict = synth(['validate', '--out', root, '--no-kustomize', '--strict-unknown']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('/manifests/dev/payments/widget.w0.yaml: kind: unknown kind');
  });

  it('checks only the environments given with --env', () => {
    const root = dist({ ...validDist(), 'manifests/dev/payments/deployment.x.yaml': variant(deployment, (d) => { d.spec.replicas = 'two'; }) });
    expect(synth(['validate', '--out', root, '--no-kustomize', '--env', 'prod']).code).toBe(0);
    expect(synth(['validate', '--out', root, '--no-kustomize', '--env', 'dev']).code).toBe(1);
  });

  it('prints the report as JSON with --json', () => {
    const root = dist({ 'manifests/dev/payments/kafkatopic.t.yaml': variant(kafkaTopic, (t) => { t.apiVersion = 'kafka.strimzi.io/v1beta2'; }) });
    const { code, stdout } = synth(['validate', '--out', root, '--no-kustomize', '--json']);
    expect(code).toBe(1);
    const [report] = JSON.parse(stdout);
    expect(report).toMatchObject({ environments: ['dev'], objects: 1, errors: 1 });
    expect(report.problems[0]).toMatchObject({ file: 'manifests/dev/payments/kafkatopic.t.yaml', rule: 'not-served', field: 'apiVersion' });
  });

  it('uses the CRD folders given with --crds', () => {
    const crds = dist({
      'widget.yaml': {
        apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
        spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }] },
      },
    });
    const root = dist({ 'manifests/dev/payments/widget.w.yaml': { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'payments' }, spec: { size: 'L' } } });
    const { code, stderr } = synth(['validate', '--out', root, '--no-kustomize', '--crds', crds]);
    expect(code).toBe(1);
    expect(stderr).toContain('widget.w.yaml: spec.size: must be integer (got string "L")');
  });

  it('finds the output folder the way the other commands do (package.json outdir, then the app)', () => {
    const project = dist({
      'package.json': JSON.stringify({ 'name': 'my-platform', 'cdk8s-dataops': { app: 'main.ts', outdir: 'gitops' } }),
      'main.ts': "throw new Error('not loaded: the outdir comes from package.json');\n",
      'gitops/manifests/prod/payments/deployment.orders-api.yaml': variant(deployment, (d) => { d.spec.replicas = 'two'; }),
    });
    const fromPackage = synth(['validate', '--no-kustomize'], project);
    expect(fromPackage.code).toBe(1);
    expect(fromPackage.stderr).toContain('error gitops/manifests/prod/payments/deployment.orders-api.yaml: spec.replicas: must be integer');

    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-platform' }));
    fs.writeFileSync(path.join(project, 'main.ts'), "import { DataPlatform } from 'cdk8s-dataops';\nnew DataPlatform({ outdir: 'gitops' });\n");
    const fromApp = synth(['validate', '--no-kustomize'], project);
    expect(fromApp.code).toBe(1);
    expect(fromApp.stderr).toContain('error gitops/manifests/prod/payments/deployment.orders-api.yaml: spec.replicas: must be integer');
  });

  it('exits 2 when the output folder does not exist', () => {
    const missing = path.join(os.tmpdir(), 'no-such-dist-folder');
    const { code, stderr } = synth(['validate', '--out', missing]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${missing} does not exist or is not a folder; run 'npx synth' first, or point to the output folder with --out`);
  });
});
