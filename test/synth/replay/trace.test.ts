import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Trace } from '../../../synth/replay/trace';

// The modules' shared objects (what the app and Node's loader call through), not `import * as` copies.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sharedFs = require('node:fs') as typeof fs;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sharedChildProcess = require('node:child_process') as typeof childProcess;

const dirs: string[] = [];
let running: Trace | undefined;
afterEach(() => {
  running?.stop();
  running = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'trace-test-')));
  dirs.push(dir);
  return dir;
}

function start(): Trace {
  running = Trace.start();
  return running;
}

function stop(trace: Trace) {
  running = undefined;
  return trace.stop();
}

/** A module outside this package (like an app's file), loaded for real, that runs `body` when called. */
function foreignModule(body: string): () => unknown {
  const file = path.join(tempDir(), 'foreign.js');
  fs.writeFileSync(file, `module.exports = () => { ${body} };\n`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as () => unknown;
}

describe('Trace', () => {
  it('records every path looked at through fs, resolved and absolute, and where realpathSync led', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.json'), '{}');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.symlinkSync(path.join(dir, 'a.json'), path.join(dir, 'link.json'));
    const trace = start();
    sharedFs.readFileSync(path.join(dir, 'a.json'), 'utf8');
    sharedFs.existsSync(path.join(dir, 'missing.txt'));
    sharedFs.statSync(path.join(dir, 'sub'));
    sharedFs.readdirSync(path.join(dir, 'sub', '..', 'sub'));
    const real = sharedFs.realpathSync(path.join(dir, 'link.json'));
    const run = stop(trace);
    expect([...run.paths]).toEqual(expect.arrayContaining([
      path.join(dir, 'a.json'), path.join(dir, 'missing.txt'), path.join(dir, 'sub'),
    ]));
    expect(real).toBe(path.join(dir, 'a.json'));
    expect(run.realpaths.get(path.join(dir, 'link.json'))).toBe(path.join(dir, 'a.json'));
    expect(run.untraceable).toBeUndefined();
  });

  it('does not record paths below the folders it ignores or within the cache folders, and records what is written elsewhere', () => {
    const dir = tempDir();
    const dist = path.join(dir, 'dist');
    fs.mkdirSync(dist);
    const cache = path.join(dir, 'sub', 'node_modules', '.cache', 'cdk8s-dataops');
    fs.mkdirSync(cache, { recursive: true });
    const trace = start();
    trace.ignoreBelow(dist);
    trace.ignoreWithin(path.join('node_modules', '.cache', 'cdk8s-dataops'));
    sharedFs.writeFileSync(path.join(dist, 'x.yaml'), 'a: 1\n');
    sharedFs.readFileSync(path.join(dist, 'x.yaml'));
    sharedFs.writeFileSync(path.join(cache, 'states.json'), '{}');
    sharedFs.readFileSync(path.join(cache, 'states.json'));
    sharedFs.existsSync(cache);
    sharedFs.writeFileSync(path.join(dir, 'side-effect.txt'), 'x');
    sharedFs.renameSync(path.join(dir, 'side-effect.txt'), path.join(dir, 'moved.txt'));
    sharedFs.readFileSync(`${dist}/../moved.txt`); // not below dist, however it is spelled
    const run = stop(trace);
    expect([...run.paths]).toEqual([path.join(dir, 'moved.txt')]);
    expect([...run.written].sort()).toEqual([path.join(dir, 'moved.txt'), path.join(dir, 'side-effect.txt')]);
  });

  it('records each environment variable touched with its value before the run touched it, and a listing of all', () => {
    process.env.TRACE_TEST_A = 'one';
    delete process.env.TRACE_TEST_B;
    try {
      const trace = start();
      expect(process.env.TRACE_TEST_A).toBe('one');
      process.env.TRACE_TEST_B = 'set by the app';
      expect(process.env.TRACE_TEST_B).toBe('set by the app');
      expect('TRACE_TEST_C' in process.env).toBe(false);
      let run = stop(trace);
      expect(run.env.get('TRACE_TEST_A')).toBe('one');
      expect(run.env.has('TRACE_TEST_B')).toBe(true);
      expect(run.env.get('TRACE_TEST_B')).toBeUndefined(); // unset before the run set it
      expect(run.env.has('TRACE_TEST_C')).toBe(true);
      expect(run.wholeEnv).toBe(false);

      const again = start();
      expect(Object.keys(process.env)).toContain('TRACE_TEST_A');
      run = stop(again);
      expect(run.wholeEnv).toBe(true);
    } finally {
      delete process.env.TRACE_TEST_A;
      delete process.env.TRACE_TEST_B;
    }
  });

  it('marks a run that starts a child process as untraceable', () => {
    const trace = start();
    sharedChildProcess.execFileSync(process.execPath, ['-e', '']);
    expect(stop(trace).untraceable).toBe('it ran a child process (child_process.execFileSync)');
  });

  it("marks a run whose app reads the clock as untraceable, naming the file; this package's own reads are not", () => {
    const now = foreignModule('return Date.now();');
    const newDate = foreignModule('return new Date().toISOString();');
    const dated = foreignModule('return new Date(0).toISOString();');
    let trace = start();
    expect(dated()).toBe('1970-01-01T00:00:00.000Z');
    expect(new Date(5) instanceof Date).toBe(true);
    Date.now(); // this test file is not the app, but not this package's code either: see below
    let run = stop(trace);
    expect(run.untraceable).toMatch(/^Date\.now\(\) was called \(.*trace\.test\.ts\)$/);

    trace = start();
    expect(typeof now()).toBe('number');
    run = stop(trace);
    expect(run.untraceable).toMatch(/^Date\.now\(\) was called \(.*foreign\.js\)$/);

    trace = start();
    expect(typeof newDate()).toBe('string');
    run = stop(trace);
    expect(run.untraceable).toMatch(/^new Date\(\) was called \(.*foreign\.js\)$/);

    trace = start();
    expect(dated()).toBe('1970-01-01T00:00:00.000Z'); // a date from a value is no clock read
    run = stop(trace);
    expect(run.untraceable).toBeUndefined();
  });

  it('puts everything back when stopped', () => {
    const before = {
      readFileSync: sharedFs.readFileSync, realpathSync: sharedFs.realpathSync, native: sharedFs.realpathSync.native,
      spawnSync: sharedChildProcess.spawnSync, env: process.env, Date: globalThis.Date, now: Date.now,
    };
    const trace = start();
    expect(sharedFs.readFileSync).not.toBe(before.readFileSync);
    expect(process.env).not.toBe(before.env);
    expect(globalThis.Date).not.toBe(before.Date);
    stop(trace);
    expect({
      readFileSync: sharedFs.readFileSync, realpathSync: sharedFs.realpathSync, native: sharedFs.realpathSync.native,
      spawnSync: sharedChildProcess.spawnSync, env: process.env, Date: globalThis.Date, now: Date.now,
    }).toEqual(before);
  });
});
