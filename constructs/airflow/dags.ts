import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { propsSchema, validateProps } from '../../lib/validation';
import { ConfigMap, contentHash } from '../k8s/config-map';
import { ContainerSpec, EnvValue, MountSpec } from '../k8s/container';
import { NetworkPeer, NetworkPort, NetworkRule, networkRulesSchema } from '../k8s/network-policy';
import { ResourceRequirements, resourceRequirementsSchema } from '../k8s/resources';
import { Volume } from '../k8s/volumes';
import { SecretValue, secretValueSchema } from '../secrets/reference';

/** Where Airflow containers see the DAGs (the official chart's `{{ airflowHome }}/dags`). */
export const DAGS_MOUNT = '/opt/airflow/dags';

/** What a component needs to see the DAGs; produced by {@link Dags.bind}. */
export interface DagsBinding {
  /** Value of `[core] dags_folder`. */
  readonly dagsFolder: string;
  /** Volumes of the pod. */
  readonly volumes: readonly Volume[];
  /** The mount of the DAGs in Airflow containers. */
  readonly mount: MountSpec;
  /** Init containers that must run before Airflow starts (e.g. the first git clone). */
  readonly initContainers: readonly ContainerSpec[];
  /** Sidecars that keep the DAGs current. */
  readonly sidecars: readonly ContainerSpec[];
  /** Pod annotations (a change rolls the pods). */
  readonly podAnnotations: Readonly<Record<string, string>>;
  /** Egress the DAG source needs (e.g. the git server). */
  readonly egress: readonly NetworkRule[];
}

/** Options of {@link Dags.fromGit}. */
export interface GitDagsOptions {
  /** Repository URL (`https://...` or `git@host:org/repo.git` / `ssh://...`). */
  readonly repo: string;
  /** Branch, tag or commit to check out. @default 'main' */
  readonly ref?: string;
  /** Folder of the DAGs inside the repository. @default '' (the repository root) */
  readonly subPath?: string;
  /** How often to pull (a Go duration). @default '60s' */
  readonly period?: string;
  /** Clone depth. @default 1 */
  readonly depth?: number;
  /** HTTPS credentials (a token as password works with most Git hosts). @default - anonymous */
  readonly credentials?: { readonly username: SecretValue; readonly password: SecretValue };
  /** SSH private key for `git@` / `ssh://` URLs. @default - none */
  readonly sshKey?: SecretValue;
  /** known_hosts content for SSH (strongly recommended with `sshKey`). @default - host keys are not checked */
  readonly knownHosts?: string;
  /**
   * Where git-sync may connect.
   * @default - TCP 443 (https URLs) or 22 (SSH URLs) to any IPv4 address
   */
  readonly egress?: readonly NetworkRule[];
  /** git-sync image. @default 'registry.k8s.io/git-sync/git-sync:v4.4.2' (the Airflow chart's default) */
  readonly image?: string;
  /** Resources of the git-sync containers. @default { cpu: { request: '50m', limit: '200m' }, memory: { request: '128Mi', limit: '128Mi' } } */
  readonly resources?: ResourceRequirements;
}

const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
const SSH_URL = /^(ssh:\/\/|[A-Za-z0-9._-]+@[^:]+:)/;

