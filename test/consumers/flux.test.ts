import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fluxBuilds, fluxDirectoryProblems, generateKustomization, KubectlNotFoundError, kustomizeBuild, readDistFiles } from '../../lib/schema';
import { cleanKubectlError } from '../../lib/schema/consumers/kustomize';
import { configMap, kafkaTopic, snapshotTree, validDist, variant, tempTrees } from '../lib/schema/fixtures';
import { ensureControlPlaneBinaries } from '../support/k8s/binaries';
import { ControlPlane, startControlPlane } from '../support/k8s/control-plane';
import { exampleDists } from '../support/k8s/examples';
import { createReferencedNamespaces, kindsOf } from '../support/k8s/namespaces';

const kubectl = process.env.KUBECTL ?? 'kubectl';
const haveKubectl = spawnSync(kubectl, ['version', '--client'], { encoding: 'utf8' }).status === 0;

const tree = tempTrees();

// The first run on a machine builds the control plane (scripts/ci/ensure-k8s.sh, about 15 minutes cold).
beforeAll(() => void ensureControlPlaneBinaries(), 3_600_000);

/** Runs the Go program of test/consumers/flux (Flux's own libraries). */
function fluxConsumer(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(ensureControlPlaneBinaries().fluxConsumer, args, { encoding: 'utf8', timeout: 600_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The kustomization.yaml Flux's own generator (fluxcd/pkg/kustomize) writes into a copy of `dir`. */
function fluxGenerated(dir: string): unknown {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-gen-'));
  try {
    fs.cpSync(dir, copy, { recursive: true });
    const r = fluxConsumer(['generate', copy]);
    if (r.status !== 0) throw new Error(r.stderr);
    return parse(r.stdout);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/** The kustomization.yaml our offline check (`synth validate`) generates into a copy of `dir`. */
function ourGenerated(dir: string): unknown {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'our-gen-'));
  try {
    fs.cpSync(dir, copy, { recursive: true });
    generateKustomization(copy);
    return parse(fs.readFileSync(path.join(copy, 'kustomization.yaml'), 'utf8'));
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

// `synth validate` builds each environment offline with the kustomization kustomize-controller would generate
// (users have kubectl, not Flux's Go code). That it is Flux's kustomization is checked here against Flux's own generator.
describe("generateKustomization writes what Flux's own generator (fluxcd/pkg/kustomize) writes", () => {
  it('for .yaml/.yml files in sub-folders, with .json and other files beside them', () => {
    const root = tree({ 'b/x.yml': configMap, 'a/z.yaml': configMap, 'a/y.json': '{}', 'top.yaml': configMap, 'notes.txt': 'x' });
    const flux = fluxGenerated(root);
    expect((flux as { resources: string[] }).resources).toEqual(['./a/z.yaml', './b/x.yml', './top.yaml']);
    expect(ourGenerated(root)).toEqual(flux);
  });

  it('for a sub-folder that has its own kustomization (one resource, not descended into)', () => {
    const root = tree({ 'base/kustomization.yaml': 'resources: [cm.yaml]\n', 'base/cm.yaml': configMap, 'app.yaml': configMap });
    expect(ourGenerated(root)).toEqual(fluxGenerated(root));
  });

  for (const example of exampleDists()) {
    for (const env of example.environments) {
      it(`for examples/${example.name} ${env}`, () => {
        const dir = path.join(example.dist, 'manifests', env);
        expect(ourGenerated(dir)).toEqual(fluxGenerated(dir));
      });
    }
  }

  it('and leaves a folder with a kustomization file alone', async () => {
    const root = tree({ 'Kustomization': 'resources: []\n', 'a.yaml': configMap });
    expect(generateKustomization(root)).toBe('unchanged');
    expect(fs.existsSync(path.join(root, 'kustomization.yaml'))).toBe(false);
  });
});

// Flux's own reconcile path, on a real API server: kustomize-controller's generator and build, then its server-side
// apply engine (fluxcd/pkg/ssa, staged: CRDs, ClusterRoles and Namespaces first), twice. The second reconciliation
// must find nothing to change: Flux's drift detection (a server-side dry run compared with the cluster) sees none.
describe("Flux's own code reconciles every example environment with zero drift", () => {
  let plane: ControlPlane | undefined;
  afterEach(async () => {
    await plane?.stop();
    plane = undefined;
  });

  for (const example of exampleDists()) {
    for (const env of example.environments) {
      it(`examples/${example.name} ${env}`, async () => {
        const source = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-source-'));
        try {
          const kustomizations = fluxKustomizationsFor(example.dist, env, source);
          const files = readDistFiles(example.dist, path.posix.join('manifests', env));
          const objects = files.reduce((n, f) => n + (f.documents?.length ?? 0), 0);
          plane = await startControlPlane({ onlyKinds: kindsOf(files) });
          await createReferencedNamespaces(plane.api, files);
          let reconciled = 0;
          for (const ks of kustomizations) { // one per shard when the environment is sharded
            const r = fluxConsumer(['reconcile', '--kubeconfig', plane.kubeconfig, '--root', source, '--kustomization', ks]);
            expect(r.stderr).toBe('');
            expect(r.status).toBe(0);
            const report = JSON.parse(r.stdout) as { objects: number; generated: boolean; reconciles: Array<Array<{ subject: string; action: string }>> };
            expect(report.generated).toBe(true);
            const [first, second] = report.reconciles;
            expect(first.filter((e) => e.action !== 'created')).toEqual([]);
            expect(first).toHaveLength(report.objects);
            expect(second.filter((e) => e.action !== 'unchanged')).toEqual([]);
            expect(second).toHaveLength(report.objects);
            reconciled += report.objects;
          }
          expect(reconciled).toBe(objects);
        } finally {
          fs.rmSync(source, { recursive: true, force: true });
          fs.rmSync(`${source}.kustomizations`, { recursive: true, force: true });
        }
      }, 600_000);
    }
  }

  it('and its drift detection is real: an object changed in the cluster is reapplied', async () => {
    const source = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-source-'));
    try {
      fs.mkdirSync(path.join(source, 'env'));
      fs.writeFileSync(path.join(source, 'env', 'configmap.yaml'), JSON.stringify(configMap));
      fs.writeFileSync(path.join(source, 'ks.yaml'), JSON.stringify({
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'drift', namespace: 'flux-system' },
        spec: { path: './env', interval: '1m', prune: true, sourceRef: { kind: 'GitRepository', name: 'x' } },
      }));
      plane = await startControlPlane({ crdDirs: [] });
      await plane.api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } }, { fieldManager: 'cluster-admin' });
      const args = ['reconcile', '--kubeconfig', plane.kubeconfig, '--root', source, '--kustomization', path.join(source, 'ks.yaml'), '--reconciles', '1'];
      expect(JSON.parse(fluxConsumer(args).stdout).reconciles[0]).toEqual([{ subject: 'ConfigMap/payments/settings', action: 'created' }]);
      // someone edits the object in the cluster
      await plane.api.apply({ ...configMap, data: { tier: 'bronze' } }, { fieldManager: 'kubectl-edit', force: true });
      expect(JSON.parse(fluxConsumer(args).stdout).reconciles[0]).toEqual([{ subject: 'ConfigMap/payments/settings', action: 'configured' }]);
    } finally {
      fs.rmSync(source, { recursive: true, force: true });
    }
  }, 600_000);
});

/**
 * The example's Flux Kustomizations for `env` (bootstrap/flux/<env>/kustomization.*.yaml as synthesized: one, or one
 * per shard), with the environment folder copied into `source` where their spec.path points, as source-controller's
 * artifact would hold it. An example without Flux bootstrap objects gets a plain Kustomization of `./manifests/<env>`.
 * Returns the Kustomization files (written beside `source`, not in it).
 */
function fluxKustomizationsFor(dist: string, env: string, source: string): string[] {
  const bootstrap = path.join(dist, 'bootstrap', 'flux', env);
  const files = fs.existsSync(bootstrap) ? fs.readdirSync(bootstrap).filter((f) => f.startsWith('kustomization.')).sort() : [];
  const kustomizations = files.length
    ? files.map((f) => parse(fs.readFileSync(path.join(bootstrap, f), 'utf8')) as { metadata: { name: string }; spec: { path: string } })
    : [{ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: env, namespace: 'flux-system' }, spec: { path: `./manifests/${env}` } }];
  const envPath = kustomizations[0].spec.path.replace(new RegExp(`(/manifests/${env})(/.*)?$`), '$1');
  fs.cpSync(path.join(dist, 'manifests', env), path.join(source, ...envPath.split('/')), { recursive: true });
  const dir = `${source}.kustomizations`;
  fs.mkdirSync(dir);
  return kustomizations.map((ks) => {
    const out = path.join(dir, `${ks.metadata.name}.yaml`);
    fs.writeFileSync(out, JSON.stringify(ks));
    return out;
  });
}

