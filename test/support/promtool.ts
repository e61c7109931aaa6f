/**
 * Runs Prometheus's own rule checker and unit tester, `promtool`, built from source by scripts/ci/ensure-promtool.sh
 * (Go module proxy, cached in .cache/promtool/<module version>/). Tests hand it the rule groups our constructs
 * generate, exactly as the Prometheus Operator hands `spec.groups` of a PrometheusRule to Prometheus.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const cached = new Map<string, string>();

function toolPath(tool: 'promtool' | 'amtool'): string {
  const known = cached.get(tool);
  if (known) return known;
  const out = execFileSync('bash', [path.join(ROOT, 'scripts/ci/ensure-promtool.sh'), tool], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const bin = out.trim().split('\n').pop()!;
  if (!fs.existsSync(bin)) throw new Error(`ensure-promtool.sh printed '${bin}', which does not exist`);
  cached.set(tool, bin);
  return bin;
}

/** The promtool binary (built on first use: a few minutes once, then cached). */
export function promtoolPath(): string {
  return toolPath('promtool');
}

/** Alertmanager's amtool binary (built on first use, then cached). */
export function amtoolPath(): string {
  return toolPath('amtool');
}

/** What one promtool run returned. */
export interface PromtoolResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, for assertion messages. */
  readonly output: string;
}

/** Runs `promtool <args>` in `cwd`. */
export function promtool(args: readonly string[], cwd: string): PromtoolResult {
  const r = spawnSync(promtoolPath(), [...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}${r.stderr}` };
}

/** A PrometheusRule-like object (what our constructs synthesize). */
interface RuleObject { readonly kind: string; readonly [key: string]: any }

/** A temporary folder holding `rules.yaml` (the groups of the given PrometheusRules, as one Prometheus rule file). */
export function writeRuleFile(objects: readonly RuleObject[]): { readonly dir: string; readonly file: string } {
  const groups = objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => o.spec.groups);
  if (groups.length === 0) throw new Error('no PrometheusRule among the objects');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataops-promtool-'));
  const file = path.join(dir, 'rules.yaml');
  fs.writeFileSync(file, stringify({ groups }));
  return { dir, file };
}

/**
 * One `alert_rule_test` case of a promtool unit test: at `evalTime`, exactly `alerts` fire for `alertname`, each with
 * exactly these labels and annotations (promtool compares both in full; no annotations means none expected).
 */
export interface AlertExpectation {
  readonly evalTime: string;
  readonly alertname: string;
  readonly alerts: readonly { readonly labels: Readonly<Record<string, string>>; readonly annotations: Readonly<Record<string, string>> }[];
}

/** Input series of a promtool unit test: `{ series: 'metric{a="b"}', values: '0+10x30' }` (promtool's expanding notation). */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/**
 * Writes a promtool unit-test file next to `rules.yaml` and runs `promtool test rules` on it
 * (https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/).
 */
export function testRules(dir: string, test: { readonly interval: string; readonly series: readonly InputSeries[]; readonly expect: readonly AlertExpectation[] }): PromtoolResult {
  const file = path.join(dir, `test-${fs.readdirSync(dir).length}.yaml`);
  fs.writeFileSync(file, stringify({
    rule_files: ['rules.yaml'],
    evaluation_interval: '1m',
    tests: [{
      interval: test.interval,
      input_series: test.series.map((s) => ({ series: s.series, values: s.values })),
      alert_rule_test: test.expect.map((e) => ({
        eval_time: e.evalTime, alertname: e.alertname,
        exp_alerts: e.alerts.map((a) => ({ exp_labels: a.labels, exp_annotations: a.annotations })),
      })),
    }],
  }));
  return promtool(['test', 'rules', path.basename(file)], dir);
}

/** One `promql_expr_test` case: at `evalTime`, `expr` returns exactly `samples` (labels as PromQL `{a="b"}`). */
export interface ExprExpectation {
  readonly expr: string;
  readonly evalTime: string;
  readonly samples: readonly { readonly labels: string; readonly value: number }[];
}

/** Runs `promtool test rules` with PromQL expression tests only (no rule file), e.g. for dashboard queries. */
export function testExpressions(test: { readonly interval: string; readonly series: readonly InputSeries[]; readonly expect: readonly ExprExpectation[] }): PromtoolResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataops-promtool-'));
  fs.writeFileSync(path.join(dir, 'test.yaml'), stringify({
    rule_files: [],
    evaluation_interval: '1m',
    tests: [{
      interval: test.interval,
      input_series: test.series.map((s) => ({ series: s.series, values: s.values })),
      promql_expr_test: test.expect.map((e) => ({ expr: e.expr, eval_time: e.evalTime, exp_samples: e.samples.map((s) => ({ labels: s.labels, value: s.value })) })),
    }],
  }));
  return promtool(['test', 'rules', 'test.yaml'], dir);
}

/** An AlertmanagerConfig as our constructs synthesize it (the fields the operator's routing uses). */
interface AlertmanagerConfigObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: { readonly route: { readonly receiver: string; readonly groupBy?: string[]; readonly matchers?: { name: string; value: string; matchType?: string }[] } };
  readonly [key: string]: any;
}

/**
 * The Alertmanager routing tree the Prometheus Operator generates from AlertmanagerConfigs with its default
 * `alertmanagerConfigMatcherStrategy: OnNamespace`, as its own golden test files show
 * (pkg/alertmanager/testdata/CR_with_Pagerduty_Receiver.golden): a root route to receiver "null", and per
 * AlertmanagerConfig a child route to `<namespace>/<name>/<receiver>` whose first matcher is `namespace="<namespace>"`,
 * then the route's own matchers, with `continue: true`. Receivers are left without integrations: routing only.
 */
export function operatorAlertmanagerConfig(objects: readonly AlertmanagerConfigObject[]): string {
  const amcs = objects.filter((o) => o.kind === 'AlertmanagerConfig');
  const receiver = (o: AlertmanagerConfigObject) => `${o.metadata.namespace}/${o.metadata.name}/${o.spec.route.receiver}`;
  return stringify({
    route: {
      receiver: 'null',
      routes: amcs.map((o) => ({
        receiver: receiver(o),
        ...(o.spec.route.groupBy ? { group_by: o.spec.route.groupBy } : {}),
        matchers: [`namespace="${o.metadata.namespace}"`, ...(o.spec.route.matchers ?? []).map((m) => `${m.name}${m.matchType ?? '='}${JSON.stringify(m.value)}`)],
        continue: true,
      })),
    },
    receivers: [{ name: 'null' }, ...amcs.map((o) => ({ name: receiver(o) }))],
  });
}

/**
 * The receivers Alertmanager's own routing code picks for an alert with these labels
 * (`amtool config routes test`), in the given Alertmanager configuration.
 */
export function alertmanagerReceivers(config: string, labels: Readonly<Record<string, string>>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataops-amtool-'));
  fs.writeFileSync(path.join(dir, 'alertmanager.yaml'), config);
  const check = spawnSync(amtoolPath(), ['check-config', 'alertmanager.yaml'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  if (check.status !== 0) throw new Error(`amtool check-config failed:\n${check.stdout}${check.stderr}`);
  const args = ['config', 'routes', 'test', '--config.file=alertmanager.yaml', ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)];
  const r = spawnSync(amtoolPath(), args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`amtool config routes test failed:\n${r.stdout}${r.stderr}`);
  return r.stdout.trim().split(',').map((x) => x.trim()).filter((x) => x.length > 0).sort();
}