const gitSchema = propsSchema<GitDagsOptions>()({
  repo: z.string().regex(/^(https:\/\/\S+|ssh:\/\/\S+|[A-Za-z0-9._-]+@[^:\s]+:\S+)$/, "must be an https:// URL, an ssh:// URL or 'git@host:org/repo.git' (plain http and file URLs are refused)"),
  ref: z.string().regex(/^[^\s~^:?*[\\]+$/, 'is not a git branch, tag or commit').optional(),
  subPath: z.string().regex(/^(?!\/)(?!.*\.\.)[^\s]*$/, 'must be a relative path inside the repository').optional(),
  period: z.string().regex(GO_DURATION, "must be a Go duration such as '60s' or '5m'").optional(),
  depth: z.number().int().min(0).optional(),
  credentials: z.strictObject({ username: secretValueSchema(), password: secretValueSchema() }).optional(),
  sshKey: secretValueSchema().optional(),
  knownHosts: z.string().min(1).optional(),
  egress: networkRulesSchema.optional(),
  image: z.string().regex(/^\S+$/).optional(),
  resources: resourceRequirementsSchema.optional(),
}).superRefine((o, ctx) => {
  const ssh = SSH_URL.test(o.repo);
  if (o.sshKey && !ssh) ctx.addIssue({ code: 'custom', path: ['sshKey'], message: 'needs an SSH repository URL (git@host:org/repo.git or ssh://...)' });
  if (o.credentials && ssh) ctx.addIssue({ code: 'custom', path: ['credentials'], message: 'are for https:// URLs; use sshKey with SSH URLs' });
  if (o.knownHosts && !o.sshKey) ctx.addIssue({ code: 'custom', path: ['knownHosts'], message: 'only applies with sshKey' });
});

/** Options of {@link Dags.fromDirectory}. */
export interface DirectoryDagsOptions {
  /** File names to leave out (matched against the relative path). @default - hidden files and __pycache__ */
  readonly exclude?: readonly RegExp[];
}

const directorySchema = propsSchema<DirectoryDagsOptions>()({
  exclude: z.array(z.instanceof(RegExp, { message: 'must be a RegExp' })).optional(),
});

/**
 * Where Airflow reads the DAGs from: a Git repository kept in sync by git-sync v4 ({@link fromGit}), or a local
 * folder shipped as a ConfigMap ({@link fromDirectory}).
 */
export abstract class Dags {
  /** DAGs from a Git repository: a git-sync v4 init container (first clone) and sidecar (pulls every `period`). */
  public static fromGit(options: GitDagsOptions): Dags {
    return new GitDags(options);
  }

  /**
   * DAGs from a local folder (resolved against the current directory), packed into a ConfigMap. The pods carry
   * a `checksum/dags` annotation of the content, so changing a DAG rolls them. For small DAG sets (1 MiB).
   */
  public static fromDirectory(directory: string, options: DirectoryDagsOptions = {}): Dags {
    return new DirectoryDags(directory, options);
  }

  /** What the pods of a component need. Called once per Airflow; may create objects under `scope`. */
  public abstract bind(scope: Construct, namePrefix: string): DagsBinding;
}

class GitDags extends Dags {
  constructor(private readonly options: GitDagsOptions) {
    super();
  }

  public bind(scope: Construct, namePrefix: string): DagsBinding {
    const o = validateProps(scope, z.strictObject({ dags: gitSchema }), { dags: this.options }).dags as GitDagsOptions;
    const ssh = SSH_URL.test(o.repo);
    const volumes: Volume[] = [Volume.emptyDir('dags')];
    const mounts: MountSpec[] = [{ volume: 'dags', path: '/git' }];
    // git-sync v4 flags as environment variables (https://github.com/kubernetes/git-sync, v4 README).
    const env: Record<string, EnvValue> = {
      GITSYNC_REPO: o.repo,
      GITSYNC_REF: o.ref ?? 'main',
      GITSYNC_ROOT: '/git',
      GITSYNC_LINK: 'repo',
      GITSYNC_DEPTH: String(o.depth ?? 1),
      GITSYNC_MAX_FAILURES: '0',
    };
    if (o.credentials) {
      env.GITSYNC_USERNAME = o.credentials.username;
      env.GITSYNC_PASSWORD = o.credentials.password;
    }
    if (o.sshKey) {
      volumes.push(Volume.secret('git-ssh-key', o.sshKey.reference, { items: { [o.sshKey.key]: 'ssh' }, defaultMode: 0o400 }));
      mounts.push({ volume: 'git-ssh-key', path: '/etc/git-secret/ssh', subPath: 'ssh' });
      env.GITSYNC_SSH_KEY_FILE = '/etc/git-secret/ssh';
      if (o.knownHosts) {
        const cm = new ConfigMap(scope, 'GitKnownHosts', { name: `${namePrefix}-git-known-hosts`, data: { known_hosts: o.knownHosts } });
        volumes.push(Volume.configMap('git-known-hosts', cm.name));
        mounts.push({ volume: 'git-known-hosts', path: '/etc/git-secret/known_hosts', subPath: 'known_hosts' });
        env.GITSYNC_SSH_KNOWN_HOSTS = 'true';
        env.GITSYNC_SSH_KNOWN_HOSTS_FILE = '/etc/git-secret/known_hosts';
      } else {
        env.GITSYNC_SSH_KNOWN_HOSTS = 'false';
      }
    }
    const container = (name: string, extra: Record<string, string>): ContainerSpec => ({
      name,
      image: o.image ?? 'registry.k8s.io/git-sync/git-sync:v4.4.2',
      env: { ...env, ...extra },
      mounts,
      resources: o.resources ?? { cpu: { request: '50m', limit: '200m' }, memory: { request: '128Mi', limit: '128Mi' } },
      // The git-sync image's user (the chart's dags.gitSync.uid).
      user: 65533,
    });
    const subPath = (o.subPath ?? '').replace(/\/+$/, '');
    return {
      dagsFolder: subPath ? `${DAGS_MOUNT}/repo/${subPath}` : `${DAGS_MOUNT}/repo`,
      volumes,
      mount: { volume: 'dags', path: DAGS_MOUNT, readOnly: true },
      initContainers: [container('git-sync-init', { GITSYNC_ONE_TIME: 'true' })],
      sidecars: [container('git-sync', { GITSYNC_PERIOD: o.period ?? '60s' })],
      podAnnotations: {},
      egress: o.egress ?? [{ peer: NetworkPeer.anyIpv4(), ports: [NetworkPort.tcp(ssh ? 22 : 443)] }],
    };
  }
}

class DirectoryDags extends Dags {
  constructor(private readonly directory: string, private readonly options: DirectoryDagsOptions) {
    super();
  }

  public bind(scope: Construct, namePrefix: string): DagsBinding {
    validateProps(scope, z.strictObject({ dags: directorySchema }), { dags: this.options });
    const root = path.resolve(this.directory);
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
      throw new ValidationError(scope, 'dags', `DAG folder '${this.directory}' (${root}) does not exist or is not a folder`);
    }
    const exclude = this.options.exclude ?? [/(^|\/)\./, /(^|\/)__pycache__(\/|$)/];
    const files = listFiles(root).filter((f) => !exclude.some((re) => re.test(f)));
    if (files.length === 0) throw new ValidationError(scope, 'dags', `DAG folder '${this.directory}' has no files`);
    const data: Record<string, string> = {};
    const items: Record<string, string> = {};
    for (const rel of files) {
      // ConfigMap keys cannot contain '/': nested files are flattened and put back in place by `items`.
      const key = rel.replace(/\//g, '__');
      if (data[key] !== undefined) throw new ValidationError(scope, 'dags', `'${rel}' and another file both map to ConfigMap key '${key}'; rename one`);
      if (!/^[-._a-zA-Z0-9]+$/.test(key)) throw new ValidationError(scope, 'dags', `'${rel}' has characters a ConfigMap key cannot hold; rename it`);
      data[key] = fs.readFileSync(path.join(root, rel), 'utf8');
      items[key] = rel;
    }
    const configMap = new ConfigMap(scope, 'Dags', { name: `${namePrefix}-dags`, data });
    return {
      dagsFolder: DAGS_MOUNT,
      volumes: [Volume.configMap('dags', configMap.name, { items })],
      mount: { volume: 'dags', path: DAGS_MOUNT, readOnly: true },
      initContainers: [],
      sidecars: [],
      podAnnotations: { 'checksum/dags': contentHash(data) },
      egress: [],
    };
  }
}

/** Files below `root`, relative with '/' separators, sorted (deterministic output). */
function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(root, r));
    else if (entry.isFile()) out.push(r);
  }
  return out;
}
