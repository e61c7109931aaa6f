import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The package's own folder: the nearest parent of this file with `schemas/crds` (the sources in a checkout, or the
 * installed package whose compiled code is in `out/`).
 */
function packageRoot(): string {
  for (let d = __dirname, i = 0; i < 5; d = path.dirname(d), i++) {
    if (fs.existsSync(path.join(d, 'schemas', 'crds'))) return d;
  }
  return path.resolve(__dirname, '..', '..');
}

/** The package folder holding `schemas/`. */
export const PACKAGE_ROOT = packageRoot();

/**
 * The upstream CRDs shipped with the package (verbatim copies; each folder's SOURCE.md names the upstream release):
 * Strimzi, Argo CD, Flux, Prometheus Operator, External Secrets, Sealed Secrets, Kyverno.
 */
export const BUNDLED_CRDS_DIR = path.join(PACKAGE_ROOT, 'schemas', 'crds');

/** A path for messages: `schemas/crds/...` for the bundled CRDs, relative to the working folder otherwise. */
export function displayPath(file: string): string {
  const abs = path.resolve(file);
  const inPackage = path.relative(PACKAGE_ROOT, abs);
  if (!inPackage.startsWith('..') && inPackage.startsWith('schemas')) return inPackage.split(path.sep).join('/');
  const rel = path.relative(process.cwd(), abs);
  return (rel && !rel.startsWith('..') ? rel : abs).split(path.sep).join('/');
}
