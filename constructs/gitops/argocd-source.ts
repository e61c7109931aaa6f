import { z } from 'zod';
import { ArgoCdCluster, argoCdClusterSchema } from './argocd-cluster';
import { ArgoCdSyncPolicyOptions, syncPolicySchemaShape } from './argocd-sync-policy';
import { ArgoCdProject } from './project';
import { repositoryPathSchema, repoUrlSchema } from './repository';

/** What every Argo CD object that deploys the platform's output needs: where it is in Git, where it goes, how it syncs. */
export interface ArgoCdSourceProps extends ArgoCdSyncPolicyOptions {
  /** URL of the Git repository the output folder is committed to. */
  readonly repoURL: string;
  /** Branch, tag or commit to follow. @default 'main' */
  readonly targetRevision?: string;
  /**
   * Path of the output folder in the repository, e.g. 'dist' or 'platform/dist'.
   * @default - the output folder's path below the root of the Git working tree it is in
   */
  readonly path?: string;
  /**
   * The project: an {@link ArgoCdProject} or the name of an existing AppProject. Never templated, so a folder
   * pushed to Git cannot choose its own project.
   */
  readonly project: ArgoCdProject | string;
  /** Namespace Argo CD runs in. @default 'argocd' */
  readonly namespace?: string;
  /** The cluster to deploy to. @default - the cluster Argo CD runs in */
  readonly cluster?: ArgoCdCluster;
}

/** zod shape of {@link ArgoCdSourceProps}, to spread into a construct's props schema. */
export const argoCdSourceSchemaShape = {
  ...syncPolicySchemaShape,
  repoURL: repoUrlSchema,
  targetRevision: z.string().min(1).optional(),
  path: repositoryPathSchema.optional(),
  project: z.union([z.instanceof(ArgoCdProject), z.string().min(1)]),
  namespace: z.string().optional(),
  cluster: argoCdClusterSchema.optional(),
};
