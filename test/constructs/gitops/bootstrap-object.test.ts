import * as path from 'node:path';
import { Construct } from 'constructs';
import { DataPlatform, Environment, synthesizePlatform } from 'cdk8s-dataops';
import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_DIR, BOOTSTRAP_LABELS, BootstrapObject, compact, goDuration } from '../../../constructs/gitops/bootstrap-object';
import { ArtifactContext } from '../../../lib/synthesizer/artifacts';
import { KubeObject } from '../../../lib/synthesizer/manifest';
import { fileObject, tmpdir } from './support';

/** A bootstrap object that lists the environments of its platform when it is rendered, and can be switched off. */
class Inventory extends BootstrapObject {
  public written = true;
  constructor(scope: Construct, id: string) {
    super(scope, id, `${BOOTSTRAP_DIR}/inventory/configmap.${id}.yaml`);
  }

  public toManifest(context: ArtifactContext): KubeObject {
    const platform = this.node.root as DataPlatform;
    return {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: this.node.id, labels: { ...BOOTSTRAP_LABELS } },
      data: Object.fromEntries(platform.environments.map((e) => [e.name, String(context.objectsOf(e).length)])),
    };
  }

  protected isWritten(): boolean {
    return this.written;
  }
}

describe('BootstrapObject', () => {
  it('is written to its own file outside the manifests, rendered when the platform is synthesized', () => {
    const platform = new DataPlatform();
    const inventory = new Inventory(platform, 'inventory');
    // Defined after the bootstrap object: it still sees them, with their objects.
    const prod = new Environment(platform, 'prod');
    new Construct(prod, 'empty');
    new Environment(platform, 'dev');
    const s = synthesizePlatform(platform, { outdir: path.join(tmpdir(), 'dist') });
    expect(inventory.file).toBe('bootstrap/inventory/configmap.inventory.yaml');
    expect(fileObject(s, inventory.file)).toEqual({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inventory', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-dataops' } }, data: { prod: '0', dev: '0' },
    });
    expect(s.objects).toEqual([]); // not an object of an environment
  });

  it('writes no file when the subclass says so (and the file is then removed as no longer produced)', () => {
    const platform = new DataPlatform();
    new Environment(platform, 'prod');
    const inventory = new Inventory(platform, 'inventory');
    inventory.written = false;
    expect(synthesizePlatform(platform, { outdir: path.join(tmpdir(), 'dist') }).files.has(inventory.file)).toBe(false);
  });
});

describe('compact', () => {
  it('drops keys whose value is undefined, and only those', () => {
    expect(compact({ a: 1, b: undefined, c: null, d: '', e: 0 })).toEqual({ a: 1, c: null, d: '', e: 0 });
    expect(Object.keys(compact({ a: undefined }))).toEqual([]);
  });
});

describe('goDuration', () => {
  it('writes milliseconds as a Go duration', () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(90_000)).toBe('1m30s');
    expect(goDuration(7 * 86_400_000)).toBe('168h');
    expect(goDuration(1500)).toBe('1s500ms');
  });
});
