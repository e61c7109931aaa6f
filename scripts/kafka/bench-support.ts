/**
 * What the pull-mode benchmarks (scripts/bench-kafka.ts, scripts/bench-terraform.ts) share: the compiled command line
 * they time, and the dist files they declare topics and users in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const repo = path.join(__dirname, '..', '..');

/** Compiles the command line (what the published package runs) into bench-out/<name>; returns its launcher. */
export function buildCli(name: string): string {
  const outDir = path.join(repo, 'bench-out', name);
  const t = Date.now();
  // tsc emits even when files outside the pull model have type errors; the launcher only loads synth/ and ops/.
  spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(repo, 'tsconfig.json'), '--outDir', outDir, '--sourceMap', 'false', '--declaration', 'false'],
    { stdio: 'ignore' });
  const launcher = path.join(outDir, 'launch.js');
  fs.writeFileSync(launcher, "require('./synth/cli.js').main(process.argv.slice(2)).then((c) => { process.exitCode = c; });\n");
  if (!fs.existsSync(path.join(outDir, 'synth', 'cli.js'))) throw new Error(`tsc did not emit ${outDir}/synth/cli.js`);
  console.log(`CLI compiled into ${path.relative(repo, outDir)} in ${((Date.now() - t) / 1000).toFixed(2)} s`);
  return launcher;
}

/** A KafkaTopic file of cluster `main`; `config` is the YAML lines under `config:` (each indented by four spaces). */
export function kafkaTopicYaml(name: string, spec: { partitions: number; replicas: number; config: string; annotations?: string }): string {
  return `apiVersion: kafka.strimzi.io/v1
kind: KafkaTopic
metadata:
  name: ${name}
  namespace: kafka
  labels:
    strimzi.io/cluster: main
${spec.annotations ? `  annotations:\n${spec.annotations}` : ''}spec:
  topicName: ${name}
  partitions: ${spec.partitions}
  replicas: ${spec.replicas}
  config:
${spec.config}`;
}

/** A KafkaUser file of cluster `main` (SCRAM, simple authorization); `acls` is the YAML lines of its ACL list. */
export function kafkaUserYaml(name: string, acls: string): string {
  return `apiVersion: kafka.strimzi.io/v1
kind: KafkaUser
metadata:
  name: ${name}
  namespace: kafka
  labels:
    strimzi.io/cluster: main
spec:
  authentication: { type: scram-sha-512 }
  authorization:
    type: simple
    acls:
${acls}
`;
}
