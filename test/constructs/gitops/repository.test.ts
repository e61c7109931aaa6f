import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { manifestsPathOf, repositoryPathOf, repositoryPathSchema, repoUrlSchema } from '../../../constructs/gitops/repository';
import { tmpdir } from './support';

describe('where the output is in the repository', () => {
  it('is the output folder below the Git root (a .git folder, or a .git file in a worktree)', () => {
    const repo = tmpdir();
    fs.mkdirSync(path.join(repo, '.git'));
    expect(repositoryPathOf(path.join(repo, 'platform', 'dist'))).toBe('platform/dist');
    expect(repositoryPathOf(repo)).toBe('.');
    const worktree = tmpdir();
    fs.writeFileSync(path.join(worktree, '.git'), 'gitdir: /elsewhere\n');
    expect(repositoryPathOf(path.join(worktree, 'dist'))).toBe('dist');
  });

  it('falls back to the folder name outside a Git working tree', () => {
    expect(repositoryPathOf(path.join(tmpdir(), 'out'))).toBe('out');
  });

  it('builds manifests paths', () => {
    expect(manifestsPathOf('dist', 'prod')).toBe('dist/manifests/prod');
    expect(manifestsPathOf('.', 'prod')).toBe('manifests/prod');
    expect(manifestsPathOf('a/b')).toBe('a/b/manifests');
  });

  it('normalizes and checks a given path', () => {
    expect(repositoryPathSchema.parse('./dist/')).toBe('dist');
    expect(repositoryPathSchema.parse('')).toBe('.');
    for (const bad of ['/dist', '../dist', 'a//b', 'a/./b']) expect(repositoryPathSchema.safeParse(bad).success, bad).toBe(false);
  });

  it('accepts the Git URL forms Argo CD and Flux accept', () => {
    const ok = (u: string) => z.safeParse(repoUrlSchema, u).success;
    expect(ok('https://github.com/acme/platform.git')).toBe(true);
    expect(ok('ssh://git@github.com/acme/platform.git')).toBe(true);
    expect(ok('git@github.com:acme/platform.git')).toBe(true);
    expect(ok('github.com/acme/platform')).toBe(false);
  });
});
