/**
 * Runs the example dbt project (examples/dbt) for real with the duckdb adapter, using exactly what a DbtJob
 * emits: the generated profiles.yml (with the credential read through env_var from a "Secret"), the container's
 * command line and environment (container paths mapped to temporary folders). Proves that the rendered profile is
 * valid for dbt, that the env_var wiring works, and that dbt writes nothing into the project folder (the root
 * filesystem is read-only in the pod: target/ and logs/ must go to the emptyDirs).
 *
 * Needs dbt-core with dbt-duckdb: `pip install 'dbt-core~=1.10.0' 'dbt-duckdb~=1.10.0'` (set DBT_BIN when dbt is not
 * on the PATH). Skipped, with the reason printed, when dbt is not installed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findObject, synthesize } from 'cdk8s-dataops/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { DbtProject } from '../../../constructs/dbt';
import { Secrets } from '../../../constructs/secrets';
import { newEnv } from '../support/fixtures';

const EXAMPLE = path.resolve(__dirname, '../../../examples/dbt');
const DBT = process.env.DBT_BIN ?? 'dbt';
const version = spawnSync(DBT, ['--version'], { encoding: 'utf8' });
const duckdb = version.status === 0 && /duckdb/.test(`${version.stdout}${version.stderr}`);
// In CI (.ci/run installs dbt) a missing dbt is a failure, never a silent skip.
if (!duckdb && process.env.CI) {
  throw new Error(`dbt with the duckdb adapter is required in CI: '${DBT} --version' ${version.error ? `failed (${version.error.message})` : 'lists no duckdb adapter'}`);
}
if (!duckdb) {
  console.warn(`[skipped] dbt integration test: '${DBT} --version' ${version.error ? `failed (${version.error.message})` : 'lists no duckdb adapter'}. ` +
    "Install with: pip install 'dbt-core~=1.10.0' 'dbt-duckdb~=1.10.0' (or set DBT_BIN).");
}

describe.skipIf(!duckdb)('DbtJob running the example project with dbt-duckdb', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dbt-job-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('builds seeds, models and tests with the generated profile and command line, writing nothing into the project', () => {
    const env = newEnv('ci', 'analytics');
    const secret = Secrets.fromSecretName(env, 'DuckDb', 'analytics-duckdb', { keys: ['path'] });
    const project = new DbtProject(env, 'Analytics', {
      image: 'ghcr.io/acme/analytics-dbt:local',
      profile: { name: 'analytics', outputs: { ci: { type: 'duckdb', path: secret.envValue('path'), threads: 1 } } },
    });
    project.job('Build', { command: 'build', threads: 1 });
    const objects = synthesize(env);
    const profilesYml = findObject(objects, 'ConfigMap', 'analytics-profiles').data['profiles.yml'] as string;
    const container = findObject(objects, 'Job', 'analytics-build').spec.template.spec.containers[0];

    // The pod's filesystem, mapped to local folders.
    const projectDir = path.join(tmp, 'project');
    fs.cpSync(EXAMPLE, projectDir, { recursive: true });
    const dirs: Record<string, string> = {
      '/dbt/profiles': path.join(tmp, 'profiles'), '/dbt/target': path.join(tmp, 'target'),
      '/dbt/logs': path.join(tmp, 'logs'), '/tmp': path.join(tmp, 'home'), [project.projectDir]: projectDir,
    };
    for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(dirs['/dbt/profiles'], 'profiles.yml'), profilesYml);
    const mapPath = (v: string) => dirs[v] ?? v;
    const podEnv: Record<string, string> = {};
    for (const e of container.env as { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[]) {
      if (e.value !== undefined) podEnv[e.name] = mapPath(e.value);
      // what the kubelet would read from Secret 'analytics-duckdb', key 'path'
      else if (e.valueFrom?.secretKeyRef.name === 'analytics-duckdb' && e.valueFrom.secretKeyRef.key === 'path') podEnv[e.name] = path.join(tmp, 'analytics.duckdb');
    }
    expect(Object.keys(podEnv)).toContain('DBT_ENV_SECRET_PATH');
    const before = listTree(projectDir);

    const [cmd, ...args] = (container.command as string[]).map(mapPath);
    expect(cmd).toBe('dbt');
    const run = spawnSync(DBT, args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...podEnv }, timeout: 180_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);

    const results = JSON.parse(fs.readFileSync(path.join(dirs['/dbt/target'], 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    const byId = Object.fromEntries(results.results.map((r) => [r.unique_id, r.status]));
    expect(byId['seed.analytics.raw_orders']).toBe('success');
    expect(byId['model.analytics.stg_orders']).toBe('success');
    expect(byId['model.analytics.orders_daily']).toBe('success');
    expect(Object.entries(byId).filter(([id]) => id.startsWith('test.')).map(([, s]) => s)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(fs.existsSync(path.join(tmp, 'analytics.duckdb'))).toBe(true);
    expect(fs.readdirSync(dirs['/dbt/logs'])).toContain('dbt.log');
    // dbt wrote only to the emptyDir stand-ins: the project folder (read-only in the pod) is unchanged
    expect(listTree(projectDir)).toEqual(before);
  });
});

function listTree(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((e) => {
    const r = path.join(rel, e.name);
    return e.isDirectory() ? [`${r}/`, ...listTree(dir, r)] : [r];
  });
}
