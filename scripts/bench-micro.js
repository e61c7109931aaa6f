#!/usr/bin/env node
// The in-process micro-benchmark of the synthesizer (`node scripts/bench.js --micro`): runs scripts/bench-synth.ts
// through ts-node with swc, like bin/synth.js runs the command from a source checkout. Arguments are passed on, e.g.
// `node scripts/bench.js --micro --sizes 10000 --runs 3`. Figures only: a benchmark never asserts on time. The headline
// benchmark is scripts/bench.js (whole processes, the packed package).
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');

// Re-run with --expose-gc (steadier figures: garbage from one measurement is collected before the next).
if (typeof global.gc !== 'function' && !process.env.CDK8S_DATAOPS_BENCH_CHILD) {
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit', env: { ...process.env, CDK8S_DATAOPS_BENCH_CHILD: '1' },
  });
  process.exit(r.status ?? 1);
}

require('ts-node').register({
  transpileOnly: true,
  swc: true,
  // swc (the WebAssembly build) needs every boolean option spelled out.
  compilerOptions: { module: 'commonjs', moduleResolution: 'node', sourceMap: true, importHelpers: false, experimentalDecorators: false, emitDecoratorMetadata: false },
});
const root = path.join(__dirname, '..');
try {
  require(path.join(root, 'scripts', 'bench-synth.ts')).main(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 2;
}
