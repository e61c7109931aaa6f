#!/usr/bin/env node
/**
 * The benchmark's baselines, each run as a process of its own by scripts/bench.js (copied into the benchmark
 * project, where `cdk8s`, `yaml` and the packed `cdk8s-dataops` resolve as in a user's project):
 *
 *   dump  APP OBJECTS.json   resolves the app's objects once (untimed preparation) and writes them with their files
 *   raw   OBJECTS.json DIR   `yaml.stringify` of each object and one writeFileSync per object
 *   cdk8s OBJECTS.json DIR   plain cdk8s: each object as an ApiObject of one Chart, `App.synth()` with one file per
 *                            resource (YamlOutputType.FILE_PER_RESOURCE)
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [mode, a, b] = process.argv.slice(2);

if (mode === 'dump') {
  // Internal modules of the installed package, by file (the benchmark is ours; users never do this).
  const pkg = path.dirname(require.resolve('cdk8s-dataops/package.json', { paths: [process.cwd()] }));
  const { loadApp } = require(path.join(pkg, 'out', 'synth', 'load-app.js'));
  const { synthesizePlatform } = require(path.join(pkg, 'out', 'lib', 'synthesizer', 'synthesizer.js'));
  const objects = [];
  for (const { platform } of loadApp(path.resolve(a), path.join(path.dirname(b), 'dump-unused'))) {
    for (const o of synthesizePlatform(platform, { outdir: path.join(path.dirname(b), 'dump-unused') }).objects) objects.push({ file: o.file, object: o.object });
  }
  fs.writeFileSync(b, JSON.stringify(objects));
  process.stdout.write(`${objects.length}\n`);
} else if (mode === 'raw') {
  const { stringify } = require('yaml');
  const objects = JSON.parse(fs.readFileSync(a, 'utf8'));
  const made = new Set();
  for (const { file, object } of objects) {
    const abs = path.join(b, file);
    const dir = path.dirname(abs);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    fs.writeFileSync(abs, stringify(object));
  }
} else if (mode === 'cdk8s') {
  const { ApiObject, App, Chart, YamlOutputType } = require('cdk8s');
  const objects = JSON.parse(fs.readFileSync(a, 'utf8'));
  const app = new App({ outdir: b, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
  const chart = new Chart(app, 'prod', { disableResourceNameHashes: true });
  objects.forEach(({ object }, i) => new ApiObject(chart, `o${i}`, object));
  app.synth();
} else {
  process.stderr.write('usage: bench-baselines.js dump APP OBJECTS.json | raw OBJECTS.json DIR | cdk8s OBJECTS.json DIR\n');
  process.exitCode = 2;
}
