import { spawn } from 'node:child_process';
import { DataOpsError } from '../../errors';
import { KubeEndpoint } from './kube-api';

/** Which cluster: a kubeconfig file and a context in it. */
export interface ClusterSelection {
  /** The kubeconfig file. @default - kubectl's default ($KUBECONFIG, else ~/.kube/config) */
  readonly kubeconfig?: string;
  /** The context. @default - the kubeconfig's current context */
  readonly context?: string;
  /** The kubectl executable. @default process.env.KUBECTL ?? 'kubectl' */
  readonly kubectl?: string;
}

/** A running `kubectl proxy`. */
export interface KubectlProxy {
  /** `http://127.0.0.1:<port>`: requests are sent to the cluster with the kubeconfig's credentials. */
  readonly endpoint: KubeEndpoint;
  stop(): void;
}

/**
 * Starts `kubectl proxy` on a free 127.0.0.1 port for a kubeconfig context, so every way kubectl authenticates
 * (tokens, client certificates, exec plugins of cloud providers, OIDC) works without reimplementing it. The proxy
 * is stopped by {@link KubectlProxy.stop} and dies with this process.
 *
 * @throws DataOpsError when kubectl cannot be run or refuses the kubeconfig/context (the message is kubectl's)
 */
export function startKubectlProxy(selection: ClusterSelection = {}): Promise<KubectlProxy> {
  const kubectl = selection.kubectl ?? process.env.KUBECTL ?? 'kubectl';
  const args = ['proxy', '--address=127.0.0.1', '--port=0', '--keepalive=30s'];
  if (selection.kubeconfig) args.push(`--kubeconfig=${selection.kubeconfig}`);
  if (selection.context) args.push(`--context=${selection.context}`);
  return new Promise((resolve, reject) => {
    const child = spawn(kubectl, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const stop = () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    };
    process.once('exit', stop);
    const timer = setTimeout(() => {
      stop();
      reject(new DataOpsError(`kubectl proxy did not start within 30 s: ${err.trim() || out.trim() || 'no output'}`));
    }, 30_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      const port = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ endpoint: { baseUrl: `http://127.0.0.1:${port}` }, stop });
      }
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new DataOpsError(`cannot run '${kubectl}' (${e.code ?? e.message}): install kubectl, or set KUBECTL to its path`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      process.removeListener('exit', stop);
      reject(new DataOpsError(`kubectl cannot use the cluster${selection.context ? ` of context ${selection.context}` : ''}` +
        `${selection.kubeconfig ? ` in ${selection.kubeconfig}` : ''}: ${err.trim().replace(/^error: /, '') || `exit code ${code}`}`));
    });
  });
}
