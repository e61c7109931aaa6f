import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { NameRule, toKubernetesName, validateName } from '../../lib/names';
import { Environment } from '../../lib/platform';
import { ArtifactContext, Artifacts } from '../../lib/synthesizer/artifacts';
import { KubeObject } from '../../lib/synthesizer/manifest';
import { toYaml } from '../../lib/synthesizer/yaml';
import { propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { Application } from '../imports/argocd-argoproj.io';
import { clusterOf } from './argocd-cluster';
import { renderSyncPolicy } from './argocd-sync-policy';
import { ArgoCdSourceProps, argoCdSourceSchemaShape } from './argocd-source';
import { BOOTSTRAP_DIR, BOOTSTRAP_LABELS, BootstrapObject } from './bootstrap-object';
import { deliveryNotificationsOf, NotificationSubscription, subscriptionAnnotations, validateSubscription } from './notifications';
import { ArgoCdProject } from './project';
import { manifestsPathOf, repositoryPathOf } from './repository';
import { shardApplicationSet } from './shards';

/** Label with the environment name on bootstrap objects. */
export const ENVIRONMENT_LABEL = 'dataops.cdk8s.io/environment';

/** Props of {@link ArgoCdApplication}. */
export interface ArgoCdApplicationProps extends ArgoCdSourceProps {
  /** The environment whose manifests (`<path>/manifests/<env>`) the Application deploys. */
  readonly environment: Environment;
  /** Name of the Application. @default - derived from the construct id */
  readonly name?: string;
  /** Notification subscriptions (see {@link ArgoCdApplication.addNotification}). @default - none */
  readonly notifications?: readonly NotificationSubscription[];
}

const propsSchema = strictPropsSchema<ArgoCdApplicationProps>()({
  ...argoCdSourceSchemaShape,
  environment: z.instanceof(Environment),
  name: z.string().optional(),
  notifications: z.array(z.any()).optional(),
});

/**
 * An Argo CD Application that makes a cluster follow one environment's manifests: a directory source
 * (recursive) at `<path>/manifests/<env>`, automated sync with self-heal and prune (objects annotated
 * `Prune=false` are kept), `CreateNamespace=true`, deletions last, retries with backoff. It has no
 * resources finalizer: deleting the Application leaves the platform running.
 *
 * Written to `bootstrap/argocd/application.<name>.yaml`; apply it once (`kubectl apply -f`) or from an
 * app-of-apps.
 */
export class ArgoCdApplication extends BootstrapObject {
  /** The Application name. */
  public readonly applicationName: string;
  /** The namespace Argo CD runs in. */
  public readonly namespace: string;
  /** The environment it deploys. */
  public readonly environment: Environment;

  private readonly props: z.output<typeof propsSchema>;
  private readonly subscriptions: NotificationSubscription[] = [];

  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    const name = props.name ?? toKubernetesName(id);
    super(scope, id, `${BOOTSTRAP_DIR}/argocd/application.${name}.yaml`);
    this.props = validateProps(this, propsSchema, props);
    // Argo CD puts the Application name in a label value: at most 63 characters.
    this.applicationName = validateName(this, 'name', name, NameRule.DNS_LABEL);
    this.namespace = validateName(this, 'namespace', props.namespace ?? 'argocd', NameRule.DNS_LABEL);
    this.environment = props.environment;
    if (props.project instanceof ArgoCdProject && !props.project.environments.includes(props.environment)) {
      throw new ValidationError(this, 'project', `project '${props.project.projectName}' does not cover environment '${props.environment.name}'; ` +
        'add the environment to the project\'s environments');
    }
    for (const s of props.notifications ?? []) this.addNotification(s.trigger, s.service, s.recipient);
    // A sharded environment gets an ApplicationSet of its shards in place of this Application.
    Artifacts.add(this, {
      path: `${BOOTSTRAP_DIR}/argocd/applicationset.${name}.yaml`,
      render: (context) => (context.shardsOf(this.environment) ? toYaml(shardApplicationSet(this.toManifest(context))) : undefined),
    });
  }

  protected isWritten(context: ArtifactContext): boolean {
    return context.shardsOf(this.environment) === undefined;
  }

  /**
   * Subscribes a recipient to an Argo CD notifications trigger of this Application
   * (annotation `notifications.argoproj.io/subscribe.<trigger>.<service>: <recipient>`; several recipients of
   * the same trigger and service are joined with ';').
   *
   * ```ts
   * app.addNotification('on-sync-failed', 'slack', 'data-platform-alerts');
   * ```
   */
  public addNotification(trigger: string, service: string, recipient: string): void {
    this.subscriptions.push(validateSubscription(this, { trigger, service, recipient }));
  }

  /** The subscriptions of this Application: its own and those registered for its environment. */
  public get notifications(): readonly NotificationSubscription[] {
    return [...this.subscriptions, ...deliveryNotificationsOf(this.environment)];
  }

  public toManifest(context: ArtifactContext): KubeObject {
    const env = this.environment;
    const annotations = subscriptionAnnotations(this.notifications);
    const project = this.props.project;
    return Application.manifest({
      metadata: {
        name: this.applicationName,
        namespace: this.namespace,
        labels: { ...BOOTSTRAP_LABELS, [ENVIRONMENT_LABEL]: env.name },
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      spec: {
        project: typeof project === 'string' ? project : project.projectName,
        source: {
          repoUrl: this.props.repoURL,
          targetRevision: this.props.targetRevision ?? 'main',
          path: manifestsPathOf(this.props.path ?? repositoryPathOf(context.outdir), env.name),
          directory: { recurse: true },
        },
        destination: { ...clusterOf({ cluster: this.props.cluster }, env), namespace: env.namespace },
        syncPolicy: renderSyncPolicy(this.props),
      },
    }) as KubeObject;
  }
}
