import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TranspileCache } from '../../synth/transpile-cache';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'transpile-cache-'));
  dirs.push(d);
  return d;
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('TranspileCache', () => {
  it('keeps outputs in node_modules/.cache/cdk8s-dataops/ts of the nearest folder with a node_modules', () => {
    const project = tmp();
    fs.mkdirSync(path.join(project, 'node_modules'));
    fs.mkdirSync(path.join(project, 'apps', 'one'), { recursive: true });
    const file = path.join(project, 'apps', 'one', 'main.ts');
    const cache = TranspileCache.near(path.dirname(file), 'loader@1');
    expect(cache.get(file, 'const a = 1;', '{}')).toBeUndefined();
    cache.set(file, 'const a = 1;', '{}', 'var a = 1;');
    expect(fs.readdirSync(path.join(project, 'node_modules', '.cache', 'cdk8s-dataops', 'ts'))).toHaveLength(1);
    // a new process (a new instance) finds it
    expect(TranspileCache.near(path.dirname(file), 'loader@1').get(file, 'const a = 1;', '{}')).toBe('var a = 1;');
  });

  it('never answers for other content, options, file or loader', () => {
    const project = tmp();
    fs.mkdirSync(path.join(project, 'node_modules'));
    const file = path.join(project, 'main.ts');
    TranspileCache.near(project, 'loader@1').set(file, 'const a = 1;', '{}', 'var a = 1;');
    const cache = TranspileCache.near(project, 'loader@1');
    expect(cache.get(file, 'const a = 2;', '{}')).toBeUndefined();
    expect(cache.get(file, 'const a = 1;', '{"experimentalDecorators":true}')).toBeUndefined();
    expect(cache.get(path.join(project, 'other.ts'), 'const a = 1;', '{}')).toBeUndefined();
    expect(TranspileCache.near(project, 'loader@2').get(file, 'const a = 1;', '{}')).toBeUndefined();
  });

  it('keeps small JSON documents beside the entries', () => {
    const project = tmp();
    fs.mkdirSync(path.join(project, 'node_modules'));
    const cache = TranspileCache.near(project, 'loader@1');
    expect(cache.readJson('tsconfig-x')).toBeUndefined();
    cache.writeJson('tsconfig-x', { options: { experimentalDecorators: true } });
    expect(TranspileCache.near(project, 'loader@1').readJson('tsconfig-x')).toEqual({ options: { experimentalDecorators: true } });
  });

  it('keeps nothing without a node_modules above the app, and a read-only cache folder costs nothing but the cache', () => {
    const bare = tmp();
    const file = path.join(bare, 'main.ts');
    const none = TranspileCache.near(bare, 'loader@1');
    none.set(file, 'x', '{}', 'y');
    expect(none.get(file, 'x', '{}')).toBeUndefined();
    expect(fs.readdirSync(bare)).toEqual([]);

    const project = tmp();
    fs.mkdirSync(path.join(project, 'node_modules', '.cache', 'cdk8s-dataops'), { recursive: true });
    fs.writeFileSync(path.join(project, 'node_modules', '.cache', 'cdk8s-dataops', 'ts'), 'a file where the folder would be');
    const blocked = TranspileCache.near(project, 'loader@1');
    expect(() => blocked.set(path.join(project, 'main.ts'), 'x', '{}', 'y')).not.toThrow();
    expect(blocked.get(path.join(project, 'main.ts'), 'x', '{}')).toBeUndefined();
  });
});
