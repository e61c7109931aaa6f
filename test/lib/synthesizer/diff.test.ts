import { describe, expect, it } from 'vitest';
import { changeDetector, KubeObject, RuleLevel } from 'cdk8s-dataops';
import { deepEqual, diffObjects, diffValues } from '../../../lib/synthesizer/diff';

function cm(name: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'payments' }, data, ...extra };
}
const file = (name: string) => `manifests/prod/payments/configmap.${name}.yaml`;

describe('diffObjects', () => {
  it('lists added, removed and changed objects (unchanged ones not at all), deletions first as destructive', () => {
    const before = new Map([[file('a'), cm('a', { x: 1 })], [file('b'), cm('b', { x: 1 })], [file('c'), cm('c', { x: 1 })]]);
    const after = new Map([[file('a'), cm('a', { x: 2 })], [file('c'), cm('c', { x: 1 })], [file('d'), cm('d', { x: 1 })]]);
    const changes = diffObjects(before, after);
    expect(changes.map((c) => [c.type, c.name, c.destructive])).toEqual([
      ['removed', 'b', ["ConfigMap 'b' is deleted from the cluster when the GitOps tool prunes"]],
      ['changed', 'a', []],
      ['added', 'd', []],
    ]);
    expect(changes[1]).toMatchObject({ file: file('a'), kind: 'ConfigMap', namespace: 'payments', fields: [{ path: 'data.x', before: 1, after: 2 }] });
    expect(changes[0].before).toEqual(cm('b', { x: 1 }));
    expect(changes[2].after).toEqual(cm('d', { x: 1 }));
  });

  it('orders each group by file', () => {
    const before = new Map([[file('z'), cm('z', {})], [file('y'), cm('y', {})]]);
    const after = new Map([[file('b'), cm('b', {})], [file('a'), cm('a', {})]]);
    expect(diffObjects(before, after).map((c) => c.name)).toEqual(['y', 'z', 'a', 'b']);
  });

  it('asks the detectors it is given (for their kinds only) what is destructive, as findings with their ids', () => {
    const seen: string[] = [];
    const detector = changeDetector({
      id: 'TEST-CUT-001', level: RuleLevel.WARNING, description: 'cut', rationale: 'r', remediation: 'f', kinds: ['ConfigMap'],
      detect: (c) => {
        seen.push(`${c.type} ${c.kind}/${c.name}`);
        const b = Number((c.before as any)?.data?.retention);
        const a = Number((c.after as any)?.data?.retention);
        return c.type === 'changed' && a < b ? [`retention cut from ${b} to ${a}`] : [];
      },
    });
    {
      const before = new Map<string, KubeObject>([
        [file('a'), cm('a', { retention: 10 })], [file('b'), cm('b', { retention: 10 })],
        ['manifests/prod/_cluster/namespace.n.yaml', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' }, spec: { x: 1 } }],
      ]);
      const after = new Map<string, KubeObject>([
        [file('a'), cm('a', { retention: 20 })], [file('b'), cm('b', { retention: 5 })],
        ['manifests/prod/_cluster/namespace.n.yaml', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' }, spec: { x: 2 } }],
      ]);
      const changes = diffObjects(before, after, [detector], (f) => (f === file('b') ? 'prod/b' : undefined));
      expect(changes.map((c) => [c.name, c.destructive])).toEqual([['b', ['retention cut from 10 to 5']], ['n', []], ['a', []]]);
      expect(changes[0].findings).toEqual([{
        ruleId: 'TEST-CUT-001', level: 'warning', pack: 'diff', message: 'retention cut from 10 to 5', constructPath: 'prod/b', environment: 'prod',
        object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'payments', name: 'b', file: file('b') },
      }]);
      expect(seen).toEqual(['changed ConfigMap/a', 'changed ConfigMap/b']);
      expect(diffObjects(before, after, []).every((c) => c.destructive.length === 0)).toBe(true);
    }
  });
});

describe('diffValues', () => {
  it('names changed fields with readable paths, quoting keys that are not identifiers', () => {
    const before = { spec: { partitions: 3, config: { 'retention.ms': '604800000', 'cleanup.policy': 'delete' } } };
    const after = { spec: { partitions: 6, config: { 'retention.ms': '86400000', 'cleanup.policy': 'delete' }, replicas: 3 } };
    expect(diffValues(before, after)).toEqual([
      { path: 'spec.config["retention.ms"]', before: '604800000', after: '86400000' },
      { path: 'spec.partitions', before: 3, after: 6 },
      { path: 'spec.replicas', before: undefined, after: 3 },
    ]);
  });

  it('matches list items by name, and by position otherwise', () => {
    const before = { containers: [{ name: 'app', image: 'a:1' }, { name: 'sidecar', image: 's:1' }], args: ['a', 'b'] };
    const after = { containers: [{ name: 'sidecar', image: 's:1' }, { name: 'app', image: 'a:2' }, { name: 'new', image: 'n:1' }], args: ['a', 'c'] };
    expect(diffValues(before, after)).toEqual([
      { path: 'args[1]', before: 'b', after: 'c' },
      { path: 'containers[name=app].image', before: 'a:1', after: 'a:2' },
      { path: 'containers[name=new]', before: undefined, after: { name: 'new', image: 'n:1' } },
    ]);
  });

  it('reports a list that changes length (and has no names) as a whole, and a root change as "."', () => {
    expect(diffValues({ a: [1, 2] }, { a: [1, 2, 3] })).toEqual([{ path: 'a', before: [1, 2], after: [1, 2, 3] }]);
    expect(diffValues(1, 'one')).toEqual([{ path: '.', before: 1, after: 'one' }]);
    expect(diffValues({ a: [{ x: 1 }] }, { a: [{ x: 1 }] })).toEqual([]);
  });
});

describe('deepEqual', () => {
  it('compares JSON values structurally, ignoring key order', () => {
    expect(deepEqual({ a: [1, { b: 'c' }], d: null }, { d: null, a: [1, { b: 'c' }] })).toBe(true);
    expect(deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(deepEqual([], {})).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
  });
});
