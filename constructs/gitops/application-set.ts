import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { NameRule, toKubernetesName, validateName } from '../../lib/names';
import { Environment } from '../../lib/platform';
import { ArtifactContext } from '../../lib/synthesizer/artifacts';
import { KubeObject } from '../../lib/synthesizer/manifest';
import { propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { ApplicationSet } from '../imports/argocd-argoproj.io';
import { ENVIRONMENT_LABEL } from './application';
import { ArgoCdCluster, argoCdClusterSchema, clusterOf, sameCluster } from './argocd-cluster';
import { renderSyncPolicy } from './argocd-sync-policy';
import { ArgoCdSourceProps, argoCdSourceSchemaShape } from './argocd-source';
import { BOOTSTRAP_DIR, BOOTSTRAP_LABELS, BootstrapObject } from './bootstrap-object';
import { deliveryNotificationsOf, NotificationSubscription, subscriptionAnnotations, validateSubscription } from './notifications';
import { ArgoCdProject } from './project';
import { manifestsPathOf, repositoryPathOf } from './repository';

/** Props of {@link ArgoCdApplicationSet}. */
export interface ArgoCdApplicationSetProps extends ArgoCdSourceProps {
  /**
   * The environments of the platform. The generator finds environments by their folders in Git; these are used
   * for what differs per environment (namespace, cluster, notifications) and to check names.
   */
  readonly environments: readonly Environment[];
  /** Name of the ApplicationSet; the Applications are named `<name>-<env>`. @default - derived from the construct id */
  readonly name?: string;
  /** Clusters by environment name. @default - `cluster` for every environment */
  readonly clusters?: { readonly [environment: string]: ArgoCdCluster };
}

const propsSchema = strictPropsSchema<ArgoCdApplicationSetProps>()({
  ...argoCdSourceSchemaShape,
  environments: z.array(z.instanceof(Environment)).min(1, { message: 'give at least one environment' }),
  name: z.string().optional(),
  clusters: z.record(z.string(), argoCdClusterSchema).optional(),
});

/**
 * One Argo CD ApplicationSet instead of an Application per environment: a Git directory generator over
 * `<path>/manifests/*` creates an Application per environment folder. It uses Go templates with
 * `missingkey=error` (a typo in a template fails instead of rendering an empty string), and the project is a
 * fixed name, never a template parameter. Per-environment differences (a namespace other than the environment
 * name, another cluster, notification subscriptions of one environment) go into a `templatePatch`.
 *
 * Written to `bootstrap/argocd/applicationset.<name>.yaml`.
 */
export class ArgoCdApplicationSet extends BootstrapObject {
  /** The ApplicationSet name. */
  public readonly applicationSetName: string;
  /** The namespace Argo CD runs in. */
  public readonly namespace: string;

  private readonly props: z.output<typeof propsSchema>;
  private readonly subscriptions: NotificationSubscription[] = [];

  constructor(scope: Construct, id: string, props: ArgoCdApplicationSetProps) {
    const name = props.name ?? toKubernetesName(id);
    super(scope, id, `${BOOTSTRAP_DIR}/argocd/applicationset.${name}.yaml`);
    this.props = validateProps(this, propsSchema, props);
    this.applicationSetName = validateName(this, 'name', name, NameRule.DNS_SUBDOMAIN);
    this.namespace = validateName(this, 'namespace', props.namespace ?? 'argocd', NameRule.DNS_LABEL);
    const known = new Set(props.environments.map((e) => e.name));
    for (const env of props.environments) validateName(this, 'name', this.applicationNameOf(env.name), NameRule.DNS_LABEL);
    for (const env of Object.keys(props.clusters ?? {})) {
      if (!known.has(env)) throw new ValidationError(this, `clusters.${env}`, `'${env}' is not one of the environments (${[...known].join(', ')})`);
    }
    if (props.project instanceof ArgoCdProject) {
      const missing = props.environments.filter((e) => !(props.project as ArgoCdProject).environments.includes(e));
      if (missing.length > 0) {
        throw new ValidationError(this, 'project', `project '${props.project.projectName}' does not cover environment(s) ${missing.map((e) => `'${e.name}'`).join(', ')}`);
      }
    }
  }

  /** The name of the Application generated for an environment. */
  public applicationNameOf(environment: string): string {
    return `${this.applicationSetName}-${environment}`;
  }

  /** Subscribes a recipient to a notifications trigger of every generated Application. */
  public addNotification(trigger: string, service: string, recipient: string): void {
    this.subscriptions.push(validateSubscription(this, { trigger, service, recipient }));
  }

  public toManifest(context: ArtifactContext): KubeObject {
    const base = clusterOf({ cluster: this.props.cluster }, '');
    const annotations = subscriptionAnnotations(this.subscriptions);
    const project = this.props.project;
    const templatePatch = this.templatePatch(base);
    return ApplicationSet.manifest({
      metadata: { name: this.applicationSetName, namespace: this.namespace, labels: { ...BOOTSTRAP_LABELS } },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{
          git: {
            repoUrl: this.props.repoURL,
            revision: this.props.targetRevision ?? 'main',
            directories: [{ path: `${manifestsPathOf(this.props.path ?? repositoryPathOf(context.outdir))}/*` }],
          },
        }],
        template: {
          metadata: {
            name: `${this.applicationSetName}-{{.path.basename}}`,
            labels: { ...BOOTSTRAP_LABELS, [ENVIRONMENT_LABEL]: '{{.path.basename}}' },
            ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
          },
          spec: {
            project: typeof project === 'string' ? project : project.projectName,
            source: {
              repoUrl: this.props.repoURL,
              targetRevision: this.props.targetRevision ?? 'main',
              path: '{{.path.path}}',
              directory: { recurse: true },
            },
            destination: { ...base, namespace: '{{.path.basename}}' },
            syncPolicy: renderSyncPolicy(this.props),
          },
        },
        ...(templatePatch ? { templatePatch } : {}),
        // The Applications have no resources finalizer; this keeps it that way if one is added by hand.
        syncPolicy: { preserveResourcesOnDeletion: true },
      },
    }) as KubeObject;
  }

  /** Go-templated patch with what differs per environment, or undefined when nothing does. */
  private templatePatch(base: ArgoCdCluster): string | undefined {
    const branches: string[] = [];
    for (const env of this.props.environments) {
      const lines: string[] = [];
      // Same trigger and service as a subscription of every Application: the patch replaces the value, so it
      // carries both recipients.
      const shared = subscriptionAnnotations(this.subscriptions);
      const own = subscriptionAnnotations([...this.subscriptions, ...deliveryNotificationsOf(env)]);
      const notifications = Object.fromEntries(Object.entries(own).filter(([k, v]) => shared[k] !== v));
      if (Object.keys(notifications).length > 0) {
        lines.push('metadata:', '  annotations:');
        for (const [k, v] of Object.entries(notifications)) lines.push(`    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
      }
      const cluster = clusterOf(this.props, env);
      const destination: string[] = [];
      if (env.namespace !== env.name) destination.push(`namespace: ${JSON.stringify(env.namespace)}`);
      if (!sameCluster(cluster, base)) {
        destination.push(cluster.name ? `name: ${JSON.stringify(cluster.name)}` : `server: ${JSON.stringify(cluster.server)}`);
        if (base.server && cluster.name) destination.push('server: null');
        if (base.name && cluster.server) destination.push('name: null');
      }
      if (destination.length > 0) lines.push('spec:', '  destination:', ...destination.map((l) => `    ${l}`));
      if (lines.length > 0) branches.push(`{{- ${branches.length === 0 ? 'if' : 'else if'} eq .path.basename ${JSON.stringify(env.name)} }}`, ...lines);
    }
    if (branches.length === 0) return undefined;
    return [...branches, '{{- else }}', '{}', '{{- end }}', ''].join('\n');
  }
}
