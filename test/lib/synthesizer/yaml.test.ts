import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseYamlDocuments, RenderCache, toYaml } from '../../../lib/synthesizer/yaml';
import { referenceYaml, renderFast } from '../../../lib/synthesizer/yaml';

/** Reads YAML the way Kubernetes does (YAML 1.1). */
function parse11(text: string): unknown {
  const docs = parseYamlDocuments(text, 'test.yaml');
  expect(docs).toHaveLength(1);
  return docs[0];
}

/** Strings YAML parsers like to turn into something else, and strings with layout-relevant characters. */
const TRICKY = [
  'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'Yes', 'NO', 'true', 'False', 'null', 'Null', '~', '', '0777', '0o17', '0x1F',
  '1_000', '1:20', '190:20:30', '2001-12-14', '2001-12-14t21:59:43.10-05:00', 'e5', 'E123456', 'e-12345', '1e3', '.5', '.inf',
  '-.Inf', '.nan', '<<', '=', '-', '?', '- a', '? b', 'a: b', 'a #b', '#x', 'a:', '%x', '---', '--- a', '...', '@x', '`x', '&a',
  '*a', '!tag', '|', '>', '{a}', '[a]', ',', 'a\nb', 'a\n', '\n', 'a\n\n b\n', ' lead', 'trail ', 'x\n  y\n', '"q"', "'s'",
  'it\'s "both"', '\t', 'tab\there', 'ü', '😀', '\u0007', '\u2028', 'a b', 'http://x.y/z', 'registry.example.com/app:1.0',
  'app.kubernetes.io/name', 'retention.ms', 'abcdef', 'trailing:\n', 'k'.repeat(1100),
];
const text = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.string(),
  fc.string({ unit: fc.constantFrom('a', 'e', 'E', 'y', '1', '0', '.', '-', '_', '/', ':', ' ', '\n', '#', '+', '"', "'", '\t', '%', '|', '>'), maxLength: 40 }),
  fc.stringMatching(/^[A-Za-z][\w./:-]{4,12}$/),
);
const { tree } = fc.letrec((tie) => ({
  // -0 is left out: JSON (what Kubernetes objects are) has no negative zero.
  tree: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.double({ noNaN: true }).map((x) => (x === 0 ? 0 : x)), fc.boolean(), fc.constant(null), tie('list'), tie('map')),
  list: fc.array(tie('tree'), { maxLength: 4 }),
  map: fc.dictionary(text, tie('tree'), { maxKeys: 5 }),
}));
const object = fc.dictionary(text, tree, { maxKeys: 6 });

const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'orders-api', namespace: 'payments', labels: { 'app.kubernetes.io/name': 'orders-api', tier: 'on' } },
  spec: {
    replicas: 3,
    template: {
      spec: {
        containers: [{
          name: 'app', image: 'ghcr.io/acme/orders:1.2.3', args: ['--port', '8080', '--verbose'],
          env: [{ name: 'MODE', value: 'yes' }, { name: 'UMASK', value: '0777' }, { name: 'CONFIG', value: 'a: 1\nb: [2]\n' }],
          resources: { limits: { cpu: '500m', memory: '1Gi' } },
        }],
        volumes: [],
        nodeSelector: {},
      },
    },
  },
};

