import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fluxBuilds, fluxDirectoryProblems, generateKustomization, KubectlNotFoundError, kustomizeBuild, readDistFiles } from '../../lib/schema';
import { cleanKubectlError } from '../../lib/schema/consumers/kustomize';
import { configMap, kafkaTopic, snapshotTree, validDist, variant, tempTrees } from '../lib/schema/fixtures';

const kubectl = process.env.KUBECTL ?? 'kubectl';
const haveKubectl = spawnSync(kubectl, ['version', '--client'], { encoding: 'utf8' }).status === 0;

const tree = tempTrees();

describe('generateKustomization (what kustomize-controller generates when a path has no kustomization.yaml)', () => {
  it('lists every .yaml/.yml file recursively in lexical order, not .json or other files', async () => {
    const root = tree({
      'b/x.yml': configMap, 'a/z.yaml': configMap, 'a/y.json': '{}', 'top.yaml': configMap, 'notes.txt': 'x',
    });
    expect(generateKustomization(root)).toBe('created');
    expect(parse(fs.readFileSync(path.join(root, 'kustomization.yaml'), 'utf8'))).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization',
      resources: ['./a/z.yaml', './b/x.yml', './top.yaml'],
    });
  });

  it('lists a sub-folder that has its own kustomization as one resource and does not descend into it', async () => {
    const root = tree({ 'base/kustomization.yaml': 'resources: [cm.yaml]\n', 'base/cm.yaml': configMap, 'app.yaml': configMap });
    generateKustomization(root);
    expect(parse(fs.readFileSync(path.join(root, 'kustomization.yaml'), 'utf8')).resources).toEqual(['./app.yaml', './base']);
  });

  it('leaves a folder with a kustomization file alone', async () => {
    const root = tree({ 'Kustomization': 'resources: []\n', 'a.yaml': configMap });
    expect(generateKustomization(root)).toBe('unchanged');
    expect(fs.existsSync(path.join(root, 'kustomization.yaml'))).toBe(false);
  });
});

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
