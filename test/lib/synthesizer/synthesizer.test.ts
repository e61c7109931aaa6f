import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { AggregateDataOpsError, DataOpsError, DataPlatform, Environment, KubeObject, objectRule, Policies, RuleLevel, synthesizePlatform } from 'cdk8s-dataops';
import { Artifacts } from '../../../lib/synthesizer/artifacts';
import { INDEX_FILE, readOwnedFiles } from '../../../lib/synthesizer/writer';
import { parseYamlDocuments } from '../../../lib/synthesizer/yaml';
import { synthesizeEnvironment } from '../../../lib/synthesizer/synthesizer';
import { cleanUp, listTree, snapshotTree, statTree, tempDir, writeFiles } from '../../fixtures/repo';

afterEach(cleanUp);

interface Shape {
  readonly envs?: readonly string[];
  readonly data?: Record<string, string>;
  readonly extra?: boolean;
  readonly throwAt?: number;
}

/** A small platform; the same shape always builds the same constructs. */
function build(outdir: string, shape: Shape = {}): DataPlatform {
  const platform = new DataPlatform({ outdir });
  for (const name of shape.envs ?? ['dev', 'prod']) {
    const env = new Environment(platform, name, { namespace: 'payments', labels: { team: 'payments' }, cluster: name });
    for (let i = 0; i < 5; i++) {
      const throws = shape.throwAt === i && name === 'prod';
      new ApiObject(env, `config-${i}`, {
        apiVersion: 'v1', kind: 'ConfigMap',
        data: { ...shape.data, i: String(i), env: name, ...(throws ? { x: Lazy.any({ produce: () => { throw new Error('boom'); } }) } : {}) },
      });
    }
    new ApiObject(env, 'payments', { apiVersion: 'v1', kind: 'Namespace' });
    if (shape.extra) new ApiObject(env, 'extra', { apiVersion: 'v1', kind: 'ConfigMap', data: { extra: 'yes' } });
  }
  return platform;
}

function outdir(): string {
  return path.join(tempDir(), 'dist');
}

