import { describe, expect, it } from 'vitest';
import { argoCdDirectoryProblems, duplicateObjectProblems, readDistFiles } from '../../lib/schema';
import { configMap, kafkaTopic, tempTrees, validDist, variant } from '../lib/schema/fixtures';

const tree = tempTrees();

/** The Argo CD directory-source problems of a folder written from `files`, as `file: rule: message-start`. */
function argo(files: Record<string, unknown>, options = {}): string[] {
  const root = tree(files);
  return argoCdDirectoryProblems(readDistFiles(root, 'manifests'), options).map((p) => `${p.file}: ${p.severity} ${p.rule}`);
}

describe('Argo CD directory rules', () => {
  it('accept a synthesized-style manifests folder', () => {
    expect(argo(validDist())).toEqual([]);
  });

  it('catch a stray YAML file that is not a Kubernetes object (README.yaml)', () => {
    const root = tree({ ...validDist(), 'manifests/prod/README.yaml': 'title: Payments\nowner: data-team\n' });
    const problems = argoCdDirectoryProblems(readDistFiles(root, 'manifests'));
    expect(problems).toEqual([{
      file: 'manifests/prod/README.yaml', object: { index: 0 }, severity: 'error', rule: 'not-an-object',
      message: 'not a Kubernetes object (no apiVersion, kind, metadata.name): Argo CD fails the sync and Flux fails the whole Kustomization',
    }]);
  });

  it('catch a document without metadata.name', () => {
    expect(argo({ 'manifests/dev/a.yaml': variant(configMap, (c) => { delete c.metadata.name; }) }))
      .toEqual(['manifests/dev/a.yaml: error not-an-object']);
  });

  it('catch a file with several objects', () => {
    const two = `${JSON.stringify(configMap)}\n---\n${JSON.stringify(kafkaTopic)}\n`;
    const root = tree({ 'manifests/dev/payments/both.yaml': two });
    expect(argoCdDirectoryProblems(readDistFiles(root, 'manifests')).map((p) => `${p.severity} ${p.rule}: ${p.message}`)).toEqual([
      'error one-object-per-file: 2 objects in one file: the output holds one object per file, named after it (split them)',
    ]);
  });

  it('catch files Argo CD does not read (.txt), kustomization and Helm chart files', () => {
    expect(argo({
      ...validDist(),
      'manifests/dev/notes.txt': 'remember the milk\n',
      'manifests/dev/kustomization.yaml': 'resources: []\n',
      'manifests/prod/payments/Chart.yaml': 'name: x\n',
    })).toEqual([
      'manifests/dev/kustomization.yaml: error tool-switch',
      'manifests/dev/notes.txt: error file-type',
      'manifests/prod/payments/Chart.yaml: error tool-switch',
    ]);
  });

  it('accept a kustomization.yaml when it is intended', () => {
    expect(argo({ ...validDist(), 'manifests/dev/kustomization.yaml': 'resources: []\n' }, { allowKustomization: true })).toEqual([]);
  });

  it('report unparsable YAML and empty files', () => {
    expect(argo({ 'manifests/dev/broken.yaml': 'a: [\n', 'manifests/dev/empty.yaml': '# nothing here\n' })).toEqual([
      'manifests/dev/broken.yaml: error parse',
      'manifests/dev/empty.yaml: warning one-object-per-file',
    ]);
  });

  it('read .json objects as Argo CD does', () => {
    expect(argo({ 'manifests/dev/payments/configmap.json': JSON.stringify(configMap) })).toEqual([]);
    expect(argo({ 'manifests/dev/payments/list.json': '[1, 2]' })).toEqual(['manifests/dev/payments/list.json: error not-an-object']);
  });
});

describe('duplicate objects', () => {
  it('are caught across files of one environment, naming the first file', () => {
    const root = tree({
      'manifests/prod/payments/kafkatopic.a.yaml': kafkaTopic,
      'manifests/prod/payments/kafkatopic.b.yaml': kafkaTopic,
      'manifests/prod/payments/kafkatopic.c.yaml': variant(kafkaTopic, (t) => { t.metadata.name = 'other'; }),
    });
    const problems = duplicateObjectProblems(readDistFiles(root, 'manifests/prod'));
    expect(problems.map((p) => `${p.file}: ${p.message}`)).toEqual([
      'manifests/prod/payments/kafkatopic.b.yaml: KafkaTopic payments/payments.orders.v1 is also defined in ' +
        'manifests/prod/payments/kafkatopic.a.yaml: Argo CD and Flux would apply one over the other',
    ]);
  });

  it('treat apiVersions of one group as the same object (v1 and v1beta2 of a KafkaTopic)', () => {
    const root = tree({
      'manifests/prod/a.yaml': kafkaTopic,
      'manifests/prod/b.yaml': variant(kafkaTopic, (t) => { t.apiVersion = 'kafka.strimzi.io/v1beta2'; }),
    });
    expect(duplicateObjectProblems(readDistFiles(root, 'manifests/prod'))).toHaveLength(1);
  });
});
