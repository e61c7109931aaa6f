import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataOpsError } from '../lib/errors';

/** Where the app is and where its output goes, after flags, package.json and defaults are combined. */
export interface ResolvedConfig {
  /** Absolute path of the app entry file. */
  readonly app: string;
  /** Absolute output folder, when set by a flag or package.json; otherwise each platform's own outdir. */
  readonly outdir?: string;
}

/** The `cdk8s-dataops` key of package.json. */
export interface PackageConfig {
  /** The app entry file, relative to package.json. @default 'main.ts' */
  readonly app?: string;
  /** The output folder, relative to package.json. @default - `dist` beside the app file */
  readonly outdir?: string;
}

/**
 * Finds the app: `--app`, else the `cdk8s-dataops.app` key of the nearest package.json, else `main.ts`
 * in the current folder.
 */
export function resolveConfig(cwd: string, flags: { app?: string; out?: string }): ResolvedConfig {
  const pkgFile = findUp(cwd, 'package.json');
  let pkgConfig: PackageConfig = {};
  if (pkgFile) {
    try {
      pkgConfig = (JSON.parse(fs.readFileSync(pkgFile, 'utf8'))['cdk8s-dataops'] ?? {}) as PackageConfig;
    } catch (e) {
      throw new DataOpsError(`${pkgFile}: cannot read (${(e as Error).message})`);
    }
  }
  const pkgDir = pkgFile ? path.dirname(pkgFile) : cwd;
  const app = flags.app ? path.resolve(cwd, flags.app) : pkgConfig.app ? path.resolve(pkgDir, pkgConfig.app) : path.resolve(cwd, 'main.ts');
  if (!fs.existsSync(app)) {
    const how = flags.app ? '--app' : pkgConfig.app ? `"cdk8s-dataops": { "app" } in ${pkgFile}` : 'the default main.ts';
    throw new DataOpsError(`app file ${app} not found (from ${how}); create it or point to it with --app FILE`);
  }
  const outdir = flags.out ? path.resolve(cwd, flags.out) : pkgConfig.outdir && !flags.app ? path.resolve(pkgDir, pkgConfig.outdir) : undefined;
  return { app, outdir };
}

function findUp(dir: string, name: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const f = path.join(d, name);
    if (fs.existsSync(f)) return f;
    if (path.dirname(d) === d) return undefined;
  }
}
