/** The Kubernetes harness itself: a real server kubectl talks to, and no process or folder left behind. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureControlPlaneBinaries, K8S_VERSIONS } from './binaries';
import { startControlPlane } from './control-plane';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Kubernetes control plane harness', { timeout: 600_000 }, () => {
  it('serves the API to kubectl with the version it was built as, with the CRDs installed; stop() leaves nothing behind', async () => {
    ensureControlPlaneBinaries();
    const cp = await startControlPlane();
    try {
      const version = spawnSync('kubectl', ['--kubeconfig', cp.kubeconfig, 'version', '-o', 'json'], { encoding: 'utf8' });
      expect(version.status).toBe(0);
      expect(JSON.parse(version.stdout).serverVersion.gitVersion).toBe(`v${K8S_VERSIONS.kubernetes}`);
      const crds = spawnSync('kubectl', ['--kubeconfig', cp.kubeconfig, 'get', 'crd', '-o', 'name'], { encoding: 'utf8' });
      expect(crds.stdout).toContain('customresourcedefinition.apiextensions.k8s.io/kafkatopics.kafka.strimzi.io');
      expect(cp.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(cp.pids.every(alive)).toBe(true);
    } finally {
      await cp.stop();
    }
    expect(cp.pids.some(alive)).toBe(false);
    expect(existsSync(cp.dir)).toBe(false);
  });

  it('dies with the process that started it, even when that process is killed', async () => {
    ensureControlPlaneBinaries();
    const script = `
      require('ts-node').register({ transpileOnly: true, swc: true, compilerOptions: { module: 'commonjs', resolveJsonModule: true, esModuleInterop: true } });
      require(${JSON.stringify(path.join(__dirname, 'control-plane.ts'))}).startControlPlane({ crdDirs: [] })
        .then((cp) => process.stdout.write(JSON.stringify(cp.pids) + '\\n'));
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pids = await new Promise<number[]>((resolve) => child.stdout.once('data', (b: Buffer) => resolve(JSON.parse(b.toString()))));
    expect(pids.every(alive)).toBe(true);
    child.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter(alive)).toEqual([]);
  });
});
