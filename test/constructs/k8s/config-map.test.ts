import { findObject, synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { ConfigMap } from '../../../constructs/k8s';
import { contentHash } from '../../../constructs/k8s/config-map';
import { errorOf, newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

describe('ConfigMap', () => {
  it('has a stable name and a content hash that ignores key order but not content', () => {
    const env = newEnv();
    const cm = new ConfigMap(env, 'Settings', { data: { 'b.txt': '2', 'a.txt': '1' } });
    const objects = synthesize(env);
    validateAll(objects);
    expect(findObject(objects, 'ConfigMap', 'settings').data).toEqual({ 'a.txt': '1', 'b.txt': '2' });
    expect(cm.contentHash).toBe(contentHash({ 'a.txt': '1', 'b.txt': '2' }));
    expect(cm.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash({ 'a.txt': '1', 'b.txt': '3' })).not.toBe(cm.contentHash);
    // a key moving into a value must not collide
    expect(contentHash({ ab: 'c' })).not.toBe(contentHash({ a: 'bc' }));
  });

  it('refuses keys Kubernetes refuses and content that does not fit', () => {
    const env = newEnv();
    expect(errorOf(() => new ConfigMap(env, 'A', { data: { 'dags/x.py': '' } }))).toContain("dev/A, field 'data.dags/x.py'");
    expect(errorOf(() => new ConfigMap(env, 'B', { data: { big: 'x'.repeat(1024 * 1024) } })))
      .toMatch(/^dev\/B, field 'data': 1048579 bytes do not fit in one ConfigMap/);
  });
});
