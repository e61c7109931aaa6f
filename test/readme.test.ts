/** The README's links and its quickstart commands work from a clone of this repository alone. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

describe('README.md', () => {
  it('links only to files inside the repository, and they exist', () => {
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^(https?:|mailto:|#)/.test(l));
    expect(links.length).toBeGreaterThan(0);
    const bad = links.filter((l) => {
      const target = path.resolve(root, l.split('#')[0]);
      return path.relative(root, target).startsWith('..') || !fs.existsSync(target);
    });
    expect(bad).toEqual([]);
  });

  it('quickstart: runs the command through the package.json script (npx would ask the registry for `synth`)', () => {
    const start = readme.indexOf('## Quickstart (this repository)');
    const block = /```sh\n([\s\S]*?)\n```/.exec(readme.slice(start))![1];
    expect(block.split('\n').map((l) => l.replace(/\s+#.*$/, ''))).toEqual(['npm ci && npm run synth', 'npm test']);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.synth).toBe('node bin/synth.js');
  });
});
