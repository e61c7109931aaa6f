import { z } from 'zod';
import { Environment } from '../../lib/platform';

/** The Kubernetes API server of the Argo CD instance itself. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/**
 * A cluster registered in Argo CD, by API server URL or by the name it was registered with
 * (`argocd cluster add`). Give one of the two.
 */
export interface ArgoCdCluster {
  /** API server URL. @default - `https://kubernetes.default.svc` (the cluster Argo CD runs in) when `name` is not set */
  readonly server?: string;
  /** Name of the cluster in Argo CD. @default - not used */
  readonly name?: string;
}

/** zod schema of {@link ArgoCdCluster}. */
export const argoCdClusterSchema = z.object({
  server: z.string().regex(/^https?:\/\/\S+$/, { message: "must be an API server URL such as 'https://kubernetes.default.svc'" }).optional(),
  name: z.string().min(1).optional(),
}).strict().refine((c) => !(c.server && c.name), { message: "give either 'server' or 'name', not both" });

/** Which cluster each environment is deployed to: one default and per-environment exceptions. */
export interface ArgoCdClusterChoice {
  /** The cluster of every environment not listed in `clusters`. @default - the cluster Argo CD runs in */
  readonly cluster?: ArgoCdCluster;
  /** Clusters by environment name. @default - `cluster` for every environment */
  readonly clusters?: { readonly [environment: string]: ArgoCdCluster };
}

/** The destination cluster of an environment, as `{ server }` or `{ name }`. */
export function clusterOf(choice: ArgoCdClusterChoice, env: Environment | string): ArgoCdCluster {
  const name = typeof env === 'string' ? env : env.name;
  const c = choice.clusters?.[name] ?? choice.cluster ?? {};
  return c.name ? { name: c.name } : { server: c.server ?? IN_CLUSTER_SERVER };
}

/** Same cluster? */
export function sameCluster(a: ArgoCdCluster, b: ArgoCdCluster): boolean {
  return a.server === b.server && a.name === b.name;
}
