import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * scripts/import-crds.sh rewrites `{ ...X.GVK, ...props }` in cdk8s import's output to
 * `{ apiVersion: X.GVK.apiVersion, kind: X.GVK.kind, ...props }` (Node 20's V8 gives every object built by a literal
 * that starts with a spread of a non-empty object its own hidden class). That means the same only while GVK holds
 * exactly those two keys, in that order.
 */
const IMPORTS = path.join(__dirname, '..', '..', '..', 'constructs', 'imports');
const modules = fs.readdirSync(IMPORTS).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

describe('generated L1 classes', () => {
  it.each(modules)('%s: every GVK is exactly { apiVersion, kind }, and no literal starts with a spread of it', async (file) => {
    const mod = await import(path.join(IMPORTS, file)) as Record<string, unknown>;
    const gvks = Object.entries(mod).filter(([, v]) => typeof v === 'function' && 'GVK' in (v as object));
    expect(gvks.length).toBeGreaterThan(0);
    for (const [name, cls] of gvks) {
      expect([name, Object.keys((cls as { GVK: object }).GVK)]).toEqual([name, ['apiVersion', 'kind']]);
    }
    expect(fs.readFileSync(path.join(IMPORTS, file), 'utf8')).not.toMatch(/\.\.\.\w+\.GVK\b/);
  });
});
