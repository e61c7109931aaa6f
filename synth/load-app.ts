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
 * swc needs every boolean option spelled out, so the decorator settings are read from the app's own tsconfig.
 */
export function registerTypeScript(appDir: string = process.cwd()): void {
  if (registered) return;
  registered = true;
  if ((process as any)[Symbol.for('ts-node.register.instance')]) return; // already running under ts-node
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('ts-node').register({
    transpileOnly: true,
    swc: true,
    compilerOptions: { module: 'commonjs', moduleResolution: 'node', sourceMap: true, importHelpers: false, ...decoratorOptions(appDir) },
  });
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
  const appDir = path.dirname(app);
  return platforms.map((platform) => ({ platform, outdir: outdirOverride ?? path.resolve(appDir, platform.outdir) }));
}
