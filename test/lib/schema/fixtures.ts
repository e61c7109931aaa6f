import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach } from 'vitest';
import { toYaml } from '../../../lib/synthesizer/yaml';

// Valid Kubernetes objects of the kinds the bundled CRDs and Kubernetes define, for the schema and consumer tests.
// Each is what a real cluster with the operator installed accepts.

export const configMap = {
  apiVersion: 'v1', kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'payments', labels: { 'app.kubernetes.io/name': 'settings' } },
  data: { tier: 'gold' },
};

export const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'orders-api', namespace: 'payments' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'orders-api' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'orders-api' } },
      spec: {
        automountServiceAccountToken: false,
        containers: [{
          name: 'api', image: 'ghcr.io/example/orders-api:1.4.2',
          ports: [{ containerPort: 8080, name: 'http' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 1, memory: '256Mi' } },
          securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
        }],
      },
    },
  },
};

export const kafkaTopic = {
  apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic',
  metadata: {
    name: 'payments.orders.v1', namespace: 'payments',
    labels: { 'strimzi.io/cluster': 'main' },
    annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
  },
  spec: { partitions: 12, replicas: 3, config: { 'retention.ms': 604800000, 'cleanup.policy': 'delete' } },
};

export const kafkaUser = {
  apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaUser',
  metadata: { name: 'orders-api', namespace: 'payments', labels: { 'strimzi.io/cluster': 'main' } },
  spec: {
    authentication: { type: 'tls' },
    authorization: {
      type: 'simple',
      acls: [{ resource: { type: 'topic', name: 'payments.orders.v1', patternType: 'literal' }, operations: ['Read', 'Describe'] }],
    },
  },
};

export const externalSecret = {
  apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret',
  metadata: { name: 'orders-db', namespace: 'payments' },
  spec: {
    refreshInterval: '1h',
    secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
    target: { name: 'orders-db', creationPolicy: 'Owner' },
    data: [{ secretKey: 'password', remoteRef: { key: 'payments/orders-db', property: 'password' } }],
  },
};

export const argoApplication = {
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
  metadata: { name: 'payments-prod', namespace: 'argocd' },
  spec: {
    project: 'default',
    source: { repoURL: 'https://git.example.com/platform.git', path: 'dist/manifests/prod', targetRevision: 'main', directory: { recurse: true } },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'payments' },
    syncPolicy: { automated: { prune: true, selfHeal: true } },
  },
};

export const fluxKustomization = {
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization',
  metadata: { name: 'payments-prod', namespace: 'flux-system' },
  spec: { interval: '10m', path: './dist/manifests/prod', prune: true, sourceRef: { kind: 'GitRepository', name: 'platform' } },
};

export const prometheusRule = {
  apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule',
  metadata: { name: 'orders-lag', namespace: 'payments' },
  spec: { groups: [{ name: 'lag', rules: [{ alert: 'OrdersLag', expr: 'sum(kafka_consumergroup_lag) > 1000', for: '10m', labels: { severity: 'page' } }] }] },
};

export const serviceMonitor = {
  apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor',
  metadata: { name: 'orders-api', namespace: 'payments' },
  spec: { selector: { matchLabels: { app: 'orders-api' } }, endpoints: [{ port: 'http', interval: '30s', targetPort: 8080 }] },
};

export const sealedSecret = {
  apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret',
  metadata: { name: 'token', namespace: 'payments' },
  spec: { encryptedData: { token: 'AgBy8hCi...' }, template: { metadata: { name: 'token' } } },
};

export const clusterPolicy = {
  apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy',
  metadata: { name: 'require-owner' },
  spec: {
    validationFailureAction: 'Enforce',
    rules: [{
      name: 'owner-label',
      match: { any: [{ resources: { kinds: ['KafkaTopic'] } }] },
      validate: { message: 'an owner label is required', pattern: { metadata: { labels: { owner: '?*' } } } },
    }],
  },
};

/** All of the above. */
export const validObjects: Record<string, unknown>[] = [
  configMap, deployment, kafkaTopic, kafkaUser, externalSecret, argoApplication, fluxKustomization,
  prometheusRule, serviceMonitor, sealedSecret, clusterPolicy,
];

/** A deep copy with changes applied by `edit`. */
export function variant<T>(object: T, edit: (o: any) => void): T {
  const copy = structuredClone(object);
  edit(copy);
  return copy;
}

/**
 * Writes files into a new temporary folder: objects as YAML (as the synthesizer writes them), strings as they are.
 * Returns the folder.
 */
export function writeTree(files: Record<string, unknown>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : toYaml(content));
  }
  return root;
}

/**
 * A `writeTree` for one test file whose folders are removed after each test. Call it at the top level of the file.
 */
export function tempTrees(): (files: Record<string, unknown>) => string {
  const roots: string[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
  });
  return (files) => {
    const root = writeTree(files);
    roots.push(root);
    return root;
  };
}

/** Every file below a folder with its content, to prove a check wrote nothing. */
export function snapshotTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(root, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return out;
}

/** A small valid output folder: two environments, one object per file, laid out as the synthesizer does. */
export function validDist(): Record<string, unknown> {
  return {
    'manifests/dev/payments/configmap.settings.yaml': configMap,
    'manifests/dev/payments/kafkatopic.payments.orders.v1.yaml': kafkaTopic,
    'manifests/prod/payments/configmap.settings.yaml': configMap,
    'manifests/prod/payments/kafkatopic.payments.orders.v1.yaml': kafkaTopic,
    'manifests/prod/payments/deployment.orders-api.yaml': deployment,
    'manifests/prod/payments/externalsecret.orders-db.yaml': externalSecret,
    'manifests/prod/_cluster/clusterpolicy.require-owner.yaml': clusterPolicy,
    'bootstrap/application.payments-prod.yaml': argoApplication,
    'reports/lineage.json': '{"datasets": []}\n',
  };
}
