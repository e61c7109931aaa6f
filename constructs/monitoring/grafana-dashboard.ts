import { Construct } from 'constructs';
import { z } from 'zod';
import { ObjectMetadata } from '../../lib/metadata';
import { objectName } from '../../lib/names';
import { propsSchema, validateProps } from '../../lib/validation';
import { ConfigMap } from '../k8s/config-map';

/** One time-series panel of a {@link GrafanaDashboard}. */
export interface GrafanaPanel {
  /** Panel title. */
  readonly title: string;
  /** The PromQL query. */
  readonly expr: string;
  /** Legend of each series, e.g. `{{topic}}`. @default - Grafana's (the series labels) */
  readonly legend?: string;
  /** Grafana unit id, e.g. `short`, `ops` (per second), `s`. @default 'short' */
  readonly unit?: string;
}

/** Props of {@link GrafanaDashboard}. */
export interface GrafanaDashboardProps {
  /** Dashboard title. */
  readonly title: string;
  /** The panels, two per row, in order. */
  readonly panels: readonly GrafanaPanel[];
  /** Dashboard tags. @default - none */
  readonly tags?: readonly string[];
  /** Name of the ConfigMap (and, cut to 40 characters, the dashboard uid). @default - derived from the construct id */
  readonly name?: string;
  /**
   * Grafana folder, as the annotation `grafana_folder` that the dashboard sidecar reads when its `folderAnnotation`
   * is set to it.
   * @default - none (the sidecar's default folder)
   */
  readonly folder?: string;
}

const schema = propsSchema<GrafanaDashboardProps>()({
  title: z.string().trim().min(1),
  panels: z.array(z.object({ title: z.string().min(1), expr: z.string().min(1), legend: z.string().optional(), unit: z.string().optional() }).strict())
    .min(1, 'give at least one panel'),
  tags: z.array(z.string().min(1)).optional(),
  name: z.string().optional(),
  folder: z.string().min(1).optional(),
});

/** The label Grafana's dashboard sidecar (kube-prometheus-stack, the Grafana Helm chart) looks for by default. */
export const GRAFANA_DASHBOARD_LABEL = 'grafana_dashboard';

/**
 * A Grafana dashboard provisioned by the dashboard sidecar: a ConfigMap labelled `grafana_dashboard: "1"` holding the
 * dashboard JSON (`<name>.json`). Its panels query a Prometheus data source chosen with the dashboard's `datasource`
 * variable. The JSON is written with keys in a fixed order, so identical input gives identical bytes.
 */
export class GrafanaDashboard extends Construct {
  /** The dashboard JSON model. */
  public readonly dashboard: Readonly<Record<string, unknown>>;
  /** The ConfigMap. */
  public readonly configMap: ConfigMap;

  constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    const name = objectName(this, p.name);
    const datasource = { type: 'prometheus', uid: '${datasource}' };
    this.dashboard = {
      title: p.title,
      uid: name.slice(0, 40),
      tags: [...(p.tags ?? [])],
      editable: false,
      schemaVersion: 39,
      time: { from: 'now-6h', to: 'now' },
      templating: { list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus' }] },
      panels: p.panels.map((panel, i) => ({
        id: i + 1,
        type: 'timeseries',
        title: panel.title,
        datasource,
        gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
        fieldConfig: { defaults: { unit: panel.unit ?? 'short' }, overrides: [] },
        targets: [{ refId: 'A', datasource, expr: panel.expr, ...(panel.legend ? { legendFormat: panel.legend } : {}) }],
      })),
    };
    ObjectMetadata.of(this).addLabel(GRAFANA_DASHBOARD_LABEL, '1');
    this.configMap = new ConfigMap(this, 'ConfigMap', {
      name,
      data: { [`${name}.json`]: `${JSON.stringify(this.dashboard, undefined, 2)}\n` },
      annotations: p.folder ? { grafana_folder: p.folder } : undefined,
    });
  }
}
