import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests and examples import the package by its public name, exactly as users do.
    alias: [
      { find: /^cdk8s-dataops\/testing$/, replacement: path.resolve(root, 'testing.ts') },
      { find: /^cdk8s-dataops$/, replacement: path.resolve(root, 'index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
