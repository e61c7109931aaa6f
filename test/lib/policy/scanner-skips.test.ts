import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DataPlatform, Environment, KafkaCluster, Pipeline, Policies, PolicyPacks, StreamingApp, synthesizePlatform, Topic } from 'cdk8s-dataops';
import { findCheckov, runCheckov } from '../../support/checkov';

const REASON = 'vendor registry tags are immutable = reviewed, PAY-123';

function platform(acknowledge: boolean) {
  const p = new DataPlatform({ lineageReports: false });
  Policies.of(p).add(PolicyPacks.recommended());
  const env = new Environment(p, 'prod', { namespace: 'payments' });
  const cluster = KafkaCluster.fromStrimzi(env, 'kafka', { name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093', brokers: 3, credentialsStore: { name: 'strimzi-users', kind: 'ClusterSecretStore' } });
  const pipeline = new Pipeline(env, 'orders', { owner: 'team-payments' });
  const topic = new Topic(pipeline, 'raw', { cluster, topicName: 'payments.orders.v1' });
  const app = new StreamingApp(pipeline, 'app', { image: 'ghcr.io/acme/app:1.0.0', cluster, reads: [topic] });
  if (acknowledge) Policies.acknowledge(app, 'DOP-K8S-006', REASON);
  return synthesizePlatform(p, { policy: 'report', outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'scanner-skips-')) });
}

describe('acknowledgements write the scanners\' skip annotations', () => {
  it('an acknowledged DOP-K8S-006 (production digest) skips Checkov CKV_K8S_43 and CKV_K8S_15 with the reason; unacknowledged, nothing is written', () => {
    const acked = platform(true);
    const deployment = [...acked.files.keys()].find((f) => f.endsWith('deployment.app.yaml'))!;
    const annotations = parse(acked.files.get(deployment)!).metadata.annotations;
    // '=' cannot be in a Checkov reason (Checkov splits the value at '='): written as ':'
    // DOP-K8S-006 maps to CKV_K8S_43 (digest) and CKV_K8S_15 (pull Always); numbered in check-id order
    expect(Object.entries(annotations).filter(([k]) => k.includes('checkov.io') || k.includes('kube-linter'))).toEqual([
      ['checkov.io/skip1', 'CKV_K8S_15=vendor registry tags are immutable : reviewed, PAY-123 (DOP-K8S-006)'],
      ['checkov.io/skip2', 'CKV_K8S_43=vendor registry tags are immutable : reviewed, PAY-123 (DOP-K8S-006)'],
    ]);
    const plain = platform(false);
    const plainAnnotations = parse(plain.files.get([...plain.files.keys()].find((f) => f.endsWith('deployment.app.yaml'))!)!).metadata.annotations ?? {};
    expect(Object.keys(plainAnnotations).filter((k) => k.includes('checkov.io'))).toEqual([]);
  });

  it('a rule judging several fields skips only the checks of the acknowledged field (the token, not the filesystem)', () => {
    const p = new DataPlatform({ lineageReports: false });
    Policies.of(p).add(PolicyPacks.recommended());
    const env = new Environment(p, 'dev', { namespace: 'payments' });
    const secure = { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
    const api = new ApiObject(env, 'scheduler', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'scheduler' },
      spec: { selector: { matchLabels: { app: 's' } }, template: { metadata: { labels: { app: 's' } }, spec: { automountServiceAccountToken: true, containers: [{ name: 's', image: 'ghcr.io/acme/s:1.0.0', securityContext: secure }] } } },
    });
    Policies.acknowledge(api, 'DOP-K8S-002', 'the scheduler starts task pods through the Kubernetes API');
    const s = synthesizePlatform(p, { policy: 'report', outdir: '/nonexistent-scanner-skips' });
    const annotations = parse(s.files.get([...s.files.keys()].find((f) => f.endsWith('deployment.scheduler.yaml'))!)!).metadata.annotations;
    expect(Object.entries(annotations).filter(([k]) => k.includes('checkov.io') || k.includes('kube-linter'))).toEqual([
      ['checkov.io/skip1', 'CKV_K8S_38=the scheduler starts task pods through the Kubernetes API (DOP-K8S-002)'],
      ['ignore-check.kube-linter.io/automount-service-account-token', 'the scheduler starts task pods through the Kubernetes API (DOP-K8S-002)'],
    ]);
  });

  const checkov = findCheckov();
  const needCheckov = !checkov && !process.env.CI;
  it.skipIf(needCheckov)('the real Checkov reports CKV_K8S_43 skipped with our reason when acknowledged, failed when not', () => {
    if (!checkov) throw new Error('checkov is not installed: run bash scripts/ci/ensure-checkov.sh (CI must run this test)');
    const scan = (acknowledge: boolean) => {
      const s = platform(acknowledge);
      s.write();
      return runCheckov(checkov, path.join(s.outdir, 'manifests'));
    };
    const acked = scan(true);
    expect(acked.skipped.filter((r) => r.check_id === 'CKV_K8S_43').map((r) => [r.resource, r.suppress_comment]))
      .toEqual([['Deployment.payments.app', 'vendor registry tags are immutable : reviewed, PAY-123 (DOP-K8S-006)']]);
    expect(acked.failed.filter((r) => r.check_id === 'CKV_K8S_43')).toEqual([]);
    const plain = scan(false);
    expect(plain.failed.filter((r) => r.check_id === 'CKV_K8S_43').map((r) => r.resource)).toEqual(['Deployment.payments.app']);
    expect(plain.skipped).toEqual([]);
  }, 180_000);
});
