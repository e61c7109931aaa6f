/**
 * The pull model (kafkajs) loads only when a `synth kafka` subcommand runs: not when an app imports the library,
 * and not when `synth` starts. Checked in a fresh node process (the module cache of a test runner proves nothing).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.join(__dirname, '../../..');

function loaded(entry: string): { kafkajs: number; ops: number } {
  const script = `require(${JSON.stringify(path.join(repo, entry))});
    const ks = Object.keys(require.cache);
    process.stdout.write(JSON.stringify({ kafkajs: ks.filter((k) => k.includes('/node_modules/kafkajs/')).length, ops: ks.filter((k) => k.includes('/ops/kafka/')).length }));`;
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: repo, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(repo, 'tsconfig.dev.json') }, timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`node exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('loading', () => {
  it.each(['index.ts', 'synth/cli.ts'])('%s does not load kafkajs or the reconciler', (entry) => {
    expect(loaded(entry)).toEqual({ kafkajs: 0, ops: 0 });
  }, 150_000);

  it('the reconciler does load kafkajs (the check can fail)', () => {
    expect(loaded('ops/kafka/index.ts').kafkajs).toBeGreaterThan(0);
  }, 150_000);
});
