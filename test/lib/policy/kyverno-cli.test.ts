import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { DataPlatform, Environment, KafkaCluster, Pipeline, Policies, PolicyPacks, StreamingApp, synthesizePlatform, Topic } from 'cdk8s-dataops';
import { kyvernoClusterPolicies } from '../../../lib/policy/kyverno';
import { toYaml } from '../../../lib/synthesizer/yaml';

/**
 * The ClusterPolicies judge like the synth-time rules: the real Kyverno CLI (built from the Go module proxy by
 * scripts/ci/ensure-kyverno.sh, cached in .cache/kyverno/<version>/) applies them to the objects synth produced, and
 * fails exactly the (rule, object) pairs the rules report.
 */
const REPO = path.join(__dirname, '../../..');
function findKyverno(): string | undefined {
  if (process.env.KYVERNO_BIN && fs.existsSync(process.env.KYVERNO_BIN)) return process.env.KYVERNO_BIN;
  const cache = path.join(REPO, '.cache/kyverno');
  if (!fs.existsSync(cache)) return undefined;
  return fs.readdirSync(cache).sort().reverse().map((v) => path.join(cache, v, 'kyverno')).find((b) => fs.existsSync(b));
}

const DIGEST = `@sha256:${'a'.repeat(64)}`;

function fixture() {
  const platform = new DataPlatform({ lineageReports: false });
  const pack = PolicyPacks.recommended();
  Policies.of(platform).add(pack);
  const prod = new Environment(platform, 'prod', { namespace: 'payments' });
  const cluster = KafkaCluster.fromStrimzi(prod, 'kafka', { name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093', brokers: 3, credentialsStore: { name: 'strimzi-users', kind: 'ClusterSecretStore' } });
  const orders = new Pipeline(prod, 'orders', { owner: 'team-payments' });
  const topic = new Topic(orders, 'raw', { cluster, topicName: 'payments.orders.v1' });
  new Topic(orders, 'thin', { cluster, topicName: 'payments.thin.v1', replicas: 1 });
  new Topic(prod, 'orphan', { cluster, topicName: 'payments.orphan.v1' });
  new StreamingApp(orders, 'pinned', { image: `ghcr.io/acme/app:1.0.0${DIGEST}`, cluster, reads: [topic] });
  new StreamingApp(orders, 'tagged', { image: 'ghcr.io/acme/app:1.0.0', cluster, reads: [topic] });
  new ApiObject(orders, 'legacy', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'legacy', annotations: { 'dataops.cdk8s.io/owner': 'team-payments' } },
    spec: { selector: { matchLabels: { app: 'legacy' } }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'web', image: 'nginx:latest' }] } } },
  });
  return { platform, pack };
}

const kyverno = findKyverno();

describe.skipIf(!kyverno && !process.env.CI)('kyverno apply agrees with the synth-time rules', () => {
  it('fails exactly the objects the rules report, per rule', () => {
    if (!kyverno) throw new Error('the Kyverno CLI is not built: run bash scripts/ci/ensure-kyverno.sh');
    const { platform, pack } = fixture();
    const synthesis = synthesizePlatform(platform, { policy: 'report', outdir: '/nonexistent-kyverno-cli-test' });
    const policies = kyvernoClusterPolicies(pack, { production: 'all' });
    const mapped = new Set(policies.map((p) => p.metadata.annotations!['dataops.cdk8s.io/rule']));
    const judged = synthesis.objects.filter((o) => ['Deployment', 'KafkaTopic', 'Job', 'CronJob'].includes(o.object.kind));

    // What synth says: (rule, kind/name) for every finding of a rule that has a Kyverno form.
    const bySynth = new Set(synthesis.policy.findings.filter((f) => mapped.has(f.ruleId) && f.object && judged.some((o) => o.file === f.object!.file))
      .map((f) => `${f.ruleId.toLowerCase()} ${f.object!.kind}/${f.object!.name}`));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyverno-cli-'));
    fs.writeFileSync(path.join(dir, 'policies.yaml'), policies.map((p) => toYaml(p)).join('---\n'));
    fs.writeFileSync(path.join(dir, 'resources.yaml'), judged.map((o) => toYaml(o.object)).join('---\n'));
    const run = spawnSync(kyverno, ['apply', path.join(dir, 'policies.yaml'), '--resource', path.join(dir, 'resources.yaml'), '--policy-report'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const start = run.stdout.indexOf('apiVersion:');
    expect(start, `kyverno apply printed no report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`).toBeGreaterThanOrEqual(0);
    const reports = parseAllDocuments(run.stdout.slice(start)).map((d) => d.toJS()).filter((d) => d && Array.isArray(d.results)); // openreports.io ClusterReport (Kyverno 1.19), or a wgpolicyk8s PolicyReport
    const results = reports.flatMap((r: any) => r.results ?? []);
    const byKyverno = new Set(results.filter((r: any) => r.result === 'fail').flatMap((r: any) => (r.resources ?? []).map((res: any) => `${r.policy} ${res.kind}/${res.name}`)));
    const passedSomewhere = results.filter((r: any) => r.result === 'pass').length;

    expect(passedSomewhere).toBeGreaterThan(0);
    // The fixture has violations of every mapped rule, and compliant objects for each.
    expect([...bySynth].map((s) => s.split(' ')[0]).sort().filter((v, i, a) => a.indexOf(v) === i)).toEqual(['dop-k8s-002', 'dop-k8s-005', 'dop-k8s-006', 'dop-kafka-010', 'dop-pipeline-002']);
    expect([...byKyverno].sort()).toEqual([...bySynth].sort());
  }, 300_000);
});
