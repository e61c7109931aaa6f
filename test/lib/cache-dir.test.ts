import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDirNear } from '../../lib/cache-dir';

describe('cacheDirNear', () => {
  it('is node_modules/.cache/cdk8s-dataops of the nearest folder at or above with a node_modules, or none', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-dir-'));
    try {
      const deep = path.join(root, 'a', 'b');
      fs.mkdirSync(deep, { recursive: true });
      expect(cacheDirNear(deep)).toBeUndefined(); // nothing above the temp folder has a node_modules
      fs.mkdirSync(path.join(root, 'node_modules'));
      expect(cacheDirNear(deep)).toBe(path.join(root, 'node_modules', '.cache', 'cdk8s-dataops'));
      fs.mkdirSync(path.join(deep, 'node_modules'));
      expect(cacheDirNear(deep)).toBe(path.join(deep, 'node_modules', '.cache', 'cdk8s-dataops'));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
