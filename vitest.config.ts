import * as path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests and examples import the package by its public name, exactly as users do.
    alias: [
      { find: /^cdk8s-dataops\/testing$/, replacement: path.resolve(__dirname, 'testing.ts') },
      { find: /^cdk8s-dataops$/, replacement: path.resolve(__dirname, 'index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
