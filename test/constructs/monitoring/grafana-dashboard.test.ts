import { describe, expect, it } from 'vitest';
import { DataPlatform, Environment, GrafanaDashboard } from 'cdk8s-dataops';
import { findObjects } from 'cdk8s-dataops/testing';
import { validateAll } from '../support/schema';

describe('GrafanaDashboard', () => {
  it('is a ConfigMap with the sidecar label, the folder annotation and the dashboard JSON, two panels a row', () => {
    const env = new Environment(new DataPlatform(), 'prod', { namespace: 'payments' });
    new GrafanaDashboard(env, 'orders', {
      title: 'Orders', tags: ['kafka'], folder: 'Payments',
      panels: [{ title: 'Errors', expr: 'rate(errors_total[5m])' }, { title: 'In', expr: 'rate(in_total[5m])', legend: '{{topic}}', unit: 'ops' }, { title: 'Up', expr: 'up' }],
    });
    const [cm] = findObjects(env, 'ConfigMap');
    validateAll([cm]);
    expect(cm.metadata).toMatchObject({ name: 'orders', namespace: 'payments', labels: { grafana_dashboard: '1' }, annotations: { grafana_folder: 'Payments' } });
    const dashboard = JSON.parse(cm.data['orders.json']);
    expect(dashboard).toMatchObject({ title: 'Orders', uid: 'orders', tags: ['kafka'], templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }] } });
    expect(dashboard.panels.map((p: any) => [p.id, p.title, p.gridPos, p.fieldConfig.defaults.unit, p.targets[0].expr, p.targets[0].legendFormat])).toEqual([
      [1, 'Errors', { h: 8, w: 12, x: 0, y: 0 }, 'short', 'rate(errors_total[5m])', undefined],
      [2, 'In', { h: 8, w: 12, x: 12, y: 0 }, 'ops', 'rate(in_total[5m])', '{{topic}}'],
      [3, 'Up', { h: 8, w: 12, x: 0, y: 8 }, 'short', 'up', undefined],
    ]);
    expect(dashboard.panels[0].datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
  });

  it('refuses a dashboard without panels', () => {
    const env = new Environment(new DataPlatform(), 'prod');
    expect(() => new GrafanaDashboard(env, 'x', { title: 'X', panels: [] })).toThrow(/prod\/x, field 'panels': give at least one panel/);
  });
});
