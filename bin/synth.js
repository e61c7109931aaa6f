#!/usr/bin/env node
// The `synth` command. From a published package it runs the compiled code in out/; in a source checkout of
// cdk8s-dataops it runs the TypeScript sources through ts-node, and `import ... from 'cdk8s-dataops'` in apps
// and examples resolves to those same sources (one module instance for the command and the app).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// Node 22.1 and later: V8's code cache on disk for every module this process compiles (the library, its dependencies,
// the app), so that a run after the first does not compile them again (about 0.1 s of a small app's 0.8 s). Node
// keeps it in os.tmpdir() unless NODE_COMPILE_CACHE names a folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off; it
// never fails a run. Node 20 has no such API.
const { enableCompileCache } = require('node:module');
if (typeof enableCompileCache === 'function') enableCompileCache();

const root = path.join(__dirname, '..');
const fromSource = fs.existsSync(path.join(root, 'synth', 'cli.ts'));
let cli;
if (fromSource) {
  // swc (the WebAssembly build) needs every boolean option spelled out; this repository uses no decorators.
  // TypeScript, the transpiler and swc come from this repository's own node_modules (as in synth/load-app.ts).
  require('ts-node').register({
    transpileOnly: true,
    compiler: require.resolve('typescript'),
    transpiler: [require.resolve('ts-node/transpilers/swc'), { swc: require.resolve('@swc/wasm') }],
    compilerOptions: { module: 'commonjs', moduleResolution: 'node', sourceMap: true, importHelpers: false, experimentalDecorators: false, emitDecoratorMetadata: false },
  });
  const Module = require('node:module');
  const entries = { 'cdk8s-dataops': path.join(root, 'index.ts'), 'cdk8s-dataops/testing': path.join(root, 'testing.ts') };
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return Object.prototype.hasOwnProperty.call(entries, request) ? entries[request] : resolve.call(this, request, ...rest);
  };
  cli = require(path.join(root, 'synth', 'cli.ts'));
} else {
  cli = require(path.join(root, 'out', 'synth', 'cli.js'));
}
cli.main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { console.error(e); process.exitCode = 70; },
);
