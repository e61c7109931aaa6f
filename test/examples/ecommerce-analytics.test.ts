/** examples/ecommerce-analytics: what its definition promises, read from the dist the real `synth` bin writes. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ExampleDist } from './example-dist';

describe('examples/ecommerce-analytics', () => {
  let dist: ExampleDist;
  beforeAll(() => {
    dist = ExampleDist.synthesize('ecommerce-analytics');
  }, 120_000);

  it('gives the sessionizer, the sink and the Connect workers exactly the ACLs they need', () => {
    for (const env of ['staging', 'prod']) {
      expect(dist.acls(env, 'sessionizer')).toEqual(['topic:shop.clickstream.v1:Read+Describe', 'topic:shop.sessions.v1:Write+Describe', 'group:sessionizer:Read']);
      expect(dist.acls(env, 'to-warehouse-connector')).toEqual(['topic:shop.orders.v1:Read+Describe', 'topic:shop.sessions.v1:Read+Describe', 'group:connect-to-warehouse:Read']);
      // the workers touch their own internal topics only, never the data topics
      expect(dist.acls(env, 'warehouse-connect-connect').filter((a) => a.startsWith('topic:shop.'))).toEqual([]);
    }
  });

  it('keeps three replicas of every prod topic, one in staging', () => {
    const topics = (env: string) => dist.manifests(env).map((m) => m.object).filter((o) => o.kind === 'KafkaTopic');
    expect(topics('prod').length).toBe(6);
    for (const t of topics('prod')) expect(t.spec.replicas).toBe(3);
    for (const t of topics('staging')) expect(t.spec.replicas).toBe(1);
  });

  it('runs dbt hourly (tag:hourly models) and nightly (full build), in Berlin time', () => {
    const cron = (job: string) => dist.object(`manifests/prod/shop-analytics/cronjob.sales-dbt-${job}.yaml`);
    expect([cron('hourly').spec.schedule, cron('hourly').spec.timeZone]).toEqual(['15 * * * *', 'Europe/Berlin']);
    const command = (job: string) => cron(job).spec.jobTemplate.spec.template.spec.containers[0].command.join(' ');
    expect(command('hourly')).toBe('dbt run --project-dir /usr/app/dbt --target prod --select tag:hourly');
    expect([cron('nightly').spec.schedule, command('nightly')]).toEqual(['30 2 * * *', 'dbt build --project-dir /usr/app/dbt --target prod']);
  });

  it('alerts when the clickstream stops or floods (below 10 or above 20,000 messages/s for 15m), routed to Slack', () => {
    const rule = dist.object('manifests/prod/shop-analytics/prometheusrule.shop.clickstream.v1-throughput.yaml');
    const alerts = rule.spec.groups.flatMap((g: any) => g.rules);
    expect(alerts.length).toBe(2);
    for (const a of alerts) expect(a.for).toBe('15m');
    expect(alerts.map((a: any) => a.expr).join('\n')).toMatch(/< 10\b[\s\S]*> 20000\b|> 20000\b[\s\S]*< 10\b/);
    const route = dist.object('manifests/prod/shop-analytics/alertmanagerconfig.analytics-alerts.yaml');
    expect(route.spec.receivers.flatMap((r: any) => r.slackConfigs ?? []).map((s: any) => [s.channel, s.apiURL])).toEqual([
      ['#shop-analytics-alerts', { name: 'alerting', key: 'slack' }],
    ]);
  });

  it('writes no secret value: no Secret, and the sink reads its login through the config provider', () => {
    expect(dist.secretLeaks()).toEqual([]);
    const config = dist.object('manifests/prod/kafka/kafkaconnector.to-warehouse.yaml').spec.config;
    expect(config['connection.password']).toMatch(/^\$\{secrets:shop-analytics\/warehouse-writer:password\}$/);
  });

  it('passes the recommended pack: no unacknowledged error, every acknowledgement reasoned', () => {
    const policy = dist.policy();
    expect([policy.summary.errors, policy.summary.warnings]).toEqual([0, 0]);
    const errors = policy.findings.filter((f) => f.level === 'error');
    expect(errors.filter((f) => !f.acknowledged)).toEqual([]);
    expect([...new Set(errors.map((f) => f.ruleId))].sort()).toEqual(['DOP-K8S-006', 'DOP-KAFKA-012']);
  });

  it('shows clickstream → sessionizer → sessions → warehouse and dbt in the lineage', () => {
    expect(dist.lineageEdges()).toEqual([
      'app:shop-analytics/sessionizer -> topic:shop/shop.sessions.v1',
      'dbt-project:sales-dbt -> dbt:sales-dbt/sales_daily',
      'dbt-project:sales-dbt -> dbt:sales-dbt/sales_hourly',
      'topic:shop/shop.clickstream.v1 -> app:shop-analytics/sessionizer',
      'topic:shop/shop.orders.v1 -> connector:kafka/to-warehouse',
      'topic:shop/shop.orders.v1 -> dbt-project:sales-dbt',
      'topic:shop/shop.sessions.v1 -> connector:kafka/to-warehouse',
      'topic:shop/shop.sessions.v1 -> dbt-project:sales-dbt',
    ]);
  });

  it('is delivered by Flux: a GitRepository and a Kustomization per environment, after Strimzi and External Secrets', () => {
    const k = dist.object('bootstrap/flux/prod/kustomization.data-platform-prod.yaml');
    expect(k.spec.path).toBe('./examples/ecommerce-analytics/dist/manifests/prod');
    expect(k.spec.dependsOn.map((d: any) => d.name)).toEqual(['strimzi', 'external-secrets']);
    expect(dist.files().filter((f) => f.startsWith('bootstrap/')).every((f) => f.startsWith('bootstrap/flux/'))).toBe(true);
  });

  it('is accepted by synth validate --strict-unknown, and the committed dist is up to date', () => {
    expect(dist.validateAndCheck()).toEqual({ validate: [0, ''], check: [0, ''] });
  }, 120_000);
});
