import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { compactScopes } from '../../../lib/synthesizer/compact-tree';

describe('compactScopes', () => {
  it('replaces each node\'s ancestor list with an equal copy, and the tree reads the same', () => {
    const root = new Construct(undefined as unknown as Construct, '');
    const a = new Construct(root, 'a');
    const b = new Construct(a, 'b');
    const c = new Construct(b, 'c');
    const all = root.node.findAll();
    const before = all.map((x) => ({ scopes: x.node.scopes, path: x.node.path, list: (x.node as unknown as { _scopes: unknown[] })._scopes }));
    root.node.findAll().forEach(compactScopes);
    all.forEach((x, i) => {
      const list = (x.node as unknown as { _scopes: unknown[] })._scopes;
      expect(list).not.toBe(before[i].list);
      expect(list).toEqual(before[i].list);
      expect(x.node.scopes).toEqual(before[i].scopes);
      expect(x.node.path).toBe(before[i].path);
    });
    // what uses the list still works: scopes, root, addresses, lookups, children added afterwards
    expect(c.node.scopes).toEqual([root, a, b, c]);
    expect(c.node.root).toBe(root);
    expect(c.node.addr).toMatch(/^c8[0-9a-f]{40}$/);
    expect(root.node.findChild('a')).toBe(a);
    const d = new Construct(c, 'd');
    expect(d.node.scopes).toEqual([root, a, b, c, d]);
    expect(d.node.path).toBe('a/b/c/d');
  });

  it('leaves alone a node whose list is not what it was written against, and compacts the others', () => {
    const root = new Construct(undefined as unknown as Construct, '');
    const a = new Construct(root, 'a');
    const b = new Construct(root, 'b');
    const frozen = (a.node as unknown as { _scopes: unknown[] })._scopes;
    Object.defineProperty(a.node, '_scopes', { value: frozen, writable: false });
    const other = (b.node as unknown as { _scopes: unknown[] })._scopes;
    root.node.findAll().forEach(compactScopes);
    expect((a.node as unknown as { _scopes: unknown[] })._scopes).toBe(frozen);
    expect((b.node as unknown as { _scopes: unknown[] })._scopes).not.toBe(other);
    expect(b.node.scopes).toEqual([root, b]);
  });
});
