import { Construct, IConstruct } from 'constructs';
import { z } from 'zod';
import { GraphGroup, IGraphGroup } from '../../lib/graph/graph';
import { ObjectMetadata } from '../../lib/metadata';
import { NameRule, objectName } from '../../lib/names';
import { Policies } from '../../lib/policy/policies';
import { propsSchema as strictPropsSchema, validateProps } from '../../lib/validation';
import { ConsumerLagAlert, ConsumerLagAlertOptions } from '../kafka/consumer-lag-alert';
import { PIPELINE_BRAND } from './rules/pipeline-of';
import { PIPELINE_SAFETY_PACK } from './rules/safety-pack';

/** Label with the pipeline name, on every object of a pipeline. */
export const PIPELINE_LABEL = 'dataops.cdk8s.io/pipeline';
/** Label (when the owner is a valid label value) and annotation with the owner. */
export const OWNER_KEY = 'dataops.cdk8s.io/owner';

/** Props of {@link Pipeline}. */
export interface PipelineProps {
  /** Who owns the data product: a team name or an address (`team-payments`, `payments@acme.com`). */
  readonly owner: string;
  /** What the pipeline does. @default - none */
  readonly description?: string;
  /** Business domain (`payments`, `logistics`). @default - none */
  readonly domain?: string;
  /** Free-form tags (`pii`, `tier-1`), each a label `tags.dataops.cdk8s.io/<tag>: "true"`. @default - none */
  readonly tags?: readonly string[];
  /** Pipeline name. @default - derived from the construct id */
  readonly name?: string;
}

const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

const propsSchema = strictPropsSchema<PipelineProps>()({
  owner: z.string().trim().min(1, 'every pipeline needs an owner'),
  description: z.string().optional(),
  domain: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'use lower-case letters, digits and -').max(63).optional(),
  tags: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'use lower-case letters, digits and -').max(63)).optional(),
  name: z.string().optional(),
});

/**
 * A data product: the topics, apps, connectors, dbt and Airflow work and governance of one team, declared
 * together. Ownership and tags are stamped on every object inside; policies, alert routing and reports talk about
 * pipelines. Reading another pipeline's topic needs `topic.shareWith(pipeline)` (or a public topic), otherwise
 * synth fails naming both pipelines (rule DOP-PIPELINE-001).
 */
export class Pipeline extends Construct implements IGraphGroup {
  /** The pipeline a construct belongs to, if any. */
  public static of(scope: IConstruct): Pipeline | undefined {
    const scopes = scope.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i] instanceof Pipeline) return scopes[i] as Pipeline;
    return undefined;
  }

  public readonly pipelineName: string;
  public readonly owner: string;
  public readonly graphGroup: GraphGroup;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    Object.defineProperty(this, PIPELINE_BRAND, { value: true });
    Policies.require(this, PIPELINE_SAFETY_PACK);
    const p = validateProps(this, propsSchema, props);
    this.pipelineName = objectName(this, p.name, NameRule.DNS_LABEL);
    this.owner = p.owner;
    this.graphGroup = { name: this.pipelineName, owner: p.owner, description: p.description, domain: p.domain, tags: p.tags };
    const meta = ObjectMetadata.of(this).addLabel(PIPELINE_LABEL, this.pipelineName).addAnnotation(OWNER_KEY, p.owner);
    if (LABEL_VALUE.test(p.owner)) meta.addLabel(OWNER_KEY, p.owner);
    if (p.domain) meta.addLabel('dataops.cdk8s.io/domain', p.domain);
    if (p.description) meta.addAnnotation('dataops.cdk8s.io/description', p.description);
    for (const tag of p.tags ?? []) meta.addLabel(`tags.dataops.cdk8s.io/${tag}`, 'true');
  }

  /**
   * Alerts when a consumer group of this pipeline lags: by default every group its apps and connectors read with
   * (call it after declaring them), or `consumerGroup`. One PrometheusRule (see {@link ConsumerLagAlert}); the alerts
   * carry `pipeline`, `owner`, `severity` and the `namespace` of the route meant to receive them.
   *
   * ```ts
   * orders.alertOnLag({ threshold: 10_000, for: '10m', severity: 'critical', route: oncall });
   * ```
   */
  public alertOnLag(options: ConsumerLagAlertOptions): ConsumerLagAlert {
    const count = this.node.children.filter((c) => c instanceof ConsumerLagAlert).length;
    return new ConsumerLagAlert(this, count === 0 ? 'LagAlert' : `LagAlert${count + 1}`, options);
  }

}
