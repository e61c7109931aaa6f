import * as fs from 'node:fs';
import * as path from 'node:path';
import { closestMatch } from '../lib/did-you-mean';
import { DataOpsError } from '../lib/errors';

/** Where the app is and where its output goes, after flags, the config file and defaults are combined. */
export interface ResolvedConfig {
  /** Absolute path of the app entry file. */
  readonly app: string;
  /** Absolute output folder, when set by a flag or the config; otherwise each platform's own outdir. */
  readonly outdir?: string;
}

/** The command's configuration: `cdk8s-dataops.json`, or the `cdk8s-dataops` key of package.json. */
export interface PackageConfig {
  /** The app entry file, relative to the file that sets it. @default 'main.ts' */
  readonly app?: string;
  /** The output folder, relative to the file that sets it. @default - `dist` beside the app file */
  readonly outdir?: string;
}

/** The file of its own that configures the command (beside package.json, or anywhere above the current folder). */
export const CONFIG_FILE = 'cdk8s-dataops.json';
const KEYS: readonly (keyof PackageConfig)[] = ['app', 'outdir'];

/**
 * Finds the app: `--app`, else `app` of the nearest `cdk8s-dataops.json`, else the `cdk8s-dataops.app` key of the
 * nearest package.json, else `main.ts` in the current folder. The output folder: `--out`, else `outdir` of the same
 * configuration (unless `--app` was given), else undefined (each platform's own outdir).
 */
export function resolveConfig(cwd: string, flags: { app?: string; out?: string }): ResolvedConfig {
  const source = findConfig(cwd);
  const config = source?.config ?? {};
  const baseDir = source ? path.dirname(source.file) : cwd;
  const app = flags.app ? path.resolve(cwd, flags.app) : config.app ? path.resolve(baseDir, config.app) : path.resolve(cwd, 'main.ts');
  if (!fs.existsSync(app)) {
    const how = flags.app ? '--app' : config.app ? `${source!.describe('app')}` : 'the default main.ts';
    throw new DataOpsError(`app file ${app} not found (from ${how}); create it or point to it with --app FILE`);
  }
  const outdir = flags.out ? path.resolve(cwd, flags.out) : config.outdir && !flags.app ? path.resolve(baseDir, config.outdir) : undefined;
  return { app, outdir };
}

interface ConfigSource {
  readonly file: string;
  readonly config: PackageConfig;
  describe(key: keyof PackageConfig): string;
}

/**
 * The nearest configuration: walking up from `cwd` to the project's root (the first folder with a package.json), the
 * first cdk8s-dataops.json, else the `cdk8s-dataops` key of that package.json.
 */
function findConfig(cwd: string): ConfigSource | undefined {
  for (let d = path.resolve(cwd); ; d = path.dirname(d)) {
    const own = path.join(d, CONFIG_FILE);
    if (fs.existsSync(own)) {
      return { file: own, config: checked(readJson(own), own, ''), describe: (k) => `"${k}" in ${own}` };
    }
    const pkg = path.join(d, 'package.json');
    if (fs.existsSync(pkg)) {
      const section = (readJson(pkg) as Record<string, unknown>)['cdk8s-dataops'];
      if (section === undefined) return undefined; // the project's root: configuration above it belongs to another project
      return { file: pkg, config: checked(section, pkg, '"cdk8s-dataops".'), describe: (k) => `"cdk8s-dataops": { "${k}" } in ${pkg}` };
    }
    if (path.dirname(d) === d) return undefined;
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataOpsError(`${file}: cannot read (${(e as Error).message})`);
  }
}

/** The configuration object, refusing unknown keys (with the closest known one) and non-string values. */
function checked(value: unknown, file: string, prefix: string): PackageConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DataOpsError(`${file}: ${prefix ? `${prefix.slice(0, -1)} ` : ''}must be an object like { "app": "main.ts", "outdir": "dist" }`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      const best = closestMatch(key, KEYS);
      throw new DataOpsError(`${file}, field '${prefix}${key}': unknown property; ${best ? `did you mean '${best}'?` : `known properties: ${KEYS.join(', ')}`}`);
    }
    if (typeof v !== 'string' || v === '') throw new DataOpsError(`${file}, field '${prefix}${key}': must be a non-empty path (a string)`);
  }
  return value as PackageConfig;
}