describe('toYaml', () => {
  it('writes Kubernetes objects readably: block style, stable key order, a trailing newline', () => {
    expect(toYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { b: 'x', a: 'z' }, list: [{ size: 1, m: [] }, {}] })).toBe([
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings', 'data:', '  b: x', '  a: z', 'list:', '  - size: 1', '    m: []', '  - {}', '',
    ].join('\n'));
  });

  it('quotes YAML 1.1 booleans, octals and the like, so Kubernetes reads them back as strings', () => {
    const data = { a: 'yes', b: 'on', c: '0777', d: 'y', e: 'off', f: '1:20', g: '~', h: '2001-12-14', i: 'e5', j: '0x1F', k: 'NO' };
    const yaml = toYaml({ data });
    for (const value of Object.values(data)) expect(yaml).toContain(`: "${value}"\n`);
    expect(parse11(yaml)).toEqual({ data });
  });

  it("quotes a '<<' key, which a YAML 1.1 reader would take for a merge key", () => {
    const value = { data: { '<<': 'x', nested: { '<<': { a: 1 } } } };
    expect(toYaml(value)).toBe('data:\n  "<<": x\n  nested:\n    "<<":\n      a: 1\n');
    expect(parse11(toYaml(value))).toEqual(value);
  });

  it('double-quotes strings of only whitespace and line breaks (a blank block scalar line would lose its spaces)', () => {
    const value = { a: ' \n', b: { c: '  \n\t\n' } };
    expect(toYaml(value)).toBe('a: "\\ \\n"\nb:\n  c: " \\ \\n\\t\\n"\n');
    expect(parse11(toYaml(value))).toEqual(value);
  });

  it('writes multi-line strings as block scalars, indented at any depth', () => {
    const value = { a: { b: [{ script: 'line 1\n  line 2\n\nline 4\n' }, 'x\ny'] } };
    expect(toYaml(value)).toBe('a:\n  b:\n    - script: |\n        line 1\n          line 2\n\n        line 4\n    - |-\n      x\n      y\n');
    expect(parse11(toYaml(value))).toEqual(value);
  });

  it('round-trips random JSON trees through a YAML 1.1 parser', () => {
    fc.assert(fc.property(object, (value) => {
      expect(parse11(toYaml(value))).toEqual(value);
    }), { numRuns: 1500 });
  });

  it('is byte for byte what the yaml library writes (the fast path only lays out what yaml would)', () => {
    fc.assert(fc.property(object, (value) => {
      expect(toYaml(value)).toBe(referenceYaml(value));
      const fast = renderFast(value);
      if (fast !== undefined) expect(fast).toBe(referenceYaml(value));
    }), { numRuns: 3000 });
  });

  it('renders resolved Kubernetes objects on the fast path, identical to yaml', () => {
    expect(renderFast(deployment)).toBe(referenceYaml(deployment));
    expect(toYaml(deployment)).toBe(referenceYaml(deployment));
  });

  it('leaves what is not plain JSON to yaml (and still matches it)', () => {
    const odd = [{}, { a: undefined, b: 1 }, { d: new Date(0) }, { s: [1, , 3] }, 'scalar', [1, 2], { ['k'.repeat(1100)]: 1 }, { '--- marker': 1 }];
    for (const value of odd) {
      expect(renderFast(value)).toBeUndefined();
      expect(toYaml(value)).toBe(referenceYaml(value));
    }
  });

  it('is deterministic: the same value gives the same bytes, whatever was rendered before', () => {
    const first = toYaml(deployment);
    fc.assert(fc.property(object, (value) => {
      toYaml(value);
    }), { numRuns: 300 });
    expect(toYaml(structuredClone(deployment))).toBe(first);
  });
});

describe('parseYamlDocuments', () => {
  it('returns every non-empty document of a stream', () => {
    expect(parseYamlDocuments('a: 1\n---\n---\nb: "on"\n', 'x.yaml')).toEqual([{ a: 1 }, { b: 'on' }]);
  });

  it('reads YAML 1.1 (unquoted on/yes are booleans) like Kubernetes', () => {
    expect(parseYamlDocuments('a: on\nb: yes\nc: 0777\n', 'x.yaml')).toEqual([{ a: true, b: true, c: 511 }]);
  });

  it('names the file when the YAML is invalid', () => {
    expect(() => parseYamlDocuments('a: [1\n', 'manifests/prod/x.yaml')).toThrow(/^manifests\/prod\/x\.yaml: invalid YAML: /);
  });
});

describe('RenderCache', () => {
  it('renders an object once, and again only once it is forgotten (it was changed)', () => {
    const cache = new RenderCache();
    const o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } };
    const first = cache.render(o);
    expect(first).toBe(toYaml(o));
    o.data.k = 'changed';
    expect(cache.render(o)).toBe(first); // identity: the change is not seen until forgotten
    cache.forget(o);
    expect(cache.render(o)).toBe(toYaml(o));
    expect(cache.render(o)).toContain('k: changed');
  });
});
