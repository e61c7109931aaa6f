import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataPlatform, Environment } from 'cdk8s-dataops';
import { describe, expect, it } from 'vitest';
import { FluxGitRepository } from '../../../constructs/gitops';
import { onlyFolderIgnore, refOf } from '../../../constructs/gitops/flux-git-repository';
import { crdProblems } from './crd-schema';
import { fileObject, REPO, synth, tmpdir } from './support';

describe('FluxGitRepository', () => {
  it('fetches the repository and keeps only the manifests folder', () => {
    const platform = new DataPlatform();
    const prod = new Environment(platform, 'prod');
    const repo = new FluxGitRepository(platform, 'DataPlatform', { repoURL: REPO, path: 'dist', environment: prod, secretName: 'git-credentials' });
    const o = fileObject(synth(platform), repo.file);
    expect(repo.file).toBe('bootstrap/flux/prod/gitrepository.data-platform.yaml');
    expect(o).toEqual({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'data-platform', namespace: 'flux-system', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-dataops' } },
      spec: {
        interval: '1m', url: REPO, ref: { branch: 'main' }, secretRef: { name: 'git-credentials' },
        ignore: '/*\n!/dist/\n/dist/*\n!/dist/manifests/\n',
      },
    });
    expect(crdProblems(o)).toEqual([]);
  });

  it('maps the target revision to a Flux reference, or takes one', () => {
    expect(refOf('main')).toEqual({ branch: 'main' });
    expect(refOf('refs/tags/v1.2.0')).toEqual({ name: 'refs/tags/v1.2.0' });
    expect(refOf('0123456789abcdef0123456789abcdef01234567')).toEqual({ commit: '0123456789abcdef0123456789abcdef01234567' });
    const platform = new DataPlatform();
    new Environment(platform, 'prod');
    const repo = new FluxGitRepository(platform, 'R', { repoURL: REPO, path: '.', ref: { semver: '>=1.0.0 <2.0.0' }, interval: '90s', manifestsOnly: false });
    const o = fileObject(synth(platform), repo.file);
    expect(repo.file).toBe('bootstrap/flux/gitrepository.r.yaml');
    expect(o.spec).toEqual({ interval: '1m30s', url: REPO, ref: { semver: '>=1.0.0 <2.0.0' } });
    expect(crdProblems(o)).toEqual([]);
  });

  it('rejects a bad reference naming the field', () => {
    const platform = new DataPlatform();
    expect(() => new FluxGitRepository(platform, 'R', { repoURL: REPO, ref: { commit: 'main' } })).toThrow(/R, field 'ref.commit'/);
    expect(() => new FluxGitRepository(platform, 'S', { repoURL: REPO, interval: 'soon' })).toThrow(/S, field 'interval'/);
  });
});

describe('onlyFolderIgnore (gitignore syntax, checked with git itself)', () => {
  const ignored = (folder: string, files: string[]) => {
    const dir = tmpdir();
    execFileSync('git', ['init', '-q', dir]);
    fs.writeFileSync(path.join(dir, '.gitignore'), onlyFolderIgnore(folder));
    let out = '';
    try {
      out = execFileSync('git', ['-C', dir, 'check-ignore', '--no-index', ...files], { encoding: 'utf8' });
    } catch (e) {
      out = (e as { stdout?: string }).stdout ?? ''; // exit code 1: nothing ignored
    }
    return out.split('\n').filter(Boolean).sort();
  };

  it('keeps exactly the manifests folder', () => {
    const files = ['README.md', 'main.ts', 'dist/reports/lineage.json', 'dist/bootstrap/argocd/application.prod.yaml',
      'dist/manifests/prod/payments/kafkatopic.orders.yaml', 'dist/manifests/prod/_cluster/namespace.payments.yaml', 'src/deploy.yaml'];
    expect(ignored('dist/manifests', files)).toEqual(['README.md', 'dist/bootstrap/argocd/application.prod.yaml', 'dist/reports/lineage.json', 'main.ts', 'src/deploy.yaml']);
  });

  it('works for a nested output folder and for the repository root', () => {
    expect(ignored('platform/out/manifests', ['platform/out/manifests/dev/x.yaml', 'platform/out/x.yaml', 'platform/y.yaml', 'z.yaml']))
      .toEqual(['platform/out/x.yaml', 'platform/y.yaml', 'z.yaml']);
    expect(ignored('manifests', ['manifests/dev/x.yaml', 'bootstrap/flux/dev/k.yaml'])).toEqual(['bootstrap/flux/dev/k.yaml']);
  });
});