describe('synthesizePlatform', () => {
  it('lays out one object per file under manifests/<env>/<namespace|_cluster>/, each ending with a newline', () => {
    const dir = outdir();
    synthesizePlatform(build(dir)).write();
    const files = listTree(dir);
    expect(files).toContain('manifests/prod/payments/configmap.config-0.yaml');
    expect(files).toContain('manifests/dev/_cluster/namespace.payments.yaml');
    expect(files.filter((f) => f.startsWith('manifests/'))).toHaveLength(12);
    for (const f of files.filter((x) => x.startsWith('manifests/'))) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
      const docs = parseYamlDocuments(text, f) as KubeObject[];
      expect(docs).toHaveLength(1);
      const [, env, ns, file] = f.split('/');
      expect(file).toBe(`${docs[0].kind.toLowerCase()}.${docs[0].metadata.name}.yaml`);
      expect(docs[0].metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'cdk8s-dataops', team: 'payments' });
      expect(docs[0].metadata.namespace ?? '_cluster').toBe(ns);
      expect(docs[0].kind === 'Namespace' ? undefined : (docs[0] as any).data.env).toBe(docs[0].kind === 'Namespace' ? undefined : env);
    }
    const ns = parseYamlDocuments(fs.readFileSync(path.join(dir, 'manifests/prod/_cluster/namespace.payments.yaml'), 'utf8'), 'ns')[0] as KubeObject;
    expect(Object.keys(ns.metadata)).not.toContain('namespace');
  });

  it('is byte-identical across runs and platform instances; a second write changes nothing', () => {
    const dir = outdir();
    const first = synthesizePlatform(build(dir)).files;
    const second = synthesizePlatform(build(dir)).files;
    expect([...second]).toEqual([...first]);
    synthesizePlatform(build(dir)).write();
    const written = snapshotTree(dir);
    const inodes = statTree(dir);
    const result = synthesizePlatform(build(dir)).write();
    expect(result.written).toEqual([]);
    expect(snapshotTree(dir)).toEqual(written);
    expect(statTree(dir)).toEqual(inodes);
  });

  it('writes any data byte-identically and readably back (property)', () => {
    // cdk8s itself cannot resolve a 'constructor' key and drops '__proto__': left out here.
    const key = fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/).filter((k) => k !== 'constructor' && k !== '__proto__');
    fc.assert(fc.property(fc.dictionary(key, fc.string(), { maxKeys: 6, noNullPrototype: true }), (data) => {
      const dir = outdir();
      const a = synthesizePlatform(build(dir, { envs: ['prod'], data })).files;
      const b = synthesizePlatform(build(dir, { envs: ['prod'], data })).files;
      expect([...a]).toEqual([...b]);
      const cm = parseYamlDocuments(a.get('manifests/prod/payments/configmap.config-0.yaml')!, 'cm')[0] as { data: Record<string, string> };
      expect(cm.data).toEqual({ ...data, i: '0', env: 'prod' });
    }), { numRuns: 60 });
  });

  it('leaves the previous output byte-identical when a construct throws mid-synthesis', () => {
    const dir = outdir();
    synthesizePlatform(build(dir)).write();
    writeFiles(dir, { 'README.md': 'ours\n' });
    const before = snapshotTree(dir);
    const inodes = statTree(dir);
    const broken = build(dir, { extra: true, data: { changed: 'yes' }, throwAt: 3 });
    expect(() => synthesizePlatform(broken).write()).toThrow(/^prod\/config-3: boom$/);
    expect(snapshotTree(dir)).toEqual(before);
    expect(statTree(dir)).toEqual(inodes);
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['dist']);
  });

  it('with environments, rewrites only those and keeps (and keeps owning) the files of the others', () => {
    const dir = outdir();
    synthesizePlatform(build(dir)).write();
    const prodBefore = [...snapshotTree(dir)].filter(([f]) => f.startsWith('manifests/prod/'));

    // The code changes both environments, but only dev is synthesized.
    const result = synthesizePlatform(build(dir, { data: { changed: 'yes' }, extra: true }), { environments: ['dev'] }).write();
    expect(result.written.every((f) => f.startsWith('manifests/dev/'))).toBe(true);
    expect(result.written).toContain('manifests/dev/payments/configmap.extra.yaml');
    const after = snapshotTree(dir);
    expect([...after].filter(([f]) => f.startsWith('manifests/prod/'))).toEqual(prodBefore);
    expect(after.get('manifests/dev/payments/configmap.config-0.yaml')).toContain('changed: "yes"');
    expect(readOwnedFiles(dir).has('manifests/prod/payments/configmap.config-0.yaml')).toBe(true);

    // Removing an object of dev removes its file; prod's files stay until prod is synthesized.
    const removed = synthesizePlatform(build(dir, { data: { changed: 'yes' } }), { environments: ['dev'] }).write();
    expect(removed.removed).toEqual(['manifests/dev/payments/configmap.extra.yaml']);
    const full = synthesizePlatform(build(dir, { data: { changed: 'yes' } })).write();
    expect(full.written.every((f) => f.startsWith('manifests/prod/'))).toBe(true);
    expect(full.removed).toEqual([]);
  });

  it('compares with the output folder without writing (the --check of the command)', () => {
    const dir = outdir();
    synthesizePlatform(build(dir)).write();
    expect(synthesizePlatform(build(dir)).compare().upToDate).toBe(true);
    const before = statTree(dir);
    const cmp = synthesizePlatform(build(dir, { extra: true })).compare();
    expect(cmp.added).toEqual(['manifests/dev/payments/configmap.extra.yaml', 'manifests/prod/payments/configmap.extra.yaml']);
    expect(statTree(dir)).toEqual(before);
  });

  it('writes into another folder when asked (outdir option), resolving relative paths', () => {
    const dir = outdir();
    const other = path.join(path.dirname(dir), 'elsewhere');
    const synthesis = synthesizePlatform(build(dir), { outdir: other });
    expect(synthesis.outdir).toBe(other);
    synthesis.write();
    expect(fs.existsSync(dir)).toBe(false);
    expect(listTree(other)).toContain(INDEX_FILE);
  });
});

