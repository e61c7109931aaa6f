import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Construct } from 'constructs';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AggregateDataOpsError, ValidationError } from 'cdk8s-dataops';
import { constructRef, instanceOf, validateProps } from '../../lib/validation';
import { propsSchema } from '../../lib/validation';

const schema = z.object({
  partitions: z.number().int().min(1),
  config: z.object({ retention: z.string() }).strict().optional(),
  consumers: z.array(z.object({ group: z.string().min(1) })).optional(),
}).strict();

function scope(): Construct {
  return new Construct(new Construct(undefined as any, ''), 'orders');
}

describe('validateProps', () => {
  it('returns the parsed props when they are valid', () => {
    expect(validateProps(scope(), schema, { partitions: 3, consumers: [{ group: 'g' }] })).toEqual({ partitions: 3, consumers: [{ group: 'g' }] });
  });

  it('throws one ValidationError naming the construct path and the field path', () => {
    let error: unknown;
    try {
      validateProps(scope(), schema, { partitions: 3, consumers: [{ group: 'g' }, { group: '' }] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).constructPath).toBe('orders');
    expect((error as ValidationError).field).toBe('consumers[1].group');
    expect((error as Error).message).toMatch(/^orders, field 'consumers\[1\]\.group': /);
  });

  it('reports every invalid property at once', () => {
    let error: unknown;
    try {
      validateProps(scope(), schema, { partitions: 0, config: { retention: 7 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AggregateDataOpsError);
    const agg = error as AggregateDataOpsError;
    expect(agg.errors.map((e) => e.field)).toEqual(['partitions', 'config.retention']);
    expect(agg.message.split('\n')[0]).toBe('orders: 2 invalid properties:');
  });

  it('parses the same before and after zod compiles the schema (the first parses of each schema run uncompiled)', () => {
    const shaped = z.object({
      name: z.string().transform((n) => n.toUpperCase()),
      replicas: z.number().int().default(3),
      mode: z.union([z.literal('a'), z.object({ weight: z.number().optional() })]),
      extra: z.string().optional(),
      nested: z.object({ b: z.string().optional(), a: z.number().default(1) }).optional(),
    }).strict();
    const inputs: unknown[] = [
      { name: 'x', mode: 'a' },
      { extra: undefined, name: 'y', mode: { weight: undefined }, nested: { b: undefined } },
      { name: 'z', mode: { weight: 2 }, replicas: 5, nested: {} },
    ];
    const bad = { name: 'x', mode: { weight: 'heavy' }, replicas: 1.5 };
    const run = () => ({
      ok: inputs.map((i) => JSON.stringify(validateProps(scope(), shaped, i), (_k, v) => (v === undefined ? '<undefined>' : v))),
      keys: inputs.map((i) => Object.keys(validateProps(scope(), shaped, i) as object)),
      error: (() => {
        try {
          validateProps(scope(), shaped, bad);
        } catch (e) {
          return (e as Error).message;
        }
        return 'accepted';
      })(),
    });
    const first = run();
    expect(first.error).toMatch(/2 invalid properties/);
    for (let i = 0; i < 40; i++) run(); // well past the parses that run uncompiled (64, counting each call)
    expect(run()).toEqual(first);
  });

  it('names unknown properties (strict schemas)', () => {
    expect(() => validateProps(scope(), schema, { partitions: 1, partition: 2 })).toThrow(/^orders, field 'partition': unknown property/);
  });
});

describe('validateProps messages for people', () => {
  it('names an unknown key as the field and suggests the closest known one, also in nested objects', () => {
    expect(() => validateProps(scope(), schema, { partitons: 3 })).toThrow(/field 'partitons': unknown property 'partitons'; did you mean 'partitions'\?/);
    expect(() => validateProps(scope(), schema, { partitions: 3, config: { retension: 'x' } }))
      .toThrow(/field 'config.retension': unknown property 'retension'; did you mean 'retention'\?/);
  });

  it('lists the known properties when nothing is close', () => {
    expect(() => validateProps(scope(), schema, { partitions: 3, zzzzzz: 1 }))
      .toThrow(/field 'zzzzzz': unknown property 'zzzzzz'; known properties: partitions, config, consumers/);
  });

  it('says a missing property is required', () => {
    expect(() => validateProps(scope(), schema, {})).toThrow(/field 'partitions': is required \(expected number\)/);
  });

  it('says a missing construct is required, and names the kind expected when it is something else', () => {
    class Peer { public readonly peer = true; }
    const refs = z.strictObject({
      cluster: constructRef<{ clusterName: string }>((v) => typeof (v as { clusterName?: unknown })?.clusterName === 'string', 'a KafkaCluster'),
      peer: instanceOf(Peer, 'Peer').optional(),
    });
    expect(() => validateProps(scope(), refs, {})).toThrow(/, field 'cluster': is required \(a KafkaCluster\)$/);
    expect(() => validateProps(scope(), refs, { cluster: 'main' })).toThrow(/, field 'cluster': expected a KafkaCluster$/);
    expect(() => validateProps(scope(), refs, { cluster: { clusterName: 'main' }, peer: {} })).toThrow(/, field 'peer': must be a Peer$/);
    expect(validateProps(scope(), refs, { cluster: { clusterName: 'main' }, peer: new Peer() }).peer).toBeInstanceOf(Peer);
    expect(() => validateProps(scope(), z.strictObject({ peer: instanceOf(Peer, 'Peer') }), {})).toThrow(/, field 'peer': is required \(a Peer\)$/);
    const hinted = z.strictObject({ key: constructRef<Peer>((v) => v instanceof Peer, 'a Peer', 'expected a Peer; never a plain value') });
    expect(() => validateProps(scope(), hinted, {})).toThrow(/, field 'key': is required \(a Peer\)$/);
    expect(() => validateProps(scope(), hinted, { key: 'x' })).toThrow(/, field 'key': expected a Peer; never a plain value$/);
  });
});

describe('validateProps refuses unknown keys whatever the schema says', () => {
  // zod's default object schema (not .strict()) strips unknown keys silently: exactly how props got lost.
  const lax = z.object({
    executor: z.string(),
    egress: z.array(z.object({ port: z.number() })).optional(),
    env: z.record(z.string(), z.union([z.string(), z.object({ fieldPath: z.string() })])).optional(),
  });

  it('reports an unknown key of a non-strict schema, at the top and nested in arrays, records and unions', () => {
    expect(() => validateProps(scope(), lax, { executor: 'x', egres: [] })).toThrow(/^orders, field 'egres': unknown property 'egres'; did you mean 'egress'\?$/);
    expect(() => validateProps(scope(), lax, { executor: 'x', egress: [{ port: 1, prot: 2 }] })).toThrow(/field 'egress\[0\]\.prot': unknown property 'prot'; did you mean 'port'\?/);
    expect(() => validateProps(scope(), lax, { executor: 'x', env: { A: { fieldPath: 'a', fieldPth: 'b' } } })).toThrow(/field 'env\.A\.fieldPth': unknown property 'fieldPth'; did you mean 'fieldPath'\?/);
  });

  it('names the typo, not only the missing key, when a required key is misspelled', () => {
    for (const schema of [lax, lax.strict()]) {
      let error: unknown;
      try {
        validateProps(scope(), schema, { excutor: 'KubernetesExecutor' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toBe("orders, field 'excutor': unknown property 'excutor'; did you mean 'executor'? ('executor' is required)");
    }
  });

  it('still reports a missing key next to an unrelated unknown key', () => {
    expect(() => validateProps(scope(), lax, { zzzzzz: 1 })).toThrow(AggregateDataOpsError);
    expect(() => validateProps(scope(), lax, { zzzzzz: 1 })).toThrow(/field 'zzzzzz': unknown property 'zzzzzz'; known properties: executor, egress, env[\s\S]*field 'executor': is required/);
  });

  it('leaves explicit catch-alls (.loose()) and class instances alone', () => {
    expect(validateProps(scope(), z.object({ a: z.string() }).loose(), { a: 'x', b: 1 })).toEqual({ a: 'x', b: 1 });
    class Peer { public readonly a = 'x'; public readonly other = 1; }
    expect(() => validateProps(scope(), z.object({ p: z.custom<Peer>((v) => v instanceof Peer) }), { p: new Peer() })).not.toThrow();
  });
});

describe('propsSchema ties a schema to its props interface', () => {
  interface DemoProps {
    /** required */
    readonly executor: string;
    /** optional */
    readonly egress?: readonly string[];
  }

  it('builds a strict schema', () => {
    const schema = propsSchema<DemoProps>()({ executor: z.string(), egress: z.array(z.string()).optional() });
    expect(schema.safeParse({ executor: 'x', egres: [] }).success).toBe(false);
    expect(validateProps(scope(), schema, { executor: 'x' })).toEqual({ executor: 'x' });
  });

  it('does not compile when the shape misses a key, has an extra key or disagrees on optionality', () => {
    // The real TypeScript compiler on a file that uses propsSchema wrongly in four ways.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'props-schema-'));
    const file = path.join(dir, 'drift.ts');
    const validation = path.resolve(__dirname, '../../lib/validation').replace(/\\/g, '/');
    fs.writeFileSync(file, [
      "import { z } from 'zod';",
      `import { propsSchema } from '${validation}';`,
      'interface P { readonly executor: string; readonly egress?: readonly string[] }',
      'export const ok = propsSchema<P>()({ executor: z.string(), egress: z.array(z.string()).optional() });',
      'export const missing = propsSchema<P>()({ executor: z.string() });',
      'export const extra = propsSchema<P>()({ executor: z.string(), egress: z.array(z.string()).optional(), egres: z.string() });',
      'export const notOptional = propsSchema<P>()({ executor: z.string(), egress: z.array(z.string()) });',
      'export const notRequired = propsSchema<P>()({ executor: z.string().optional(), egress: z.array(z.string()).optional() });',
    ].join('\n'));
    const program = ts.createProgram([file], {
      strict: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
      target: ts.ScriptTarget.ES2022, types: [], baseUrl: path.resolve(__dirname, '../..'), paths: { zod: ['node_modules/zod'] },
    });
    const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file)
      .map((d) => ({ line: d.file!.getLineAndCharacterOfPosition(d.start!).line + 1, text: ts.flattenDiagnosticMessageText(d.messageText, '\n') }));
    const lines = (n: number) => errors.filter((e) => e.line === n).map((e) => e.text).join('\n');
    expect(lines(4)).toBe('');
    expect(lines(5)).toMatch(/Property 'egress' is missing/);
    expect(lines(6)).toMatch(/'egres' is not a property of the props interface/);
    expect(lines(7)).toMatch(/'egress' is optional in the props interface: make its schema \.optional\(\)/);
    expect(lines(8)).toMatch(/'executor' is required in the props interface/);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
