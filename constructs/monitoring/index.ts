export * from './alert-rules';
export * from './alert-route';
export * from './grafana-dashboard';
export { NOTIFICATIONS_REPORT, notificationEntries } from './notifications-report';
export type { INotificationSource, NotificationEntry } from './notifications-report';
export { prometheusDuration } from './prometheus-duration';