describe('output rules', () => {
  it('refuses a plaintext v1 Secret, naming the construct and the rule', () => {
    const dir = outdir();
    const platform = new DataPlatform({ outdir: dir });
    const env = new Environment(platform, 'prod');
    new ApiObject(new Construct(env, 'db'), 'Resource', { apiVersion: 'v1', kind: 'Secret', data: { password: 'aHVudGVyMg==' } });
    expect(() => synthesizePlatform(platform)).toThrow(
      "prod/db: Secret 'db' carries plaintext values in 'data'; secret values never go to Git. " +
      'Use Secrets.fromExternal (ExternalSecret) or Secrets.fromSealed (SealedSecret) instead [DOP-SECRETS-001]',
    );
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('checks stringData too, reports every Secret, and lets empty or non-core Secrets pass', () => {
    const platform = new DataPlatform({ outdir: outdir() });
    const env = new Environment(platform, 'prod');
    new ApiObject(env, 'a', { apiVersion: 'v1', kind: 'Secret', data: { x: 'eA==' }, stringData: { y: 'y' } });
    new ApiObject(env, 'b', { apiVersion: 'v1', kind: 'Secret', stringData: { y: 'y' } });
    new ApiObject(env, 'empty', { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', data: {} });
    new ApiObject(env, 'sealed', { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', spec: { encryptedData: { x: 'AgB...' } } });
    let error: unknown;
    try {
      synthesizePlatform(platform);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AggregateDataOpsError);
    expect((error as AggregateDataOpsError).errors.map((e) => e.message.replace(/;.*/, ''))).toEqual([
      "prod/a: Secret 'a' carries plaintext values in 'data' and 'stringData'",
      "prod/b: Secret 'b' carries plaintext values in 'stringData'",
    ]);
  });

  it("runs the platform's pack rules on the objects of their kinds; only that platform's", () => {
    const seen: string[] = [];
    const noDebug = objectRule({
      id: 'TEST-NO-DEBUG-001', level: RuleLevel.ERROR, description: 'no debug', rationale: 'r', remediation: 'turn debug off', kinds: ['ConfigMap'],
      evaluate: ({ object }) => {
        seen.push(`${object.kind}/${object.metadata.name}`);
        return (object as any).data?.debug === 'true' ? [`ConfigMap '${object.metadata.name}' turns debugging on`] : [];
      },
    });
    const make = (withPack: boolean) => {
      const platform = new DataPlatform({ outdir: outdir() });
      if (withPack) Policies.of(platform).add({ name: 'test', rules: [noDebug] });
      const env = new Environment(platform, 'prod');
      new ApiObject(env, 'quiet', { apiVersion: 'v1', kind: 'ConfigMap', data: { debug: 'false' } });
      new ApiObject(env, 'loud', { apiVersion: 'v1', kind: 'ConfigMap', data: { debug: 'true' } });
      new ApiObject(env, 'ns', { apiVersion: 'v1', kind: 'Namespace' });
      return { platform, env };
    };
    const { platform, env } = make(true);
    expect(() => synthesizePlatform(platform)).toThrow("prod/loud: ConfigMap 'loud' turns debugging on [TEST-NO-DEBUG-001]");
    expect(seen).toEqual(['ConfigMap/quiet', 'ConfigMap/loud']);
    // In-memory synthesis (the testing helpers) runs the same rules.
    expect(() => synthesizeEnvironment(env)).toThrow('[TEST-NO-DEBUG-001]');
    expect(() => synthesizePlatform(make(false).platform)).not.toThrow();
  });

  it('gives checkAgainstPrevious the object previously written to the same file, and only when there is one', () => {
    const dir = outdir();
    const calls: Array<[string, unknown]> = [];
    const onlyGrow = objectRule({
      id: 'TEST-GROW-001', level: RuleLevel.ERROR, description: 'grow', rationale: 'r', remediation: 'keep it', kinds: ['ConfigMap'],
      evaluate: (o, ctx) => {
        const previous = ctx.previous(o);
        if (!previous) return [];
        calls.push([o.object.metadata.name, (previous as any).data]);
        const before = Number((previous as any).data?.partitions);
        const now = Number((o.object as any).data?.partitions);
        return now < before ? [`partitions cannot shrink from ${before} to ${now}`] : [];
      },
    });
    {
      const topics = (partitions: string, withNew = false) => {
        const platform = new DataPlatform({ outdir: dir });
        Policies.of(platform).add({ name: 'test', rules: [onlyGrow] });
        const env = new Environment(platform, 'prod');
        new ApiObject(env, 'orders', { apiVersion: 'v1', kind: 'ConfigMap', data: { partitions } });
        if (withNew) new ApiObject(env, 'fresh', { apiVersion: 'v1', kind: 'ConfigMap', data: { partitions: '1' } });
        return platform;
      };
      synthesizePlatform(topics('6')).write();
      expect(calls).toEqual([]);
      synthesizePlatform(topics('12', true)).write();
      expect(calls).toEqual([['orders', { partitions: '6' }]]);
      expect(() => synthesizePlatform(topics('3'))).toThrow('prod/orders: partitions cannot shrink from 12 to 3 [TEST-GROW-001]');
      // Not in memory: synthesizeEnvironment has no previous output.
      calls.length = 0;
      expect(() => synthesizeEnvironment(topics('3').environments[0])).not.toThrow();
      expect(calls).toEqual([]);

      // A file of ours that is damaged is an error saying how to restore it.
      const file = path.join(dir, 'manifests/prod/prod/configmap.orders.yaml');
      fs.writeFileSync(file, 'data: [oops\n');
      expect(() => synthesizePlatform(topics('12'))).toThrow(`${file} is damaged (manifests/prod/prod/configmap.orders.yaml: invalid YAML: `);
      // A file that is not ours, or not a Kubernetes object, is not a previous version.
      fs.writeFileSync(file, 'just text\n');
      expect(() => synthesizePlatform(topics('12'))).not.toThrow();
      fs.rmSync(path.join(dir, INDEX_FILE));
      fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: orders\ndata:\n  partitions: "99"\n');
      expect(() => synthesizePlatform(topics('12'))).not.toThrow();
      expect(calls).toEqual([]);
    }
  });
});

describe('artifacts', () => {
  function withArtifact(dir: string, file: { path: string; render: (c: { outdir: string }) => string | undefined }): DataPlatform {
    const platform = build(dir, { envs: ['prod'] });
    Artifacts.add(platform.environments[0], file);
    return platform;
  }

  it('writes files beside the manifests, owned like them, and removes them when no longer produced', () => {
    const dir = outdir();
    let seen = '';
    synthesizePlatform(withArtifact(dir, { path: 'reports/summary.md', render: (c) => { seen = c.outdir; return '# summary\n'; } })).write();
    expect(seen).toBe(dir);
    expect(fs.readFileSync(path.join(dir, 'reports/summary.md'), 'utf8')).toBe('# summary\n');
    expect(readOwnedFiles(dir).has('reports/summary.md')).toBe(true);
    const result = synthesizePlatform(withArtifact(dir, { path: 'reports/summary.md', render: () => undefined })).write();
    expect(result.removed).toEqual(['reports/summary.md']);
  });

  it.each(['manifests/prod/extra.yaml', '/etc/passwd', 'reports/../../escape.md'])('refuses the path %j, naming the construct', (p) => {
    expect(() => synthesizePlatform(withArtifact(outdir(), { path: p, render: () => 'x' }))).toThrow(`prod: artifact path '${p}' must be relative and outside manifests/`);
  });

  it('refuses two artifacts with the same path', () => {
    const platform = withArtifact(outdir(), { path: 'reports/a.md', render: () => 'a' });
    Artifacts.add(platform, { path: 'reports/a.md', render: () => 'b' });
    expect(() => synthesizePlatform(platform)).toThrow("two artifacts write 'reports/a.md'");
  });
});

describe('errors', () => {
  it('are DataOpsErrors naming the construct', () => {
    const platform = build(outdir(), { envs: ['prod'], throwAt: 1 });
    let error: unknown;
    try {
      synthesizePlatform(platform);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataOpsError);
    expect((error as DataOpsError).constructPath).toBe('prod/config-1');
  });
});
