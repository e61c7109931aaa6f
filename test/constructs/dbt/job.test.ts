import { findObject, findObjects, synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { DbtJob, DbtProject } from '../../../constructs/dbt';
import { NetworkPeer, NetworkPort } from '../../../constructs/k8s';
import { Secrets } from '../../../constructs/secrets';
import { errorOf, newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

function analytics(env = newEnv('prod', 'analytics'), extra: Record<string, unknown> = {}) {
  const creds = Secrets.fromExternal(env, 'Warehouse', { store: { name: 'vault', kind: 'ClusterSecretStore' }, keys: { password: 'analytics/warehouse#password' } });
  return new DbtProject(env, 'Analytics', {
    image: 'ghcr.io/acme/analytics-dbt:2024.05.1',
    profile: { name: 'analytics', outputs: { prod: { type: 'postgres', host: 'wh', port: 5432, user: 'dbt', password: creds.envValue('password'), dbname: 'a', schema: 'marts', threads: 4 } } },
    vars: { region: 'eu', lookback_days: 3 },
    egress: [{ peer: NetworkPeer.cidr('10.20.0.0/16'), ports: [NetworkPort.tcp(5432)] }],
    ...extra,
  });
}

describe('DbtProject.job', () => {
  it('made directly, says its project is required, and refuses something else', () => {
    const env = newEnv('prod', 'analytics');
    expect(errorOf(() => new DbtJob(env, 'Orphan', { command: 'build' } as never))).toBe("prod/Orphan, field 'project': is required (a DbtProject)");
    expect(errorOf(() => new DbtJob(env, 'Stray', { command: 'build', project: 'analytics' } as never))).toBe("prod/Stray, field 'project': must be a DbtProject");
  });

  it('is a one-off Job run on every sync: an Argo CD Sync hook with BeforeHookCreation and the Flux force annotation', () => {
    const env = newEnv('prod', 'analytics');
    const job = analytics(env).job('Seed', { command: 'seed', fullRefresh: true, threads: 2 });
    const objects = synthesize(env);
    validateAll(objects);
    const j = findObject(objects, 'Job', 'analytics-seed', 'analytics');
    expect(j.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      'kustomize.toolkit.fluxcd.io/force': 'enabled',
    });
    expect(j.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 7200 });
    const c = j.spec.template.spec.containers[0];
    expect(c.command).toEqual([
      'dbt', 'seed', '--project-dir', '/usr/app/dbt', '--target', 'prod', '--full-refresh', '--threads', '2', '--vars', '{"lookback_days":3,"region":"eu"}',
    ]);
    expect(job.commandLine).toEqual(c.command);
    expect(c.env).toEqual([
      { name: 'DBT_PROFILES_DIR', value: '/dbt/profiles' },
      { name: 'DBT_TARGET_PATH', value: '/dbt/target' },
      { name: 'DBT_LOG_PATH', value: '/dbt/logs' },
      { name: 'DBT_SEND_ANONYMOUS_USAGE_STATS', value: 'false' },
      { name: 'HOME', value: '/tmp' },
      { name: 'DBT_ENV_SECRET_PASSWORD', valueFrom: { secretKeyRef: { name: 'warehouse', key: 'password' } } },
    ]);
    // read-only root filesystem, writable target/ and logs/ on emptyDirs, profiles from the ConfigMap
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000 });
    expect(c.volumeMounts).toEqual([
      { name: 'profiles', mountPath: '/dbt/profiles', readOnly: true },
      { name: 'tmp', mountPath: '/tmp', readOnly: false },
      { name: 'dbt-target', mountPath: '/dbt/target', readOnly: false },
      { name: 'dbt-logs', mountPath: '/dbt/logs', readOnly: false },
    ]);
    expect(j.spec.template.spec.volumes).toContainEqual({ name: 'profiles', configMap: { name: 'analytics-profiles' } });
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1024Mi' } });
    expect(j.spec.template.spec.initContainers).toBeUndefined();
    // the warehouse, and nothing else but DNS
    const np = findObject(objects, 'NetworkPolicy', 'analytics-seed');
    expect(np.spec.egress.map((r: any) => r.to)).toEqual([
      [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      [{ ipBlock: { cidr: '10.20.0.0/16' } }],
    ]);
    expect(findObjects(objects, 'Secret')).toEqual([]);
  });

  it('with a schedule is a CronJob: concurrency Forbid, history limits, a start deadline, the time zone', () => {
    const env = newEnv('prod', 'analytics');
    analytics(env).job('Nightly', { command: 'build', select: ['tag:nightly', 'orders_daily+'], exclude: ['tag:slow'], schedule: '0 2 * * *', timeZone: 'Europe/Berlin', failFast: true });
    const objects = synthesize(env);
    validateAll(objects);
    const cj = findObject(objects, 'CronJob', 'analytics-nightly');
    expect(cj.metadata.annotations).toBeUndefined();
    expect(cj.spec).toMatchObject({
      schedule: '0 2 * * *', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3, startingDeadlineSeconds: 600,
    });
    const pod = cj.spec.jobTemplate.spec.template;
    expect(pod.spec.containers[0].command).toEqual([
      'dbt', 'build', '--project-dir', '/usr/app/dbt', '--target', 'prod',
      '--select', 'tag:nightly', 'orders_daily+', '--exclude', 'tag:slow', '--fail-fast', '--vars', '{"lookback_days":3,"region":"eu"}',
    ]);
    // a new profile rolls the next runs onto it
    expect(pod.metadata.annotations['checksum/dbt-profiles']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('runs dbt deps in an init container into a writable copy of the project, without the warehouse credentials', () => {
    const env = newEnv('prod', 'analytics');
    analytics(env, { packages: true }).job('Build', { command: 'build' });
    const objects = synthesize(env);
    validateAll(objects);
    const spec = findObject(objects, 'Job', 'analytics-build').spec.template.spec;
    const [deps] = spec.initContainers;
    expect(deps.name).toBe('dbt-deps');
    expect(deps.command).toEqual(['sh', '-c', 'cp -R /usr/app/dbt/. /dbt/project/ && exec dbt deps --project-dir /dbt/project']);
    expect(deps.env.map((e: any) => e.name)).not.toContain('DBT_ENV_SECRET_PASSWORD');
    expect(deps.volumeMounts).toContainEqual({ name: 'project', mountPath: '/dbt/project', readOnly: false });
    expect(spec.containers[0].command.slice(0, 4)).toEqual(['dbt', 'build', '--project-dir', '/dbt/project']);
    expect(spec.volumes).toContainEqual({ name: 'project', emptyDir: {} });
    const egress = findObject(objects, 'NetworkPolicy', 'analytics-build').spec.egress;
    expect(egress[2]).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] });
  });

  it('names the construct path and field of a bad option', () => {
    const p = analytics();
    expect(errorOf(() => p.job('Nightly', { command: 'build', schedule: 'every day' })))
      .toBe("prod/Analytics/Nightly, field 'schedule': 'every day' is not a cron schedule: use five fields 'minute hour day-of-month month day-of-week' (e.g. '30 2 * * *') or a macro such as '@daily'");
    expect(errorOf(() => p.job('Fast', { command: 'run', threads: 0 })))
      .toBe("prod/Analytics/Fast, field 'threads': must be at least 1");
    expect(errorOf(() => p.job('Tests', { command: 'test', fullRefresh: true })))
      .toBe("prod/Analytics/Tests, field 'fullRefresh': 'dbt test' has no --full-refresh (only build, run and seed)");
    expect(errorOf(() => p.job('Compile', { command: 'compile' as never })))
      .toBe("prod/Analytics/Compile, field 'command': must be one of 'build', 'run', 'test', 'seed', 'snapshot', 'source freshness'");
    expect(errorOf(() => p.job('Injection', { command: 'run', select: ['x; rm -rf /'] })))
      .toBe("prod/Analytics/Injection, field 'select[0]': is not a dbt selector (no spaces or shell characters)");
    expect(errorOf(() => p.job('Tz', { command: 'run', timeZone: 'UTC' })))
      .toBe("prod/Analytics/Tz, field 'timeZone': only applies with a schedule");
  });

  it("runs 'source freshness' as two words", () => {
    const env = newEnv();
    const j = analytics(env).job('Freshness', { command: 'source freshness', schedule: '*/30 * * * *' });
    expect(j.commandLine.slice(0, 3)).toEqual(['dbt', 'source', 'freshness']);
  });
});
