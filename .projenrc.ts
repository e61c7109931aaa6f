import { javascript, JsonFile, typescript } from 'projen';

/**
 * cdk8s-dataops project definition. package.json, tsconfig*.json, .gitignore and
 * .npmignore are generated from this file: edit it and run `npx projen`.
 */
const project = new javascript.NodeProject({
  name: 'cdk8s-dataops',
  description: 'Data platforms (Kafka topics, ACLs, schemas, connectors, streaming apps, dbt, Airflow, governance) as typed cdk8s constructs, synthesized to GitOps-ready Kubernetes YAML.',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  license: 'Apache-2.0',
  minNodeVersion: '20.0.0',
  entrypoint: 'out/index.js',
  projenrcJs: false,
  github: false,
  jest: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  package: false,
  projenDevDependency: true,
  projenVersion: '0.103.25',
  bin: { synth: 'bin/synth.js' },
  deps: [
    'cdk8s@^2.70.106',
    'cdk8s-plus-27@^2.9.5',
    'constructs@^10.8.1',
    'yaml@^2.9.1',
    'zod@^4.6.7',
    'kafkajs@^2.2.4',
    'ts-node@^10.9.2',
    'typescript@~5.9.3',
    // ts-node's fast transpiler: apps load in ~1.5 s instead of ~5 s. The WebAssembly build, because @swc/core's
    // per-platform optional packages cannot all be locked where a registry serves only some platforms (npm ci fails).
    '@swc/wasm@^1.16.18',
    // Stack traces of cached transpiled app files point into their TypeScript (the source-map support ts-node itself
    // uses; the loader skips ts-node entirely when nothing changed, so it installs this on its own).
    '@cspotcode/source-map-support@^0.8.1',
    // CLI parsing (commander 15 needs Node 22; 14 is the Node 20 line).
    'commander@^14.0.3',
    // Terminal colors that respect NO_COLOR / non-TTY, 7 kB, no dependencies.
    'picocolors@^1.1.1',
    // Avro schema resolution rules (the reference JS implementation of Avro) for compatibility checks.
    'avsc@^5.7.9',
    // Parse-checks Protobuf schema definitions (the de-facto JS Protobuf implementation).
    'protobufjs@^8.8.1',
    // JSON-schema validation of synthesized objects against upstream CRD openAPIV3Schemas.
    'ajv@^8.20.0',
    // Kubernetes core object schemas (generated from the official OpenAPI spec) for `synth validate`.
    // The 4.x line: 5.x declares Node >= 22 (npm ci warns EBADENGINE on Node 20, which we support).
    'kubernetes-models@^4.5.1',
    // Progress bar for long `synth kafka apply` runs.
    'cli-progress@^3.12.0',
  ],
  devDeps: [
    '@types/node@^20',
    '@types/cli-progress@^3.11.6',
    // Generates the L1 classes in constructs/imports from ../shared/crds (`npx projen import`).
    'cdk8s-cli@^2.207.60',
    // Drives Debian's chromium to check the lineage page as a person would see it.
    'playwright-core@^1.65.1',
    // Property-based tests (names, YAML round trips, ACL derivation).
    'fast-check@^4.10.2',
    'vitest@~4.1.12',
    // The API reference (`npm run docs`) from the TSDoc comments; 0.28.20 supports TypeScript 5.9.
    'typedoc@^0.28.20',
    // Records the public surface (api/*.api.md, `npx projen api`) so that any change to what users can import is
    // visible in review; CI fails when the committed report is stale (`npx projen api:check`).
    '@microsoft/api-extractor@^7.60.1',
  ],
  gitignore: ['/out/', '/.cache/', '/coverage/', '*.tsbuildinfo', '/bench-out/', '/.venv-dbt/', '/.venv-checkov/', '/docs/api/'],
  npmignoreEnabled: true,
});

