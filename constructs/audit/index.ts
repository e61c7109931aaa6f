export { AuditRule } from './audit-rule';
export type { AuditEvent, AuditMsTeamsTarget, AuditPagerDutyTarget, AuditRuleProps, AuditSlackTarget, AuditTarget, AuditWebhookTarget } from './audit-rule';
