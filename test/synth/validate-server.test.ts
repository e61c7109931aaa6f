/**
 * `synth validate --server` against a REAL kube-apiserver (test/support/k8s), through the kubeconfig the harness
 * writes, as a user runs it against their own cluster: a server-side dry run of every object, read-only.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readDistFiles } from '../../lib/schema/dist-files';
import { ControlPlane, startControlPlane } from '../support/k8s/control-plane';
import { createReferencedNamespaces, kindsOf } from '../support/k8s/namespaces';

const repoRoot = path.resolve(__dirname, '../..');
const bin = path.join(repoRoot, 'bin', 'synth.js');
const example = path.join(repoRoot, 'examples', 'data-platform');
const app = path.join(example, 'main.ts');

/** Runs the real `synth` command (asynchronously: the harness's servers run in this process's event loop). */
function synth(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b));
    child.stderr.on('data', (b: Buffer) => (stderr += b));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let plane: ControlPlane;
let broken: string;
const TOPIC = 'manifests/dev/kafka/kafkatopic.payments.orders.v1.yaml';
beforeAll(async () => {
  const dev = readDistFiles(path.join(example, 'dist'), 'manifests/dev');
  plane = await startControlPlane({ onlyKinds: kindsOf(dev) });
  await createReferencedNamespaces(plane.api, dev);
  // A copy of the example's dist with one object the server must reject.
  broken = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-server-'));
  fs.cpSync(path.join(example, 'dist'), broken, { recursive: true });
  const topic = parse(fs.readFileSync(path.join(broken, TOPIC), 'utf8'));
  topic.spec.partitionz = topic.spec.partitions;
  fs.writeFileSync(path.join(broken, TOPIC), stringify(topic));
}, 3_600_000); // the first run on a machine builds the control plane: about 15 minutes
afterAll(async () => {
  await plane?.stop();
  if (broken) fs.rmSync(broken, { recursive: true, force: true });
});

describe('synth validate --server', { timeout: 300_000 }, () => {
  it("exits 0 when the cluster accepts every object of the app's output, and stores nothing", async () => {
    const { code, stdout, stderr } = await synth(['validate', '--app', app, '--env', 'dev', '--no-kustomize', '--server', '--kubeconfig', plane.kubeconfig]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/✔ .*examples\/data-platform\/dist: \d+ accepted by a server-side dry run, \d+ objects of dev on the current context's cluster \(v1\.34\.4\)/);
    const [accepted, total] = /(\d+) accepted by a server-side dry run, (\d+) objects/.exec(stdout)!.slice(1).map(Number);
    expect(accepted).toBe(total);
    expect(total).toBe(readDistFiles(path.join(example, 'dist'), 'manifests/dev').length);
    const topic = parse(fs.readFileSync(path.join(example, 'dist', TOPIC), 'utf8'));
    expect(await plane.api.get(topic)).toBeUndefined(); // a dry run
  });

  it('exits 1 and names the file and the construct of an object the server rejects', async () => {
    const { code, stderr } = await synth(['validate', '--out', broken, '--app', app, '--env', 'dev', '--no-kustomize', '--server', '--kubeconfig', plane.kubeconfig, '--context', 'harness']);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`error ${broken}/${TOPIC} \\(dev/[^)]+\\): rejected by the API server: .*\\.spec\\.partitionz: field not declared in schema`));
    expect(stderr).toMatch(/1 rejected of \d+ objects of dev on the context harness's cluster/);
  });

  it('exits 2 with what to check when the cluster cannot be reached', async () => {
    const kubeconfig = path.join(broken, 'unreachable.kubeconfig');
    fs.writeFileSync(kubeconfig, fs.readFileSync(plane.kubeconfig, 'utf8').replace(plane.server, 'https://127.0.0.1:1'));
    const { code, stderr } = await synth(['validate', '--out', broken, '--no-kustomize', '--server', '--kubeconfig', kubeconfig]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot reach the Kubernetes API.*check the kubeconfig context \(--kubeconfig, --context\)/);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 for a context the kubeconfig does not have, and for --kubeconfig without --server', async () => {
    const missing = await synth(['validate', '--out', broken, '--no-kustomize', '--server', '--kubeconfig', plane.kubeconfig, '--context', 'prod']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/context "?prod"? (does not exist|not found)/);
    const noServer = await synth(['validate', '--out', broken, '--no-kustomize', '--kubeconfig', plane.kubeconfig]);
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toContain('--kubeconfig and --context select the cluster of --server; add --server');
  });
});
