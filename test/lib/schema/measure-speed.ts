// Validation speed, in figures (not a test): `npx ts-node --transpile-only test/lib/schema/measure-speed.ts [count] [--kustomize]`.
// Validates `count` (default 10 000) mixed objects in memory, then as an output folder on disk in two environments
// (with --kustomize, also with the kubectl kustomize build of each environment: minutes for 10 000 objects).
import * as fs from 'node:fs';
import { SchemaValidator, validateDist } from '../../../lib/schema';
import { validObjects, variant, writeTree } from './fixtures';

const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10_000);
const withKustomize = process.argv.includes('--kustomize');
const objects = Array.from({ length: count }, (_, i) => variant(validObjects[i % validObjects.length], (o) => {
  o.metadata.name = `${o.metadata.name}-${i}`;
}));
const kinds = new Set(objects.map((o: any) => o.kind)).size;
const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;
const rate = (n: number, t: number) => `${Math.round(n / ((performance.now() - t) / 1000)).toLocaleString('en')} objects/s`;

let t = performance.now();
const validator = new SchemaValidator();
console.log(`load CRD index: ${ms(t)}`);

t = performance.now();
for (const o of validObjects) validator.validate(o);
console.log(`first object of each of ${kinds} kinds (parse CRD file, compile schema, load model): ${ms(t)}`);

t = performance.now();
let problems = 0;
for (const o of objects) problems += validator.validate(o).length;
console.log(`validate ${count} objects in memory (schemas compiled): ${ms(t)} = ${rate(count, t)}; problems: ${problems}`);

const files: Record<string, unknown> = {};
objects.forEach((o: any, i) => { files[`manifests/env${i % 2}/${o.metadata.namespace ?? '_cluster'}/${o.kind.toLowerCase()}.${o.metadata.name}.yaml`] = o; });
const root = writeTree(files);
async function onDisk(): Promise<void> {
  try {
    for (const kustomize of withKustomize ? [false, true] : [false]) {
      t = performance.now();
      const report = await validateDist(root, { kustomize });
      const built = kustomize ? `built ${report.kustomize!.reduce((n, b) => n + b.objects, 0)}` : 'off';
      console.log(`validateDist ${report.objects} objects in ${report.files} files, kustomize ${built}: ${ms(t)} = ${rate(report.objects, t)} ` +
        `(fresh validator: CRD index, compiles, YAML parsing included); errors: ${report.errors}`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
void onDisk();
