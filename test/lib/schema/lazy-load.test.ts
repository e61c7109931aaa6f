import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');

/** The node_modules packages loaded by `require(entry)` in a fresh Node process (TypeScript through ts-node, as `synth` runs apps). */
function packagesLoadedBy(entry: string, thenRun = ''): string[] {
  const script = `
    require('ts-node').register({ transpileOnly: true, swc: true, compilerOptions: { module: 'commonjs' } });
    const lib = require(${JSON.stringify(entry)});
    ${thenRun}
    const names = new Set(Object.keys(require.cache).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f)?.[1]).filter(Boolean));
    process.stdout.write(JSON.stringify([...names].sort()));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

it("import 'cdk8s-dataops' loads no validator (ajv, kubernetes-models, avsc, protobufjs): they load when validation runs", () => {
  const loaded = packagesLoadedBy(path.join(root, 'index.ts'));
  expect(loaded).toContain('cdk8s'); // the import itself worked
  expect(loaded.filter((p) => ['ajv', 'kubernetes-models', 'avsc', 'protobufjs'].includes(p))).toEqual([]);
});

it('the validators do load when validation runs', () => {
  // SchemaValidator is internal (not a root export): the CLI's validate command loads it from lib/schema.
  const loaded = packagesLoadedBy(path.join(root, 'index.ts'),
    `new (require(${JSON.stringify(path.join(root, 'lib/schema'))}).SchemaValidator)().validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'b' } });`);
  expect(loaded).toEqual(expect.arrayContaining(['ajv', 'kubernetes-models']));
});
