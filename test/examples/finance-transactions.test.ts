/** examples/finance-transactions: what its definition promises, read from the dist the real `synth` bin writes. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ExampleDist } from './example-dist';

describe('examples/finance-transactions', () => {
  let dist: ExampleDist;
  beforeAll(() => {
    dist = ExampleDist.synthesize('finance-transactions');
  }, 120_000);

  it('gives each streaming app exactly the ACLs it needs', () => {
    for (const env of ['staging', 'prod']) {
      expect(dist.acls(env, 'enrich')).toEqual([
        'topic:cards.authorisations-enriched.v1:Write+Describe', 'topic:cards.authorisations.v1:Read+Describe', 'group:enrich:Read',
      ]);
      expect(dist.acls(env, 'fraud-score')).toEqual([
        'topic:cards.authorisations-enriched.v1:Read+Describe', 'topic:cards.fraud-scores.v1:Write+Describe', 'group:fraud-score:Read',
        'transactionalId:fraud-score-:Write+Describe',
      ]);
    }
  });

  it('keeps three replicas (min.insync 2) of every prod topic, one in staging', () => {
    const topics = (env: string) => dist.manifests(env).map((m) => m.object).filter((o) => o.kind === 'KafkaTopic');
    expect(topics('prod').map((t) => t.spec.topicName).sort()).toEqual(['cards.authorisations-enriched.v1', 'cards.authorisations.v1', 'cards.fraud-scores.v1']);
    for (const t of topics('prod')) expect([t.spec.replicas, t.spec.config['min.insync.replicas']]).toEqual([3, 2]);
    for (const t of topics('staging')) expect(t.spec.replicas).toBe(1);
  });

  it('writes no secret value: no Secret, and PagerDuty keys and webhooks are references to Secret keys', () => {
    expect(dist.secretLeaks()).toEqual([]);
    const all = dist.files().map((f) => dist.text(f)).join('\n');
    expect(all).not.toMatch(/hooks\.slack\.com|routing_key:\s*\S/);
    const prodRoute = dist.object('manifests/prod/transactions/alertmanagerconfig.oncall.yaml');
    expect(prodRoute.spec.receivers.flatMap((r: any) => r.pagerdutyConfigs ?? []).map((p: any) => p.routingKey)).toEqual([{ name: 'alerting', key: 'pagerduty' }]);
    const staging = dist.object('manifests/staging/transactions/alertmanagerconfig.oncall.yaml');
    expect(staging.spec.receivers.flatMap((r: any) => r.pagerdutyConfigs ?? [])).toEqual([]);
  });

  it('passes the recommended pack in staging and prod: no unacknowledged error, and every acknowledgement has its reason', () => {
    const policy = dist.policy();
    expect([policy.summary.errors, policy.summary.warnings]).toEqual([0, 0]);
    const errors = policy.findings.filter((f) => f.level === 'error');
    expect(errors.filter((f) => !f.acknowledged)).toEqual([]);
    expect([...new Set(errors.map((f) => `${f.environment}:${f.ruleId}`))].sort()).toEqual(['prod:DOP-GOV-002', 'prod:DOP-K8S-002', 'prod:DOP-K8S-006', 'staging:DOP-GOV-002', 'staging:DOP-K8S-002']);
    for (const f of errors) expect(f.acknowledged!.reason.length).toBeGreaterThan(30);
  });

  it('pins the streaming apps by digest in prod, and runs Airflow 3', () => {
    const image = (env: string, app: string) => dist.object(`manifests/${env}/transactions/deployment.${app}.yaml`).spec.template.spec.containers[0].image;
    for (const app of ['enrich', 'fraud-score']) {
      expect(image('prod', app)).toMatch(/:\d+\.\d+\.\d+@sha256:[a-f0-9]{64}$/);
      expect(image('staging', app)).not.toContain('@sha256:');
    }
    expect(image('prod', 'eod-scheduler')).toMatch(/^apache\/airflow:3\./);
  });

  it('shows the chain authorisations → enrich → enriched → fraud-score → scores in the lineage', () => {
    expect(dist.lineageEdges()).toEqual([
      'app:transactions/enrich -> topic:transactions/cards.authorisations-enriched.v1',
      'app:transactions/fraud-score -> topic:transactions/cards.fraud-scores.v1',
      'topic:transactions/cards.authorisations-enriched.v1 -> app:transactions/fraud-score',
      'topic:transactions/cards.authorisations.v1 -> app:transactions/enrich',
    ]);
  });

  it('tells the compliance webhook of every prod delivery and failure (Argo CD), not of staging', () => {
    const annotations = (env: string) => dist.object(`bootstrap/argocd/application.data-platform-${env}.yaml`).metadata.annotations ?? {};
    expect(Object.keys(annotations('prod')).filter((k) => k.startsWith('notifications.argoproj.io/')).sort()).toEqual([
      'notifications.argoproj.io/subscribe.on-deployed.compliance-audit',
      'notifications.argoproj.io/subscribe.on-health-degraded.compliance-audit',
      'notifications.argoproj.io/subscribe.on-sync-failed.compliance-audit',
    ]);
    expect(Object.keys(annotations('staging')).filter((k) => k.startsWith('notifications.argoproj.io/'))).toEqual([]);
  });

  it('is accepted by synth validate --strict-unknown, and the committed dist is up to date', () => {
    expect(dist.validateAndCheck()).toEqual({ validate: [0, ''], check: [0, ''] });
  }, 120_000);
});
