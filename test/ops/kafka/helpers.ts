/**
 * Test helpers: run generated TypeScript (from `synth kafka import`) the way `synth` runs an app, and
 * synthesize its platform into a folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import * as pkg from 'cdk8s-dataops';
import { DataPlatform } from '../../../lib/platform';
import { synthesizePlatform } from '../../../lib/synthesizer/synthesizer';

/** Syntax and type-free check: the diagnostics of transpiling the code (empty when it is valid TypeScript). */
export function syntaxErrors(code: string): string[] {
  const res = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  return (res.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/**
 * Runs the code (importing 'cdk8s-dataops' from this repository) and writes its platform into a new temp
 * folder, like `npx synth --app file --out dir`. Returns the folder.
 */
export function synthesizeCode(code: string): string {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const before = DataPlatform._registered().length;
  const wasUnderCli = DataPlatform._underCli();
  DataPlatform._setUnderCli(true);
  try {
    const module = { exports: {} };
    const req = (id: string) => {
      if (id === 'cdk8s-dataops') return pkg;
      throw new Error(`generated code requires '${id}'`);
    };
    new Function('require', 'module', 'exports', js)(req, module, module.exports);
  } finally {
    DataPlatform._setUnderCli(wasUnderCli);
  }
  const platforms = DataPlatform._registered().splice(before);
  if (platforms.length !== 1) throw new Error(`expected one platform, got ${platforms.length}`);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'k7-import-dist-'));
  synthesizePlatform(platforms[0], { outdir: out }).write();
  return out;
}

export { eventually } from '../../support/eventually';

/** A Strimzi KafkaTopic object as the synthesizer writes it. */
export function kafkaTopic(name: string, spec: { partitions?: number; replicas?: number; config?: Record<string, string | number | boolean> }, options: { removalPolicy?: 'retain' | 'destroy'; cluster?: string } = {}): object {
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaTopic',
    metadata: {
      name: name.toLowerCase().replace(/[^a-z0-9.-]/g, '-'),
      namespace: 'kafka',
      labels: { 'strimzi.io/cluster': options.cluster ?? 'main' },
      annotations: { 'dataops.cdk8s.io/removal-policy': options.removalPolicy ?? 'retain' },
    },
    spec: { topicName: name, ...spec },
  };
}

/** A Strimzi KafkaUser object as the synthesizer writes it. */
export function kafkaUser(name: string, acls: { resource: { type: string; name?: string; patternType?: string }; operations: string[]; host?: string; type?: string }[] | undefined,
  options: { removalPolicy?: 'retain' | 'destroy'; cluster?: string; authentication?: string; quotas?: Record<string, number> } = {}): object {
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaUser',
    metadata: {
      name,
      namespace: 'kafka',
      labels: { 'strimzi.io/cluster': options.cluster ?? 'main' },
      annotations: { 'dataops.cdk8s.io/removal-policy': options.removalPolicy ?? 'retain' },
    },
    spec: {
      authentication: { type: options.authentication ?? 'scram-sha-512' },
      authorization: acls ? { type: 'simple', acls } : undefined,
      quotas: options.quotas,
    },
  };
}
