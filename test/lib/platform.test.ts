import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { afterEach, describe, expect, it } from 'vitest';
import { DataOpsError, DataPlatform, Environment, synthesizePlatform, ValidationError } from 'cdk8s-dataops';
import { synthesize } from 'cdk8s-dataops/testing';
import { cleanUp, listTree, tempDir } from '../fixtures/repo';

afterEach(cleanUp);

function configMap(scope: Construct, id: string, props: Record<string, unknown> = {}): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', ...props });
}

describe('DataPlatform', () => {
  it("writes to 'dist' by default and lists its environments in definition order", () => {
    const platform = new DataPlatform();
    expect(platform.outdir).toBe('dist');
    new Environment(platform, 'staging');
    new Environment(platform, 'dev');
    new Construct(platform, 'not-an-environment');
    expect(platform.environments.map((e) => e.name)).toEqual(['staging', 'dev']);
  });

  it('is found from any construct inside it; a construct outside is refused by name', () => {
    const platform = new DataPlatform();
    const deep = new Construct(new Construct(new Environment(platform, 'dev'), 'team'), 'app');
    expect(DataPlatform.of(deep)).toBe(platform);
    const stray = new Construct(new Construct(undefined as any, 'other-root'), 'thing');
    expect(() => DataPlatform.of(stray)).toThrow(/other-root\/thing is not inside a DataPlatform/);
  });

  it('synth() writes the output folder when run as a plain script', () => {
    const outdir = path.join(tempDir(), 'out');
    const platform = new DataPlatform({ outdir });
    configMap(new Environment(platform, 'prod'), 'settings', { data: { a: 'b' } });
    platform.synth();
    expect(listTree(outdir)).toEqual(['.cdk8s-dataops.json', 'manifests/prod/prod/configmap.settings.yaml']);
  });

  it('synth() writes nothing while the synth command runs the app (the command decides what to write)', () => {
    const outdir = path.join(tempDir(), 'out');
    DataPlatform._setUnderCli(true);
    try {
      const platform = new DataPlatform({ outdir });
      configMap(new Environment(platform, 'prod'), 'settings');
      platform.synth();
      expect(DataPlatform._registered()).toContain(platform);
    } finally {
      DataPlatform._setUnderCli(false);
      DataPlatform._registered().length = 0;
    }
    expect(fs.existsSync(outdir)).toBe(false);
  });
});

describe('Environment', () => {
  it('defaults its namespace to its name and may set another', () => {
    const platform = new DataPlatform();
    expect(new Environment(platform, 'dev').namespace).toBe('dev');
    expect(new Environment(platform, 'prod', { namespace: 'payments' }).namespace).toBe('payments');
  });

  it("is production when named 'prod' or 'production', unless told otherwise", () => {
    const platform = new DataPlatform();
    expect(new Environment(platform, 'prod').production).toBe(true);
    expect(new Environment(platform, 'production').production).toBe(true);
    expect(new Environment(platform, 'staging').production).toBe(false);
    expect(new Environment(platform, 'live', { production: true }).production).toBe(true);
    expect(new Environment(platform, 'prod-eu', {}).production).toBe(false);
    expect(new Environment(new DataPlatform(), 'prod', { production: false }).production).toBe(false);
  });

  it('is found with Environment.of from nested constructs; outside one, of() throws with the path and tryOf() is undefined', () => {
    const platform = new DataPlatform();
    const prod = new Environment(platform, 'prod');
    const nested = new Construct(new Construct(prod, 'payments'), 'orders');
    expect(Environment.of(nested)).toBe(prod);
    expect(Environment.of(prod)).toBe(prod);
    const outside = new Construct(platform, 'shared');
    expect(Environment.tryOf(outside)).toBeUndefined();
    expect(() => Environment.of(outside)).toThrow(DataOpsError);
    expect(() => Environment.of(outside)).toThrow(/^shared is not inside an Environment/);
  });

  it('select() picks the entry named like the environment, else production/nonProduction, else default', () => {
    const platform = new DataPlatform();
    const prod = new Environment(platform, 'prod');
    const staging = new Environment(platform, 'staging');
    const dev = new Environment(platform, 'dev');
    const values = { dev: 1, production: 6, default: 3 };
    expect([prod.select(values), staging.select(values), dev.select(values)]).toEqual([6, 3, 1]);
    expect(staging.select({ nonProduction: 2, default: 3 })).toBe(2);
    expect(prod.select({ nonProduction: 2, default: 3 })).toBe(3);
    // Falsy values are values, not "missing".
    expect(dev.select({ dev: 0, default: 3 })).toBe(0);
    expect(dev.select({ dev: false, default: true })).toBe(false);
  });

  it('labels every object (managed-by plus its own labels; an object label wins) and names objects after their id', () => {
    const platform = new DataPlatform();
    const env = new Environment(platform, 'prod', { namespace: 'payments', labels: { team: 'payments', tier: 'gold' } });
    configMap(env, 'settings');
    configMap(new Construct(env, 'orders-api'), 'Resource', { metadata: { labels: { tier: 'silver' } } });
    const objects = synthesize(env);
    expect(objects.map((o) => [o.metadata.name, o.metadata.namespace, o.metadata.labels])).toEqual([
      ['settings', 'payments', { 'app.kubernetes.io/managed-by': 'cdk8s-dataops', team: 'payments', tier: 'gold' }],
      ['orders-api', 'payments', { 'app.kubernetes.io/managed-by': 'cdk8s-dataops', team: 'payments', tier: 'silver' }],
    ]);
  });

  it('refuses invalid environment names and namespaces, naming the path and field', () => {
    const platform = new DataPlatform();
    expect(() => new Environment(platform, 'Prod')).toThrow(ValidationError);
    expect(() => new Environment(platform, 'Prod')).toThrow(/^Prod, field 'id': 'Prod' is not a valid Kubernetes name/);
    expect(() => new Environment(platform, 'eu.prod')).toThrow(/field 'id'/);
    expect(() => new Environment(platform, 'dev', { namespace: 'Team_A' })).toThrow(/^dev, field 'namespace': 'Team_A' is not a valid/);
  });

  it('is not mistaken for any other cdk8s Chart (cdk8s answers instanceof Chart for every chart)', () => {
    const platform = new DataPlatform();
    const env = new Environment(platform, 'prod');
    const chart = new Chart(platform, 'plain');
    expect(env).toBeInstanceOf(Chart);
    expect(chart instanceof Environment).toBe(false);
    expect(platform.environments).toEqual([env]);
    expect(Environment.tryOf(new Construct(chart, 'inside'))).toBeUndefined();
  });

  it('must be created directly under a DataPlatform', () => {
    const platform = new DataPlatform();
    const group = new Construct(platform, 'group');
    expect(() => new Environment(group as any, 'prod')).toThrow(/group\/prod: an Environment must be created directly under a DataPlatform/);
  });
});