// Sources compile to out/ (git-ignored); lib/ is source, not build output.
project.package.addField('types', 'out/index.d.ts');
project.package.addField('exports', {
  '.': { types: './out/index.d.ts', default: './out/index.js' },
  './testing': { types: './out/testing.d.ts', default: './out/testing.js' },
  './package.json': './package.json',
});
// `npm run synth` in this repository runs the bin from source; which app it runs is in cdk8s-dataops.json (not a
// package.json key, which would be published). It is the CI form: unlike `npx synth`, it never asks the registry.
project.package.setScript('synth', 'node bin/synth.js');
project.npmignore?.exclude('/test/', '/examples/', '/scripts/', '/.ci/', '/.cache/', '*.ts', '!*.d.ts', '/bench-out/',
  '/vitest.config.mts', '/tsconfig.json', '/tsconfig.dev.json', '/constructs/', '/.venv-dbt/', '/.venv-checkov/', '/cdk8s-dataops.json',
  '/docs/api/', '/typedoc.json', '/tsdoc.json'); // the API reference is built from the sources, not shipped
project.npmignore?.include('/out/', '/bin/');

const compilerOptions = {
  target: 'ES2022',
  module: 'commonjs',
  moduleResolution: 'node',
  lib: ['ES2022'],
  strict: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  esModuleInterop: true,
  skipLibCheck: true,
  declaration: true,
  sourceMap: true,
  resolveJsonModule: true,
  experimentalDecorators: false,
  emitDecoratorMetadata: false,
  types: ['node'],
};
const sources = ['index.ts', 'testing.ts', 'lib/**/*.ts', 'constructs/**/*.ts', 'ops/**/*.ts', 'synth/**/*.ts'];

// The published source maps carry their sources (inlineSources): the .ts files they name are not shipped.
new JsonFile(project, 'tsconfig.json', {
  obj: { compilerOptions: { ...compilerOptions, inlineSources: true, rootDir: '.', outDir: 'out' }, include: sources, exclude: ['node_modules', 'out'] },
});
new JsonFile(project, 'tsconfig.dev.json', {
  obj: {
    compilerOptions: {
      ...compilerOptions,
      noEmit: true,
      baseUrl: '.',
      // Examples and tests import the package by its public name, exactly as users do.
      paths: { 'cdk8s-dataops': ['./index.ts'], 'cdk8s-dataops/testing': ['./testing.ts'] },
    },
    include: [...sources, 'test/**/*.ts', 'examples/**/*.ts', 'scripts/**/*.ts'],
    exclude: ['node_modules', 'out', '**/dist/**'],
  },
});

new typescript.ProjenrcTs(project, { filename: '.projenrc.ts' });

project.compileTask.exec('tsc -p tsconfig.json');
project.addTask('typecheck', { description: 'Type-check sources, tests and examples', exec: 'tsc -p tsconfig.dev.json' });
// The test task runs the whole suite (type check, unit, integration, real Kafka) and never edits files.
project.testTask.reset();
project.testTask.spawn(project.tasks.tryFind('typecheck')!);
project.testTask.exec('vitest run');
project.addTask('import-crds', { description: 'Regenerate constructs/imports from ../shared/crds', exec: 'bash scripts/import-crds.sh' });
project.addTask('vendor-crds', { description: 'Refresh schemas/crds (the CRDs synth validate bundles) from ../shared/crds', exec: 'bash scripts/vendor-crds.sh' });
// API reference from the doc comments into docs/api/ (git-ignored); typedoc.json makes any warning an error.
project.addTask('docs', { description: 'API reference (typedoc) into docs/api/; fails on any warning', exec: 'typedoc' });
// The API report: compile, then api-extractor over out/index.d.ts and out/testing.d.ts (api-extractor*.json).
// `api` rewrites api/*.api.md; `api:check` (CI) fails when they differ from the compiled declarations.
const apiReport = (local: boolean) => ['api-extractor.json', 'api-extractor.testing.json']
  .map((config) => ({ exec: `api-extractor run${local ? ' --local' : ''} --config ${config}` }));
for (const ignored of ['/api/', '/api-extractor*.json']) project.addPackageIgnore(ignored);
project.addTask('api', { description: 'Rewrite the API report (api/*.api.md) from the compiled declarations', steps: [{ exec: 'tsc -p tsconfig.json' }, ...apiReport(true)] });
project.addTask('api:check', { description: 'Fail when the API report (api/*.api.md) is stale', steps: [{ exec: 'tsc -p tsconfig.json' }, ...apiReport(false)] });
project.addTask('bench', { description: 'Synthesizer benchmark (figures, not assertions)', exec: 'node scripts/bench.js' });

project.synth();
