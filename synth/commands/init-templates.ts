/**
 * The files `synth init` writes: a platform repository that installs, type-checks, tests and synthesizes as it is.
 * The tsconfig and the package.json scripts are the README's ("Use it in your own repository"); a test keeps them equal.
 */

/** Which GitOps tool the scaffolded platform is delivered with. */
export type InitGitOps = 'argocd' | 'flux';

/** What the templates are filled in with. */
export interface InitTemplateProps {
  /** The npm package name of the new project (from the folder name). */
  readonly name: string;
  /** The version range of cdk8s-dataops written into package.json. */
  readonly libraryVersion: string;
  /** The GitOps tool of main.ts. */
  readonly gitops: InitGitOps;
}

/** TypeScript and vitest majors the scaffolded project asks for (the ones the packed-install test runs with). */
const TYPESCRIPT_RANGE = '^7.0.2';
const VITEST_RANGE = '^4.1.12';

/** The files of a new platform repository, by path relative to its root, in the order they are written. */
export function initFiles(props: InitTemplateProps): Record<string, string> {
  return {
    'package.json': json({
      name: props.name,
      version: '0.1.0',
      private: true,
      description: 'Data platform described with cdk8s-dataops: `npm run synth` writes dist/ for GitOps',
      scripts: { synth: 'synth', typecheck: 'tsc --noEmit', test: 'vitest run' },
      dependencies: { 'cdk8s-dataops': props.libraryVersion },
      devDependencies: { typescript: TYPESCRIPT_RANGE, vitest: VITEST_RANGE },
    }),
    'tsconfig.json': json({
      compilerOptions: {
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        skipLibCheck: true,
        noEmit: true,
      },
      exclude: ['node_modules', 'dist'],
    }),
    '.gitignore': ['node_modules/', '*.tsbuildinfo', ''].join('\n'),
    'platform.ts': platformTs(props),
    'main.ts': MAIN_TS,
    'platform.test.ts': PLATFORM_TEST_TS,
    'vitest.config.mts': VITEST_CONFIG,
    '.github/workflows/platform.yml': workflow(),
  };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function platformTs(props: InitTemplateProps): string {
  const repo = `https://github.com/your-org/${props.name}.git`;
  return `/**
 * The data platform: environments, Kafka, pipelines. \`npm run synth\` runs main.ts, which builds it and writes dist/;
 * platform.test.ts builds it in memory and checks what it produces.
 */
import { alertingPack, DataPlatform, Environment, GitOps, KafkaCluster, Pipeline, Policies, StreamingApp, Topic } from 'cdk8s-dataops';

export function buildPlatform(): DataPlatform {
  const platform = new DataPlatform(); // writes to ./dist
  // Policy packs: synth fails on their unacknowledged errors and writes dist/reports/policy.json and policy.sarif.
  // The alerting pack requires a lag alert on every production consumer group (DOP-MON-001).
  Policies.of(platform).add(alertingPack);
  for (const name of ['staging', 'prod']) {
    // Each environment runs on a Kubernetes cluster of its own (with its own Strimzi), so the same objects in both do
    // not collide. On one shared cluster, give each environment namespaces (and a Strimzi cluster) of its own.
    const env = new Environment(platform, name, { namespace: 'orders', cluster: name });
    const cluster = KafkaCluster.fromStrimzi(env, 'kafka', {
      name: 'main', namespace: 'kafka', bootstrapServers: 'main-kafka-bootstrap.kafka:9093',
      credentialsStore: { name: 'strimzi-users' }, // copies Strimzi's user Secrets into the apps' namespace
    });
    const orders = new Pipeline(env, 'orders', { owner: 'team-orders', description: 'Orders, cleaned for downstream use' });
    const raw = new Topic(orders, 'raw', { cluster, topicName: 'orders.raw.v1', partitions: env.select({ prod: 12, default: 3 }) });
    const clean = new Topic(orders, 'clean', { cluster, topicName: 'orders.clean.v1', partitions: env.select({ prod: 12, default: 3 }) });
    new StreamingApp(orders, 'cleaner', {
      image: 'ghcr.io/your-org/orders-cleaner:1.0.0', cluster, reads: [raw], writes: [clean],
      resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '256Mi', limit: '256Mi' } },
    });
    // A PrometheusRule: the pipeline's consumer groups lagging more than 10,000 messages for 10 minutes.
    orders.alertOnLag({ threshold: 10_000, for: '10m', severity: 'critical' });
  }
  // Delivery: ${props.gitops === 'argocd' ? 'an Argo CD Application per environment' : 'a Flux GitRepository and a Kustomization per environment'} in dist/bootstrap/.
  // Point repoURL at this repository.
  new GitOps(platform, { repoURL: '${repo}', tool: '${props.gitops}', path: 'dist' });
  return platform;
}
`;
}

const MAIN_TS = `/** The app \`npm run synth\` runs: it builds the platform (platform.ts) and the command writes dist/. */
import { buildPlatform } from './platform';

buildPlatform().synth();
`;

const PLATFORM_TEST_TS = `/** Unit tests of the platform definition: synthesized in memory, nothing written. */
import { describe, expect, it } from 'vitest';
import { Environment } from 'cdk8s-dataops';
import { findObject, synthesize } from 'cdk8s-dataops/testing';
import { buildPlatform } from './platform';

function environment(name: string): Environment {
  const env = buildPlatform().environments.find((e) => e.name === name);
  if (!env) throw new Error(\`no environment '\${name}'\`);
  return env;
}

describe('the orders pipeline', () => {
  it('keeps three replicas of every topic in prod', () => {
    const topics = synthesize(environment('prod')).filter((o) => o.kind === 'KafkaTopic');
    expect(topics.map((t) => t.spec.topicName)).toEqual(expect.arrayContaining(['orders.raw.v1', 'orders.clean.v1']));
    for (const topic of topics) expect(topic.spec.replicas).toBe(3);
  });

  it('gives the cleaner exactly the ACLs it needs: read raw, write clean', () => {
    const user = findObject(environment('prod'), 'KafkaUser', 'cleaner');
    const acls = user.spec.authorization.acls.map((a: any) => \`\${a.resource.type}:\${a.resource.name}:\${a.operations.join('+')}\`);
    expect(acls.sort()).toEqual(['group:cleaner:Read', 'topic:orders.clean.v1:Write+Describe', 'topic:orders.raw.v1:Read+Describe']);
  });
});
`;

const VITEST_CONFIG = `import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['**/*.test.ts'], exclude: ['node_modules/**', 'dist/**'] },
});
`;

function workflow(): string {
  return `# CI of the platform: install, type-check, test, check that the committed dist/ is what the code produces, and
# upload the policy findings (dist/reports/policy.sarif) to code scanning.
name: platform
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
  security-events: write
jobs:
  platform:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - run: npm run typecheck
      - run: npm test
      # exits 1 and lists the stale files when dist/ was not regenerated and committed
      - run: npm run synth -- --check
      - run: npm run synth -- validate
      - name: Upload policy findings
        if: success() || failure()
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: dist/reports/policy.sarif
          category: cdk8s-dataops-policy
`;
}
