import { Construct, IConstruct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { DataFlowGraph } from '../../lib/graph/graph';
import { toKubernetesName } from '../../lib/names';
import { propsSchema, validateProps } from '../../lib/validation';
import { GrafanaDashboard } from '../monitoring/grafana-dashboard';
import { consumerGroupsUnder } from './consumer-groups';
import { consumerGroupLagExpr, metricsOf, topicMessageRateExpr } from './metrics';
import { Topic } from './topic';

/** Props of {@link KafkaDashboard}. */
export interface KafkaDashboardProps {
  /** Dashboard title. @default - 'Pipeline <name>' (or the construct path outside a pipeline) */
  readonly title?: string;
  /** Grafana folder (annotation `grafana_folder`). @default - none */
  readonly folder?: string;
}

const schema = propsSchema<KafkaDashboardProps>()({
  title: z.string().min(1).optional(),
  folder: z.string().min(1).optional(),
});

/**
 * A Grafana dashboard of the Kafka side of a pipeline (or any scope): the lag of every consumer group its apps and
 * connectors read with, per topic, and the messages per second written to each of its topics, on the same series and
 * selectors as its alerts (`KafkaCluster` prop `metrics`). A {@link GrafanaDashboard} ConfigMap named
 * `<pipeline>-kafka-dashboard`.
 *
 * ```ts
 * new KafkaDashboard(orders, 'dashboard');
 * ```
 */
export class KafkaDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: GrafanaDashboard;

  constructor(scope: Construct, id: string, props: KafkaDashboardProps = {}) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    const group = DataFlowGraph.groupOf(this);
    const panels = [
      ...consumerGroupsUnder(scope).map((g) => ({
        title: `Lag of consumer group ${g.group}`, expr: consumerGroupLagExpr(g.cluster, g.group), legend: `{{${metricsOf(g.cluster).names.lag.topic}}}`,
      })),
      ...scope.node.findAll().filter((c: IConstruct): c is Topic => c instanceof Topic).map((t) => ({
        title: `Messages/s into ${t.topicName}`, expr: topicMessageRateExpr(t.cluster, t.topicName, '5m'), legend: t.topicName, unit: 'ops',
      })),
    ];
    if (panels.length === 0) {
      throw new ValidationError(this, undefined, `nothing under ${scope.node.path} to chart: declare its topics and apps before the dashboard`);
    }
    const base = group?.name ?? toKubernetesName(scope.node.id);
    this.dashboard = new GrafanaDashboard(this, 'Dashboard', {
      name: `${base}-kafka-dashboard`,
      title: p.title ?? (group ? `Pipeline ${group.name}` : scope.node.path),
      tags: ['kafka', ...(group ? [group.name] : [])],
      folder: p.folder,
      panels,
    });
  }
}
