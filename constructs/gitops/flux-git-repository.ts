import { Construct } from 'constructs';
import { z } from 'zod';
import { NameRule, toKubernetesName, validateName } from '../../lib/names';
import { Environment } from '../../lib/platform';
import { ArtifactContext } from '../../lib/synthesizer/artifacts';
import { KubeObject } from '../../lib/synthesizer/manifest';
import { propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { DurationInput, durationSchema } from '../core/duration';
import { GitRepository, GitRepositorySpecRef } from '../imports/flux-source.toolkit.fluxcd.io';
import { BOOTSTRAP_DIR, BOOTSTRAP_LABELS, BootstrapObject, compact, goDuration } from './bootstrap-object';
import { manifestsPathOf, repositoryPathOf, repositoryPathSchema, repoUrlSchema } from './repository';

/** The Git reference Flux follows; give one field. */
export interface FluxGitRef {
  readonly branch?: string;
  readonly tag?: string;
  /** A semver range of tags, e.g. `>=1.0.0 <2.0.0`. */
  readonly semver?: string;
  /** A full reference, e.g. `refs/heads/main`, `refs/pull/42/head`. */
  readonly name?: string;
  readonly commit?: string;
}

/** Props of {@link FluxGitRepository}. */
export interface FluxGitRepositoryProps {
  /** URL of the Git repository the output folder is committed to. */
  readonly repoURL: string;
  /**
   * What to follow: a branch name, a full reference (`refs/...`) or a commit SHA. Ignored when `ref` is given.
   * @default 'main'
   */
  readonly targetRevision?: string;
  /** The reference to follow, when `targetRevision` is not enough (a tag, a semver range). @default - from `targetRevision` */
  readonly ref?: FluxGitRef;
  /** Name of the GitRepository. @default - derived from the construct id */
  readonly name?: string;
  /** Namespace Flux runs in. @default 'flux-system' */
  readonly namespace?: string;
  /** How often Flux fetches the repository. @default '1m' */
  readonly interval?: DurationInput;
  /** Secret (in `namespace`) with the credentials of a private repository. @default - none (a public repository) */
  readonly secretName?: string;
  /** Path of the output folder in the repository. @default - the output folder's path below the root of its Git working tree */
  readonly path?: string;
  /**
   * Keep only `<path>/manifests/` in the artifact Flux builds from the repository (everything else in the repository
   * is ignored: smaller artifacts, and no other YAML can end up in the cluster).
   * @default true
   */
  readonly manifestsOnly?: boolean;
  /** Write the file to `bootstrap/flux/<env>/` (the folder applied to that environment's cluster). @default - `bootstrap/flux/` */
  readonly environment?: Environment;
}

const refSchema = z.object({
  branch: z.string().min(1).optional(), tag: z.string().min(1).optional(), semver: z.string().min(1).optional(),
  name: z.string().regex(/^refs\//, { message: "must be a full reference such as 'refs/heads/main'" }).optional(),
  commit: z.string().regex(/^[0-9a-f]{7,40}$/, { message: 'must be a commit SHA' }).optional(),
}).strict().refine((r) => Object.keys(r).length > 0, { message: 'give a branch, tag, semver, name or commit' });

const propsSchema = strictPropsSchema<FluxGitRepositoryProps>()({
  repoURL: repoUrlSchema,
  targetRevision: z.string().min(1).optional(),
  ref: refSchema.optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  interval: durationSchema.optional(),
  secretName: z.string().optional(),
  path: repositoryPathSchema.optional(),
  manifestsOnly: z.boolean().optional(),
  environment: z.instanceof(Environment).optional(),
});

/**
 * A Flux `GitRepository` (source.toolkit.fluxcd.io/v1) for the repository the platform is committed to. By default
 * only the manifests folder is kept in the artifact. Written to `bootstrap/flux[/<env>]/gitrepository.<name>.yaml`.
 */
export class FluxGitRepository extends BootstrapObject {
  /** The GitRepository name (what Kustomizations reference). */
  public readonly repositoryName: string;
  /** The namespace Flux runs in. */
  public readonly namespace: string;

  private readonly props: z.output<typeof propsSchema>;

  constructor(scope: Construct, id: string, props: FluxGitRepositoryProps) {
    const name = props.name ?? toKubernetesName(id);
    super(scope, id, `${BOOTSTRAP_DIR}/flux/${props.environment ? `${props.environment.name}/` : ''}gitrepository.${name}.yaml`);
    this.props = validateProps(this, propsSchema, props);
    this.repositoryName = validateName(this, 'name', name, NameRule.DNS_SUBDOMAIN);
    this.namespace = validateName(this, 'namespace', props.namespace ?? 'flux-system', NameRule.DNS_LABEL);
    if (props.secretName !== undefined) validateName(this, 'secretName', props.secretName);
  }

  public toManifest(context: ArtifactContext): KubeObject {
    const outputPath = this.props.path ?? repositoryPathOf(context.outdir);
    return GitRepository.manifest({
      metadata: { name: this.repositoryName, namespace: this.namespace, labels: { ...BOOTSTRAP_LABELS } },
      spec: compact({
        interval: goDuration(this.props.interval ?? 60_000),
        url: this.props.repoURL,
        ref: this.props.ref ?? refOf(this.props.targetRevision ?? 'main'),
        secretRef: this.props.secretName ? { name: this.props.secretName } : undefined,
        ignore: this.props.manifestsOnly === false ? undefined : onlyFolderIgnore(manifestsPathOf(outputPath)),
      }),
    }) as KubeObject;
  }
}

/** The Flux reference for an Argo CD-style target revision: a commit SHA, a full reference, or a branch. */
export function refOf(targetRevision: string): GitRepositorySpecRef {
  if (/^[0-9a-f]{40}$/.test(targetRevision)) return { commit: targetRevision };
  if (targetRevision.startsWith('refs/')) return { name: targetRevision };
  return { branch: targetRevision };
}

/**
 * A `.sourceignore` (gitignore syntax) that excludes everything but one folder: each parent folder is
 * re-included and its other entries excluded again, because gitignore cannot re-include a file whose
 * parent folder is excluded.
 */
export function onlyFolderIgnore(folder: string): string {
  const parts = folder.split('/');
  const lines = ['/*'];
  for (let i = 0; i < parts.length; i++) {
    const prefix = parts.slice(0, i + 1).join('/');
    lines.push(`!/${prefix}/`);
    if (i < parts.length - 1) lines.push(`/${prefix}/*`);
  }
  return lines.join('\n') + '\n';
}
