import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { closestMatch } from '../../lib/did-you-mean';
import { DataOpsError } from '../../lib/errors';
import { ExitCode } from '../exit-codes';
import { OutputFlags, outputFor, withOutputFlags } from '../flags';
import { Output } from '../output';
import { initFiles, InitGitOps } from './init-templates';

const GITOPS_TOOLS: readonly InitGitOps[] = ['argocd', 'flux'];

/** Flags of `synth init`. */
export interface InitFlags extends OutputFlags {
  /** The GitOps tool the new platform is delivered with. @default 'argocd' */
  readonly gitops?: string;
}

/** Registers `synth init [dir]`. */
export function registerInit(program: Command, setCode: (code: number) => void): void {
  withOutputFlags(program.command('init'))
    .description('Create a new platform repository in DIR (default: the current folder, which must be empty): package.json, tsconfig.json, main.ts, a test, .gitignore and a GitHub Actions workflow')
    .argument('[dir]', 'the folder to create (or an empty one)', '.')
    .addOption(new Option('--gitops <tool>', 'delivery of the new platform: argocd or flux').default('argocd'))
    .action((dir: string, flags: InitFlags) => setCode(runInit(dir, flags, outputFor(flags))));
}

/** `synth init`: writes the scaffold into `dir` (relative to the current folder). Returns the exit code. */
export function runInit(dir: string, flags: InitFlags, out: Output): number {
  const gitops = gitopsTool(flags.gitops ?? 'argocd');
  const target = path.resolve(process.cwd(), dir);
  if (fs.existsSync(target)) {
    if (!fs.statSync(target).isDirectory()) throw new DataOpsError(`cannot create a platform in ${dir}: it is a file. Choose a new or empty folder`);
    const present = fs.readdirSync(target);
    if (present.length > 0) {
      throw new DataOpsError(`cannot create a platform in ${dir === '.' ? 'the current folder' : dir}: it is not empty ` +
        `(${present.slice(0, 5).join(', ')}${present.length > 5 ? ', ...' : ''}). Choose a new or empty folder: synth init my-platform`);
    }
  }
  const files = initFiles({ name: packageName(target), libraryVersion: libraryRange(), gitops });
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    fs.writeFileSync(path.join(target, file), content, { flag: 'wx' });
    out.detail(`  wrote ${file}`);
  }
  const cd = path.relative(process.cwd(), target);
  out.info(`✔ created a platform (${gitops}) in ${cd || '.'}: ${Object.keys(files).join(', ')}`);
  out.info(`  next: ${cd ? `cd ${cd} && ` : ''}npm install && npm run synth && npm test, then commit everything including dist/ and package-lock.json`);
  return ExitCode.OK;
}

function gitopsTool(value: string): InitGitOps {
  if ((GITOPS_TOOLS as readonly string[]).includes(value)) return value as InitGitOps;
  const best = closestMatch(value, GITOPS_TOOLS);
  throw new DataOpsError(`--gitops '${value}' is not a GitOps tool${best ? `; did you mean '${best}'?` : ''} (one of: ${GITOPS_TOOLS.join(', ')})`);
}

/** An npm package name from the folder name: lower case, characters npm accepts. */
function packageName(target: string): string {
  const name = path.basename(target).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|[-]+$/g, '');
  return name || 'data-platform';
}

/** The version range of this cdk8s-dataops for the new package.json (`latest` from an unreleased checkout, 0.0.0). */
function libraryRange(): string {
  let dir = __dirname;
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cdk8s-dataops') return pkg.version && pkg.version !== '0.0.0' ? `^${pkg.version}` : 'latest';
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'latest';
    dir = parent;
  }
}