describe('Flux directory rules', () => {
  it('catch .json objects, which Flux does not apply but Argo CD does', async () => {
    const root = tree({ 'manifests/dev/a.json': JSON.stringify(configMap), 'manifests/dev/b.yaml': configMap });
    expect(fluxDirectoryProblems(readDistFiles(root, 'manifests')).map((p) => `${p.file}: ${p.rule}`)).toEqual(['manifests/dev/a.json: file-type']);
  });
});

describe.skipIf(!haveKubectl)('kubectl kustomize, as kustomize-controller builds an environment folder', () => {
  it('builds a valid environment folder, with every object, and writes nothing into it', async () => {
    const root = tree(validDist());
    const before = snapshotTree(root);
    const builds = await fluxBuilds(root, ['manifests/dev', 'manifests/prod']);
    expect(builds.map(({ folder, generated, objects, problems }) => ({ folder, generated, objects, problems }))).toEqual([
      { folder: 'manifests/dev', generated: true, objects: 2, problems: [] },
      { folder: 'manifests/prod', generated: true, objects: 5, problems: [] },
    ]);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('fails on a folder with a YAML file that is not a Kubernetes object, naming the file', async () => {
    const root = tree({ ...validDist(), 'manifests/prod/payments/README.yaml': 'title: Payments\n' });
    const [dev, prod] = await fluxBuilds(root, ['manifests/dev', 'manifests/prod']);
    expect(dev.problems).toEqual([]);
    expect(prod.problems).toEqual([{
      file: 'manifests/prod/payments/README.yaml', severity: 'error', rule: 'kustomize-build',
      message: expect.stringMatching(/^kubectl kustomize \(with the kustomization Flux generates\) fails, so Flux cannot apply manifests\/prod: .*missing Resource metadata/),
    }]);
    expect(prod.problems[0].message).not.toContain('dataops-flux-'); // paths of the temporary copy are not shown
  });

  it('fails on the same object in two files', async () => {
    const root = tree({ 'manifests/prod/a.yaml': kafkaTopic, 'manifests/prod/b.yaml': kafkaTopic });
    const [prod] = await fluxBuilds(root, ['manifests/prod']);
    expect(prod.problems.map((p) => p.message)).toEqual([expect.stringContaining('may not add resource with an already registered id')]);
  });

  it('builds with a kustomization of the folder when there is one (no generation)', async () => {
    const root = tree({
      'manifests/prod/kustomization.yaml': 'resources:\n- ./a.yaml\n',
      'manifests/prod/a.yaml': configMap,
      'manifests/prod/b.yaml': variant(configMap, (c) => { c.metadata.name = 'not-listed'; }),
    });
    expect(await fluxBuilds(root, ['manifests/prod'])).toEqual([{ folder: 'manifests/prod', generated: false, objects: 1, problems: [] }]);
  });

  it('kustomizeBuild reports success and the object count for a plain kustomization', async () => {
    const root = tree({ 'kustomization.yaml': 'resources:\n- a.yaml\n', 'a.yaml': configMap });
    const result = await kustomizeBuild(root);
    expect(result).toMatchObject({ ok: true, objects: 1 });
    expect(parse(result.output)).toEqual(configMap);
  });
});

describe('kubectl errors', () => {
  it('raise KubectlNotFoundError when kubectl cannot be run', async () => {
    const root = tree({ 'kustomization.yaml': 'resources: []\n' });
    await expect(kustomizeBuild(root, { kubectl: '/nonexistent/kubectl' })).rejects.toThrow(KubectlNotFoundError);
  });

  it('are cleaned of log prefixes and kustomize noise', async () => {
    const stderr = 'E1121 05:49:58.965050   23232 run.go:72] "command failed" err="accumulating resources: accumulation err=\'accumulating resources from \'./ns/README.yaml\': missing Resource metadata\': must build at directory: \'/tmp/kz/ns/README.yaml\': file is not directory"\n';
    expect(cleanKubectlError(stderr)).toBe("accumulating resources: accumulation err='accumulating resources from './ns/README.yaml': missing Resource metadata'");
  });
});
