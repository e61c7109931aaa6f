import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_CRDS_DIR } from '../../../lib/schema';
import { listSchemaFiles, loadCrdDirs, parseCrdStream, readCrd, scanCrdKinds } from '../../../lib/schema/crds';
import { createAjv, structuralToJsonSchema } from '../../../lib/schema/openapi';

const repoRoot = path.resolve(__dirname, '../../..');
/** Where the upstream CRDs are kept (CI has it; scripts/vendor-crds.sh copies from it). */
const SHARED_CRDS = process.env.CRDS_DIR ?? path.resolve(repoRoot, '../shared/crds');

/** Every file below a folder, relative, sorted. */
function tree(dir: string): string[] {
  return listAll(dir).map((f) => path.relative(dir, f).split(path.sep).join('/')).sort();
}
function listAll(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listAll(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** `sha256sum` lines (`<hex>  ./<path>`) of every file below a folder, sorted by path (ASCII paths: `LC_ALL=C sort`). */
function checksums(dir: string): string {
  return tree(dir)
    .map((f) => `${createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex')}  ./${f}\n`).join('');
}

describe('vendored CRDs (schemas/crds)', () => {
  it('are the bundled CRD folder of the package', () => {
    expect(BUNDLED_CRDS_DIR).toBe(path.join(repoRoot, 'schemas', 'crds'));
  });

  it.skipIf(!fs.existsSync(SHARED_CRDS))(`are a byte-identical copy of ${SHARED_CRDS} (refresh with scripts/vendor-crds.sh)`, () => {
    const upstream = tree(SHARED_CRDS);
    expect(tree(BUNDLED_CRDS_DIR)).toEqual(upstream);
    const differing = upstream.filter((f) => !fs.readFileSync(path.join(SHARED_CRDS, f)).equals(fs.readFileSync(path.join(BUNDLED_CRDS_DIR, f))));
    expect(differing).toEqual([]);
  });

  // Runs everywhere (a clone has no ../shared): the vendored files are the ones last compared with upstream.
  // After scripts/vendor-crds.sh, record them again:
  //   (cd schemas/crds && find . -type f | LC_ALL=C sort | xargs sha256sum) > test/lib/schema/vendored-crds.sha256
  it('match the checksums recorded when they were last compared with upstream (vendored-crds.sha256)', () => {
    expect(checksums(BUNDLED_CRDS_DIR)).toBe(fs.readFileSync(path.join(__dirname, 'vendored-crds.sha256'), 'utf8'));
  });

  it('name their upstream source in every folder (SOURCE.md)', () => {
    const folders = fs.readdirSync(BUNDLED_CRDS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.length).toBeGreaterThanOrEqual(7);
    for (const folder of folders) expect(fs.readFileSync(path.join(BUNDLED_CRDS_DIR, folder, 'SOURCE.md'), 'utf8')).toMatch(/^Source: github\.com\//);
  });

  it('are found by the text scan exactly as a full parse finds them', () => {
    for (const file of listSchemaFiles(BUNDLED_CRDS_DIR)) {
      const text = fs.readFileSync(file, 'utf8');
      const parsed = parseCrdStream(text, file);
      expect(parsed.problems).toEqual([]);
      const full = parsed.docs.map((d) => readCrd(d, file)).map((c) => (typeof c === 'string' ? c : { group: c.group, kind: c.kind }));
      expect(scanCrdKinds(text)).toEqual(full);
    }
  });

  it('compile, every served version', () => {
    const ajv = createAjv();
    const { crds } = loadCrdDirs([BUNDLED_CRDS_DIR], (f) => f);
    expect(crds.map((c) => `${c.group}/${c.kind}`)).toContain('kafka.strimzi.io/KafkaTopic');
    for (const handle of crds) {
      const crd = handle.load();
      if (typeof crd === 'string') throw new Error(crd);
      for (const v of crd.versions.filter((x) => x.served)) expect(() => ajv.compile(structuralToJsonSchema(v.schema))).not.toThrow();
    }
  });

  it('keep "=" a string in the AlertmanagerConfig matcher enum (a YAML 1.1 value-key trap)', () => {
    const file = path.join(BUNDLED_CRDS_DIR, 'prometheus-operator', 'monitoring.coreos.com_alertmanagerconfigs.yaml');
    const crd = readCrd(parseCrdStream(fs.readFileSync(file, 'utf8'), file).docs[0], file);
    if (typeof crd === 'string') throw new Error(crd);
    const matchType = (crd.versions[0].schema as any).properties.spec.properties.inhibitRules.items.properties.sourceMatch.items.properties.matchType;
    expect(matchType.enum).toEqual(['!=', '=', '=~', '!~']);
  });
});

describe('parseCrdStream', () => {
  it('reads `=` as a string, tagged as a YAML 1.1 value key or not, and YAML 1.1 booleans as Kubernetes does', () => {
    expect(parseCrdStream('enum:\n- =\n- !!value =\n- "!="\nflag: on\n', 'x').docs).toEqual([{ enum: ['=', '=', '!='], flag: true }]);
  });

  it('reports a file that is not YAML instead of failing', () => {
    expect(parseCrdStream('a: [\n', 'broken.yaml')).toEqual({
      docs: [], problems: [{ file: 'broken.yaml', message: expect.stringMatching(/^cannot parse as YAML: /) }],
    });
  });
});

describe('loadCrdDirs', () => {
  it('reports a broken CRD file and still loads the others', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
    try {
      fs.copyFileSync(path.join(BUNDLED_CRDS_DIR, 'strimzi', '043-Crd-kafkatopic.yaml'), path.join(dir, 'topic.yaml'));
      fs.writeFileSync(path.join(dir, 'broken.yaml'), 'kind: CustomResourceDefinition\nspec: [\n');
      fs.writeFileSync(path.join(dir, 'notes.yaml'), 'title: not a CRD\n');
      const { crds, problems } = loadCrdDirs([dir], (f) => path.basename(f));
      expect(crds.map((c) => `${c.source}: ${c.group}/${c.kind}`)).toEqual(['topic.yaml: kafka.strimzi.io/KafkaTopic']);
      expect(problems).toEqual([{ file: 'broken.yaml', message: expect.stringMatching(/^cannot parse as YAML/) }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
