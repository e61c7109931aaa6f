import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The file names kustomize recognizes as a kustomization (kustomize `konfig.RecognizedKustomizationFileNames`). */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Whether `dir` holds a kustomization file. */
export function hasKustomization(dir: string): boolean {
  return KUSTOMIZATION_FILES.some((name) => {
    try {
      return fs.statSync(path.join(dir, name)).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * Writes the kustomization.yaml that Flux' kustomize-controller generates for a path that has none
 * (fluxcd/pkg `kustomize.Generator`, used by kustomize-controller): when `dir` already holds a kustomization file
 * nothing is written; otherwise the folder is walked recursively in lexical order, a sub-folder that holds a
 * kustomization file is listed as one resource (and not descended into), and every `.yaml`/`.yml` file is listed as
 * a resource (`.json` files are not), as `./relative/path`. The result is `apiVersion:
 * kustomize.config.k8s.io/v1beta1`, `kind: Kustomization`, `resources: [...]`.
 *
 * `synth validate` uses it because users have kubectl, not Flux's Go code; test/consumers/flux.test.ts checks that it
 * writes what Flux's own generator (fluxcd/pkg/kustomize, run by a Go program) writes, for every example environment.
 *
 * Only call this on a copy: it writes into `dir`.
 *
 * @returns 'created' when a kustomization.yaml was written, 'unchanged' when one existed
 */
export function generateKustomization(dir: string): 'created' | 'unchanged' {
  if (hasKustomization(dir)) return 'unchanged';
  const resources: string[] = [];
  const walk = (d: string) => {
    // Go's filepath.Walk visits entries in lexical (byte) order.
    const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (hasKustomization(full)) resources.push(full);
        else walk(full);
      } else {
        const ext = path.extname(entry.name);
        if (ext === '.yaml' || ext === '.yml') resources.push(full);
      }
    }
  };
  walk(dir);
  const lines = ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization'];
  if (resources.length > 0) {
    lines.push('resources:');
    for (const r of resources) lines.push(`- ${JSON.stringify(`./${path.relative(dir, r).split(path.sep).join('/')}`)}`);
  }
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), lines.join('\n') + '\n');
  return 'created';
}

/** What `kubectl kustomize` made of a folder. */
export interface KustomizeBuildResult {
  /** Whether the build succeeded. */
  readonly ok: boolean;
  /** Number of objects in the build output (when it succeeded). */
  readonly objects: number;
  /** kubectl's error, without log prefixes (when it failed). */
  readonly error?: string;
  /** The resource the error is about, relative to the built folder (e.g. `payments/configmap.a.yaml`), if named. */
  readonly file?: string;
  /** The built YAML stream. */
  readonly output: string;
}

/** Options of {@link kustomizeBuild}. */
export interface KustomizeBuildOptions {
  /** The kubectl executable. @default process.env.KUBECTL ?? 'kubectl' */
  readonly kubectl?: string;
  /** Give up after this long. @default 600000 (10 minutes) */
  readonly timeoutMs?: number;
}

/** Thrown when kubectl cannot be run at all. */
export class KubectlNotFoundError extends Error {
  constructor(kubectl: string, cause: string) {
    super(`cannot run '${kubectl}' (${cause}); install kubectl 1.32 or later (it embeds kustomize 5.5, as Flux' kustomize-controller does) or skip this check`);
    this.name = 'KubectlNotFoundError';
  }
}

/**
 * Runs `kubectl kustomize <dir>` the way kustomize-controller builds (no load restrictions inside the source, no
 * plugins) and reports whether it succeeded and how many objects it produced.
 *
 * Kustomize's time grows with the square of the number of resources (about 1 s for 1 000, 6 s for 2 000 and a minute
 * for 5 000 on a laptop core): kustomize-controller pays the same on every reconciliation of such a path.
 */
export function kustomizeBuild(dir: string, options: KustomizeBuildOptions = {}): Promise<KustomizeBuildResult> {
  const kubectl = options.kubectl ?? process.env.KUBECTL ?? 'kubectl';
  return new Promise((resolve, reject) => {
    const child = spawn(kubectl, ['kustomize', dir, '--load-restrictor=LoadRestrictionsNone'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT' || e.code === 'EACCES') reject(new KubectlNotFoundError(kubectl, e.code));
      else resolve({ ok: false, objects: 0, error: e.message, output: '' });
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      if (status === 0) {
        resolve({ ok: true, objects: countDocuments(stdout), output: stdout });
        return;
      }
      const stderr = Buffer.concat(err).toString('utf8');
      const error = signal ? `kubectl was stopped (${signal}) after ${options.timeoutMs ?? 600_000} ms` : cleanKubectlError(stderr || stdout || `exit code ${status}`);
      const file = /(?:from|File:) '?\.\/([^'\s]+)'?/.exec(error)?.[1];
      resolve({ ok: false, objects: 0, error, ...(file ? { file } : {}), output: stdout });
    });
  });
}

/** `E1121 05:49:58 run.go:72] "command failed" err="accumulating resources: ..."` → `accumulating resources: ...`. */
export function cleanKubectlError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const messages = lines.map((line) => {
    const m = /err="(.*)"\s*$/.exec(line);
    const text = m ? m[1].replace(/\\"/g, '"').replace(/\\\\/g, '\\') : line.replace(/^Error:\s*/, '');
    // kustomize adds the attempt to read the resource as a folder to every file error: noise here
    return text.replace(/: must build at directory: '[^']*': file is not directory$/, '');
  });
  return messages.join('; ');
}

/** Objects in a YAML stream as kustomize prints it (documents separated by `---`). */
function countDocuments(stream: string): number {
  if (!stream.trim()) return 0;
  return stream.split(/^---\s*$/m).filter((d) => d.trim() !== '').length;
}