describe('objects outside an Environment', () => {
  it('are refused at synthesis with their construct path', () => {
    const platform = new DataPlatform({ outdir: path.join(tempDir(), 'out') });
    configMap(new Environment(platform, 'prod'), 'fine');
    configMap(new Chart(platform, 'loose'), 'stray');
    expect(() => synthesizePlatform(platform)).toThrow(/^loose\/stray is not inside an Environment; every Kubernetes object belongs to one/);
  });
});

describe('environments that deploy the same object to the same place', () => {
  /** Two environments with a ConfigMap in the 'shared' namespace and a cluster-scoped Namespace each. */
  function twoEnvironments(staging: EnvironmentPropsLike, prod: EnvironmentPropsLike): DataPlatform {
    const platform = new DataPlatform();
    for (const [name, props] of [['staging', staging], ['prod', prod]] as const) {
      const env = new Environment(platform, name, props);
      configMap(new Construct(env, 'team'), 'settings', { metadata: { namespace: 'shared' }, data: { env: name } });
      new ApiObject(env, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: env.namespace } });
    }
    return platform;
  }
  type EnvironmentPropsLike = { namespace?: string; cluster?: string };

  it('fail synthesis on one cluster, naming both constructs, the object and what to do', () => {
    const platform = twoEnvironments({ namespace: 'payments' }, { namespace: 'payments' });
    let error: unknown;
    try {
      synthesizePlatform(platform);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataOpsError);
    expect((error as Error).message).toBe([
      "environments 'staging' and 'prod' both deploy 2 objects to the same cluster (neither sets one), where their GitOps applications would fight over them:",
      "    ConfigMap 'settings' in namespace 'shared': staging/team/settings and prod/team/settings",
      "    Namespace 'payments': staging/ns and prod/ns", // cluster-scoped: no namespace
      "  Give the environments namespaces of their own (and Kafka clusters of their own, for Kafka objects), or say that they run on different clusters: " +
        "new Environment(platform, 'staging', { cluster: 'staging' }) and new Environment(platform, 'prod', { cluster: 'prod' })",
    ].join('\n'));
  });

  it('list five collisions of a pair and count the rest', () => {
    const platform = new DataPlatform();
    for (const name of ['a', 'b', 'c']) {
      const env = new Environment(platform, name, { namespace: 'same' });
      for (let i = 0; i < 7; i++) configMap(env, `cm${i}`);
    }
    const message = (() => { try { synthesizePlatform(platform); return ''; } catch (e) { return (e as Error).message; } })();
    expect(message).toContain("environments 'a' and 'b' both deploy 7 objects to the same cluster");
    expect(message).toContain("environments 'a' and 'c' both deploy 7 objects");
    expect(message).toContain("    ConfigMap 'cm4' in namespace 'same': a/cm4 and b/cm4\n    ... and 2 more\n  Give the environments");
  });

  it('are fine on different clusters, and in different namespaces (cluster-scoped objects then differ by name too)', () => {
    const dir = tempDir();
    expect(() => synthesizePlatform(twoEnvironments({ cluster: 'eu-staging' }, { cluster: 'eu-prod' }), { outdir: dir })).not.toThrow();
    const byNamespace = new DataPlatform();
    for (const name of ['staging', 'prod']) configMap(new Environment(byNamespace, name, { namespace: `payments-${name}` }), 'settings');
    expect(() => synthesizePlatform(byNamespace, { outdir: path.join(dir, 'b') })).not.toThrow();
  });

  it('collide on a named shared cluster too, and the message names it', () => {
    expect(() => synthesizePlatform(twoEnvironments({ cluster: 'main' }, { cluster: 'main' }))).toThrow(/both deploy 1 object to cluster 'main', where their GitOps applications would fight over it:/);
  });

  it('refuses an empty cluster name', () => {
    expect(() => new Environment(new DataPlatform(), 'dev', { cluster: ' ' })).toThrow("dev, field 'cluster': must be a non-empty name");
  });
});
