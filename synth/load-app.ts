import * as path from 'node:path';
import { DataOpsError } from '../lib/errors';
import { DataPlatform } from '../lib/platform';

/** One platform of the app with the folder it writes to. */
export interface LoadedPlatform {
  readonly platform: DataPlatform;
  readonly outdir: string;
}

let registered = false;

/**
 * Makes `require` understand TypeScript: ts-node, transpile only (type errors are the type checker's job), with swc.
 * Every piece is resolved from this package, never from the app's folder: the TypeScript that ts-node uses for
 * configuration (the app may have TypeScript 7 installed, which has no JavaScript compiler API), the swc transpiler
 * and swc itself. swc needs every boolean option spelled out, so the decorator settings are read from the app's own
 * tsconfig. A failure here is the installation's fault, not the app's: the message says how to repair it.
 */
export function registerTypeScript(appDir: string = process.cwd()): void {
  if (registered) return;
  if ((process as any)[Symbol.for('ts-node.register.instance')]) { // already running under ts-node (this repository's bin)
    registered = true;
    return;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('ts-node').register(typeScriptLoaderOptions(decoratorOptions(appDir)));
  } catch (e) {
    throw new DataOpsError(`cannot load TypeScript apps: ${(e as Error)?.message ?? String(e)}. The loader (ts-node, swc and ` +
      "TypeScript, all from cdk8s-dataops' own dependencies) is damaged: reinstall with 'npm ci' (or delete node_modules " +
      "and run 'npm install'); the TypeScript version the project itself installs does not matter", { cause: e });
  }
  registered = true;
}

/** ts-node options that use only this package's own TypeScript, ts-node transpiler and swc (see {@link registerTypeScript}). */
export function typeScriptLoaderOptions(decorators: { experimentalDecorators: boolean; emitDecoratorMetadata: boolean }): object {
  return {
    transpileOnly: true,
    compiler: require.resolve('typescript'),
    transpiler: [require.resolve('ts-node/transpilers/swc'), { swc: require.resolve('@swc/wasm') }],
    compilerOptions: { module: 'commonjs', moduleResolution: 'node', sourceMap: true, importHelpers: false, ...decorators },
  };
}

/** `experimentalDecorators` and `emitDecoratorMetadata` as the nearest tsconfig.json sets them (default false). */
export function decoratorOptions(dir: string): { experimentalDecorators: boolean; emitDecoratorMetadata: boolean } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const file = ts.findConfigFile(dir, ts.sys.fileExists);
  const options = file
    ? ts.getParsedCommandLineOfConfigFile(file, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })?.options
    : undefined;
  return { experimentalDecorators: options?.experimentalDecorators === true, emitDecoratorMetadata: options?.emitDecoratorMetadata === true };
}

/**
 * Runs the user's app in this process and returns the platforms it defined. `platform.synth()` calls in the app
 * do nothing here: the command decides what to write. Errors thrown by the app keep their construct path.
 */
export function loadApp(app: string, outdirOverride?: string): LoadedPlatform[] {
  registerTypeScript(path.dirname(app));
  DataPlatform._setUnderCli(true);
  const before = DataPlatform._registered().length;
  try {
    require(app);
  } catch (e) {
    if (e instanceof DataOpsError) throw e;
    const err = e as Error;
    if ((err as any)?.diagnosticText) throw new DataOpsError(`${app} does not compile: ${(err as any).diagnosticText}`, { cause: e });
    throw new DataOpsError(`${path.relative(process.cwd(), app) || app} failed: ${err?.message ?? String(e)}`, { cause: e });
  }
  const platforms = DataPlatform._registered().slice(before);
  if (platforms.length === 0) {
    throw new DataOpsError(`${app} defines no DataPlatform; create one with 'new DataPlatform()' at the top level of the app`);
  }
  if (outdirOverride && platforms.length > 1) {
    throw new DataOpsError(`${app} defines ${platforms.length} platforms; --out can only be used with one`);
  }
  // The platform's own checks (environments that would fight over one object) run as soon as the app is loaded, so
  // every command that loads it reports them, `synth validate` included.
  for (const platform of platforms) {
    const problems = platform.node.validate();
    if (problems.length > 0) throw new DataOpsError(problems.join('\n'));
  }
  const appDir = path.dirname(app);
  return platforms.map((platform) => ({ platform, outdir: outdirOverride ?? path.resolve(appDir, platform.outdir) }));
}
