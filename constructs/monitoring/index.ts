export { AlertRules } from './alert-rules';
export type { AlertDefinition, AlertRulesProps, AlertSeverity, PrometheusAlertingRule } from './alert-rules';
export * from './alert-route';
export { GrafanaDashboard } from './grafana-dashboard';
export type { GrafanaDashboardProps, GrafanaPanel } from './grafana-dashboard';
export type { INotificationSource, NotificationEntry } from './notifications-report';
