import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import {
  Compatibility, DataPlatform, Environment, KafkaCluster, KafkaConnect, KafkaConnector, Pipeline, Schema, SchemaRegistry,
  StreamingApp, synthesizePlatform, Topic,
} from 'cdk8s-dataops';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { GitOps } from '../../../constructs/gitops';
import { declareStrimziDelivery } from '../../../constructs/kafka/strimzi-object';
import { crdProblems } from './crd-schema';
import { fileObject, filesUnder, REPO, synth, tmpdir } from './support';

/** A platform like a user's: two environments with Kafka objects, a workload, a one-shot Job. */
function platform(): { platform: DataPlatform; dev: Environment; prod: Environment } {
  const p = new DataPlatform();
  const dev = new Environment(p, 'dev');
  const prod = new Environment(p, 'prod', { namespace: 'payments' });
  declareStrimziDelivery(p); // what the Kafka constructs declare for the raw KafkaTopics below
  for (const env of [dev, prod]) {
    new ApiObject(env, 'orders', {
      apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic',
      metadata: { annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' } },
    });
    new ApiObject(env, 'api', { apiVersion: 'apps/v1', kind: 'Deployment' });
    new ApiObject(env, 'migrate', { apiVersion: 'batch/v1', kind: 'Job' });
  }
  return { platform: p, dev, prod };
}

/** A Git working tree (just a `.git` folder) with the platform's output at `<repo>/dist`. */
function repoWithOutdir(): { repo: string; outdir: string } {
  const repo = tmpdir();
  fs.mkdirSync(path.join(repo, '.git'));
  return { repo, outdir: path.join(repo, 'dist') };
}

function readAll(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else out.set(path.relative(dir, abs).split(path.sep).join('/'), fs.readFileSync(abs, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('GitOps end to end', () => {
  it('writes Argo CD and Flux bootstrap objects beside the manifests, never into them', () => {
    const { platform: p } = platform();
    new GitOps(p, { repoURL: REPO, tool: 'both' });
    const { repo, outdir } = repoWithOutdir();
    const result = synthesizePlatform(p, { outdir }).write();
    const files = readAll(outdir);

    expect(filesUnder({ files }, 'bootstrap')).toEqual([
      'bootstrap/argocd/application.data-platform-dev.yaml',
      'bootstrap/argocd/application.data-platform-prod.yaml',
      'bootstrap/argocd/appproject.data-platform-dev.yaml',
      'bootstrap/argocd/appproject.data-platform-prod.yaml',
      'bootstrap/flux/dev/gitrepository.data-platform.yaml',
      'bootstrap/flux/dev/kustomization.data-platform-dev.yaml',
      'bootstrap/flux/prod/gitrepository.data-platform.yaml',
      'bootstrap/flux/prod/kustomization.data-platform-prod.yaml',
    ]);
    expect(result.written).toContain('bootstrap/argocd/application.data-platform-prod.yaml');

    const bootstrapKinds = new Set(['Application', 'ApplicationSet', 'AppProject', 'GitRepository', 'Kustomization']);
    for (const [file, text] of files) {
      if (!file.endsWith('.yaml')) continue;
      const docs = parseAllDocuments(text).map((d) => d.toJS());
      expect(docs, file).toHaveLength(1);
      if (file.startsWith('manifests/')) {
        expect(bootstrapKinds.has(docs[0].kind), `${file} is a bootstrap object inside the watched folder`).toBe(false);
      } else {
        expect(file.startsWith('bootstrap/')).toBe(true);
        expect(crdProblems(docs[0]), file).toEqual([]);
      }
    }

    // Every bootstrap object points at a folder that exists in the repository.
    for (const env of ['dev', 'prod']) {
      const app = fileObject({ files }, `bootstrap/argocd/application.data-platform-${env}.yaml`);
      expect(app.spec.source.path).toBe(`dist/manifests/${env}`);
      expect(fs.statSync(path.join(repo, app.spec.source.path)).isDirectory()).toBe(true);
      const k = fileObject({ files }, `bootstrap/flux/${env}/kustomization.data-platform-${env}.yaml`);
      expect(fs.statSync(path.join(repo, k.spec.path)).isDirectory()).toBe(true);
    }
  });

  it('orders the manifests: waves by class, hooks for Jobs, Prune=false kept', () => {
    const { platform: p } = platform();
    new GitOps(p, { repoURL: REPO, tool: 'both', path: 'dist' });
    const s = synth(p);
    const file = (kind: string, name: string) => fileObject(s, s.objects.find((o) => o.environment === 'prod' && o.object.kind === kind && o.object.metadata.name === name)!.file);
    expect(file('KafkaTopic', 'orders').metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Prune=false', 'argocd.argoproj.io/sync-wave': '0',
    });
    expect(file('Deployment', 'api').metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '10' });
    expect(file('Job', 'migrate').metadata.annotations).toMatchObject({
      'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation', 'kustomize.toolkit.fluxcd.io/force': 'enabled',
    });
  });

  it('derives one AppProject per environment from what it contains', () => {
    const { platform: p, prod } = platform();
    new ApiObject(prod, 'reader', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', rules: [] });
    const gitops = new GitOps(p, { repoURL: REPO, tool: 'argocd', path: 'dist' });
    const s = synth(p);
    const devProject = fileObject(s, gitops.projects.dev.file);
    const prodProject = fileObject(s, gitops.projects.prod.file);
    expect(devProject.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace', name: 'dev' }]);
    expect(prodProject.spec.clusterResourceWhitelist).toEqual([
      { group: '', kind: 'Namespace', name: 'payments' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' },
    ]);
    expect(fileObject(s, gitops.application('prod').file).spec.project).toBe('data-platform-prod');
  });

  it('writes one ApplicationSet and one project with argocd.applicationSet', () => {
    const { platform: p } = platform();
    const gitops = new GitOps(p, { repoURL: REPO, tool: 'argocd', path: 'dist', name: 'payments', argocd: { applicationSet: true } });
    const s = synth(p);
    expect(filesUnder(s, 'bootstrap')).toEqual(['bootstrap/argocd/applicationset.payments.yaml', 'bootstrap/argocd/appproject.payments.yaml']);
    const set = fileObject(s, gitops.applicationSet!.file);
    expect(set.spec.template.spec.project).toBe('payments');
    expect(set.spec.generators[0].git.directories).toEqual([{ path: 'dist/manifests/*' }]);
    // prod's namespace differs from its name
    expect(set.spec.templatePatch).toContain('namespace: "payments"');
    expect(() => gitops.application('prod')).toThrow(/no Application per environment/);
  });

  it('writes only Flux objects for tool flux, with dependencies on operators', () => {
    const { platform: p } = platform();
    const gitops = new GitOps(p, { repoURL: REPO, tool: 'flux', path: 'dist', flux: { dependsOn: ['strimzi'], interval: '5m' } });
    const s = synth(p);
    expect(filesUnder(s, 'bootstrap/argocd')).toEqual([]);
    const k = fileObject(s, gitops.kustomizations.prod.file);
    expect(k.spec.dependsOn).toEqual([{ name: 'strimzi' }]);
    expect(k.spec.interval).toBe('5m');
    // No Argo CD annotations on the manifests, but Jobs are forced.
    const job = s.objects.find((o) => o.object.kind === 'Job')!.object;
    expect(job.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/force': 'enabled' });
    expect(() => gitops.application('prod')).toThrow(/no Argo CD Application for environment 'prod' \(tool 'flux'/);
  });

  it('delivers only the listed environments', () => {
    const { platform: p, prod } = platform();
    new GitOps(p, { repoURL: REPO, tool: 'argocd', path: 'dist', environments: [prod] });
    const s = synth(p);
    expect(filesUnder(s, 'bootstrap')).toEqual(['bootstrap/argocd/application.data-platform-prod.yaml', 'bootstrap/argocd/appproject.data-platform-prod.yaml']);
    const devDeployment = s.objects.find((o) => o.environment === 'dev' && o.object.kind === 'Deployment')!.object;
    expect(devDeployment.metadata.annotations).toBeUndefined();
  });

  it('fails synthesis when an environment is defined after GitOps', () => {
    const p = new DataPlatform();
    new Environment(p, 'dev');
    new GitOps(p, { repoURL: REPO, tool: 'argocd', path: 'dist' });
    new Environment(p, 'prod');
    expect(() => synth(p)).toThrow(/GitOps: environment 'prod' was defined after GitOps and is not delivered/);
  });

  it('rejects bad props with the construct path and field', () => {
    const p = new DataPlatform();
    expect(() => new GitOps(p, { repoURL: REPO, tool: 'argocd' })).toThrow(/GitOps, field 'environments': there is no environment/);
    new Environment(p, 'prod');
    expect(() => new GitOps(p, 'A', { repoURL: REPO, tool: 'argo' as never })).toThrow(/A, field 'tool'/);
    expect(() => new GitOps(p, 'B', { repoURL: REPO, tool: 'argocd', argocd: { clusters: { staging: {} } } })).toThrow(/B, field 'argocd.clusters.staging'/);
    expect(() => new GitOps(p, 'C', { repoURL: REPO, tool: 'flux', flux: { interval: 'often' } })).toThrow(/C, field 'flux.interval'/);
  });

  it('is deterministic: a second synthesis writes nothing', () => {
    const build = () => {
      const { platform: p } = platform();
      new GitOps(p, { repoURL: REPO, tool: 'both', path: 'dist' });
      return p;
    };
    const outdir = path.join(tmpdir(), 'dist');
    synthesizePlatform(build(), { outdir }).write();
    const again = synthesizePlatform(build(), { outdir });
    expect(again.compare().upToDate).toBe(true);
    expect(again.write().written).toEqual([]);
  });
});

describe('GitOps over real domain constructs', () => {
  it('orders and confines a pipeline with topics, a schema, a streaming app and a connector', () => {
    const p = new DataPlatform();
    const prod = new Environment(p, 'prod', { namespace: 'payments' });
    const cluster = KafkaCluster.fromStrimzi(prod, 'kafka', {
      name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093',
      credentialsStore: { name: 'strimzi-users', kind: 'ClusterSecretStore' },
    });
    const registry = SchemaRegistry.fromUrl(prod, 'registry', { url: 'http://schema-registry.kafka:8081' });
    const orders = new Pipeline(prod, 'orders', { owner: 'team-payments' });
    const raw = new Topic(orders, 'raw', { cluster, topicName: 'payments.orders.v1' });
    const enriched = new Topic(orders, 'enriched', { cluster, topicName: 'payments.orders-enriched.v1' });
    new Schema(orders, 'raw-value', {
      registry, topic: raw, compatibility: Compatibility.BACKWARD,
      definition: { type: 'record', name: 'Order', fields: [{ name: 'id', type: 'string' }] },
    });
    new StreamingApp(orders, 'enricher', { image: 'ghcr.io/acme/orders-enricher:2.3.1', cluster, reads: [raw], writes: [enriched], port: 8080 });
    const connect = new KafkaConnect(orders, 'warehouse', { cluster, image: 'ghcr.io/acme/connect-jdbc:4.1.0-1' });
    new KafkaConnector(orders, 'to-warehouse', { connect, class: 'io.confluent.connect.jdbc.JdbcSinkConnector', reads: [enriched], config: {} });
    const gitops = new GitOps(p, { repoURL: REPO, tool: 'both', path: 'dist' });
    const s = synth(p);

    const waves = new Map<string, Set<string>>();
    for (const { object } of s.objects) {
      const a = object.metadata.annotations ?? {};
      const wave = a['argocd.argoproj.io/hook'] ? `hook:${a['argocd.argoproj.io/hook']}` : a['argocd.argoproj.io/sync-wave'] ?? 'none';
      waves.set(object.kind, (waves.get(object.kind) ?? new Set()).add(wave));
    }
    const waveOf = (kind: string) => [...(waves.get(kind) ?? [])];
    expect(waveOf('KafkaTopic')).toEqual(['0']);
    expect(waveOf('KafkaUser')).toEqual(['0']);
    // The app's credentials are copied from its KafkaUser's Secret: after the user, before the app.
    expect(waveOf('ExternalSecret')).toEqual(['1']);
    expect(waveOf('KafkaConnect')).toEqual(['5']);
    expect(waveOf('KafkaConnector')).toEqual(['5']);
    expect(waveOf('Deployment')).toEqual(['10']);
    expect(waveOf('Job')).toEqual(['hook:Sync']); // the schema registration hook keeps its own annotations
    // Topics keep their protection from pruning.
    for (const { object } of s.objects.filter((o) => o.object.kind === 'KafkaTopic')) {
      expect(object.metadata.annotations!['argocd.argoproj.io/sync-options']).toBe('Prune=false');
    }

    const project = fileObject(s, gitops.projects.prod.file);
    const allowed = project.spec.namespaceResourceWhitelist.map((g: { group: string; kind: string }) => `${g.group}/${g.kind}`);
    const present = [...new Set(s.objects.filter((o) => o.object.metadata.namespace).map((o) => `${o.object.apiVersion.includes('/') ? o.object.apiVersion.split('/')[0] : ''}/${o.object.kind}`))].sort();
    expect(allowed).toEqual(present);
    expect(allowed).toContain('kafka.strimzi.io/KafkaTopic');
    expect(project.spec.destinations.map((d: { namespace: string }) => d.namespace)).toEqual(
      [...new Set(['payments', ...s.objects.map((o) => o.object.metadata.namespace).filter((n): n is string => !!n)])].sort());
    expect(crdProblems(project)).toEqual([]);
  });
});
