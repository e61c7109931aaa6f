import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseDistYaml } from '../../../ops/kafka/dist-yaml';

/** What the loader got before the fast path: the `yaml` package with the loader's settings. */
function reference(text: string): unknown {
  const docs = parseAllDocuments(text, { version: '1.1', intAsBigInt: true });
  if (Array.isArray(docs) === false || (docs as unknown[]).length !== 1) return 'several documents';
  return (docs as any)[0].toJS({ maxAliasCount: -1 });
}

function* yamlFiles(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* yamlFiles(p);
    else if (/\.ya?ml$/.test(e.name)) yield p;
  }
}

describe('parseDistYaml', () => {
  it("reads every file of the repository example's dist exactly as the yaml package does", () => {
    const files = [...yamlFiles(path.join(__dirname, '../../../examples/data-platform/dist'))];
    expect(files.length).toBeGreaterThan(50);
    let fast = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const v = parseDistYaml(text);
      if (v === undefined) continue;
      fast++;
      expect(v, f).toEqual(reference(text));
    }
    expect(fast).toBeGreaterThan(50);
    // Every Kafka object the loader reads takes the fast path.
    for (const f of files.filter((x) => /kafka(topic|user)\./.test(path.basename(x)))) expect(parseDistYaml(fs.readFileSync(f, 'utf8')), f).toBeDefined();
  });

  const same = [
    'a: 1\nb: -12\nc: 9223372036854775807\nd: 0.5\ne: "x: y"\nf: \'it\'\'s\'\ng: ~\nh:\ni: yes\nj: Off\nk: plain text\nl: {}\nm: []\n',
    'list:\n- a\n- 2\nnested:\n  - k: v\n    o:\n      - Read\n  - k: w\n',
    'spec:\n  config:\n    retention.ms: 604800000\n    cleanup.policy: compact,delete\n    min.cleanable.dirty.ratio: 0.3\n',
    '"quoted key": 1\n\'other\': "2"\n# comment\n\nz: "*"\n',
  ];
  it.each(same)('agrees with the yaml package on %j', (text) => {
    expect(parseDistYaml(text)).toEqual(reference(text));
  });

  const outside = [
    'a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: [1, 2]\n', 'a: { b: 1 }\n', 'a: |\n  text\n', 'a: 0x1F\n', 'a: 1_000\n', 'a: 1:20\n',
    'a: 1e5\n', 'a: 10.0.0.1\n', 'a: .inf\n', 'a: 2001-12-14\n', 'a: "esc\\"aped"\n', 'a: 1\n---\nb: 2\n', 'a: b\n  c\n', 'a: 1\na: 2\n',
    '<<: {}\n', 'a: x # comment\n', '\ta: 1\n', 'just a scalar\n',
  ];
  it.each(outside)('gives up (the full parser decides) on %j', (text) => {
    expect(parseDistYaml(text)).toBeUndefined();
  });
});
