import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { MANIFESTS_DIR } from '../../lib/synthesizer/layout';

/**
 * Where in the Git repository the output folder is, as a '/'-separated path relative to the repository root:
 * the folder's path below the nearest enclosing Git working tree (`.git` folder or file). '.' when the output
 * folder is the repository root. Outside a Git working tree, the folder's own name (the usual layout is a
 * `dist` folder at the root of the repository).
 */
export function repositoryPathOf(outdir: string): string {
  const abs = path.resolve(outdir);
  for (let dir = abs; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return path.relative(dir, abs).split(path.sep).join('/') || '.';
    if (path.dirname(dir) === dir) return path.basename(abs);
  }
}

/** The folder of an environment's manifests in the repository: `<outputPath>/manifests/<env>` ('.' dropped). */
export function manifestsPathOf(outputPath: string, environment?: string): string {
  return [outputPath === '.' ? undefined : outputPath, MANIFESTS_DIR, environment].filter((p) => p !== undefined).join('/');
}

/** A relative '/'-separated path inside a repository: no leading '/', no '..', no empty segment. */
export const repositoryPathSchema = z.string().transform((p) => p.replace(/^\.\/+/, '').replace(/\/+$/, '') || '.').refine(
  (p) => p === '.' || (!p.startsWith('/') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..')),
  { message: "must be a path relative to the repository root, such as 'dist' or 'deploy/dist' (no leading '/', no '..')" },
);

/** A Git repository URL as Argo CD and Flux accept it (https://, ssh://, or scp-like git@host:org/repo). */
export const repoUrlSchema = z.string().trim().regex(/^(https?:\/\/|ssh:\/\/|git@[^:\s]+:|file:\/\/)\S+$/, {
  message: "must be a Git URL such as 'https://github.com/acme/platform.git' or 'ssh://git@github.com/acme/platform.git'",
});
