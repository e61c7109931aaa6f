/**
 * Figures for the policy evaluation step (not a test): how long `evaluatePolicies` takes, apart from the rest of
 * synthesis, on the repository example and on a generated platform with many topics in pipelines.
 *
 *   npx ts-node --transpile-only -P tsconfig.dev.json scripts/policy-figures.ts [topics=50000]
 */
import * as path from 'node:path';
import { DataPlatform, Environment, evaluatePolicies, KafkaCluster, Pipeline, Policies, PolicyPacks, Topic } from '../index';
import { collectObjects } from '../lib/synthesizer/collect';

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const r = fn();
  return [r, performance.now() - t];
}

function measure(label: string, platform: DataPlatform): void {
  const [objects, collectMs] = time(() => collectObjects(platform));
  evaluatePolicies(platform, objects); // warm-up (JIT)
  const runs = [0, 1, 2].map(() => time(() => evaluatePolicies(platform, objects))[1]).sort((a, b) => a - b);
  const report = evaluatePolicies(platform, objects);
  console.log(`${label}: ${objects.length} objects, ${platform.node.findAll().length} constructs; collect ${collectMs.toFixed(0)} ms; ` +
    `policy evaluation median ${runs[1].toFixed(0)} ms (min ${runs[0].toFixed(0)}, max ${runs[2].toFixed(0)}), ${report.rules.length} rules, ${report.findings.length} findings`);
}

// The repository example (its main.ts calls platform.synth(), which the CLI flag turns into a no-op); its
// `import 'cdk8s-dataops'` is pointed at this checkout, as the synth command does.
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request: string, ...rest: unknown[]) {
  return resolve.call(this, request === 'cdk8s-dataops' ? path.join(__dirname, '../index.ts') : request, ...rest);
};
DataPlatform._setUnderCli(true);
require(path.join(__dirname, '../examples/data-platform/main.ts'));
measure('example', DataPlatform._registered()[0]);
DataPlatform._setUnderCli(false);

const topics = Number(process.argv[2] ?? 50_000);
const platform = new DataPlatform({ lineageReports: false });
Policies.of(platform).add(PolicyPacks.recommended());
const env = new Environment(platform, 'prod', { namespace: 'data' });
const cluster = KafkaCluster.fromStrimzi(env, 'kafka', { name: 'main', namespace: 'kafka', bootstrapServers: 'b:9093', brokers: 3 });
for (let p = 0; p < topics / 100; p++) {
  const pipeline = new Pipeline(env, `p${p}`, { owner: `team-${p % 20}` });
  for (let t = 0; t < 100; t++) new Topic(pipeline, `t${t}`, { cluster, topicName: `domain${p}.dataset${t}.v1` });
}
measure(`${topics} topics (recommended pack)`, platform);
