import { Command, CommanderError, Option } from 'commander';
import { DataOpsError } from '../lib/errors';
import { runDiff } from './commands/diff';
import { registerKafka } from './commands/kafka';
import { runSynth } from './commands/synth';
import { registerValidate } from './commands/validate';
import { Output } from './output';

/** Exit codes of the `synth` command (documented in the README). */
export enum ExitCode {
  /** Done; for --check, diff and validate: nothing wrong found. */
  OK = 0,
  /** A check failed: dist is stale (--check), a destructive change was found (diff --fail-on-destructive). */
  CHECK_FAILED = 1,
  /** The app, its input or the command line is wrong (the message says what and where). */
  INPUT_ERROR = 2,
  /** An unexpected internal error (a bug: please report it with --verbose output). */
  INTERNAL_ERROR = 70,
}

/** Flags every command that runs the app accepts. */
export interface CommonFlags { app?: string; out?: string; env?: string[]; quiet?: boolean; verbose?: boolean }

/** Adds the flags every app-running command accepts. */
export function common(cmd: Command): Command {
  return cmd
    .addOption(new Option('--app <file>', 'the app entry file (default: package.json "cdk8s-dataops".app, else main.ts)'))
    .addOption(new Option('--out <dir>', 'output folder (default: the platform outdir, dist beside the app)'))
    .addOption(new Option('--env <name...>', 'only these environments'))
    .addOption(new Option('-q, --quiet', 'print errors only'))
    .addOption(new Option('-v, --verbose', 'print every file and stack traces'));
}

/** The output for a command's flags. */
export function outputFor(flags: CommonFlags): Output {
  return new Output(flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal');
}

/** Runs the command line and returns the exit code (never calls process.exit itself). */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = ExitCode.OK;
  let verbose = argv.includes('--verbose') || argv.includes('-v');
  const program = common(new Command('synth'))
    .description('Synthesize the data platform into dist/ (Kubernetes YAML for Argo CD and Flux)')
    .option('--check', 'write nothing; exit 1 and list stale files when dist differs from the code')
    .showHelpAfterError()
    .enablePositionalOptions() // options after a subcommand belong to it (`synth diff --env prod`, `synth kafka plan -v`)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .action((flags: CommonFlags & { check?: boolean }) => {
      code = runSynth(flags, outputFor(flags));
    });

  common(program.command('diff'))
    .description('Show what the code changes compared with the dist committed at a Git revision, destructive changes first')
    .option('--base <rev>', 'Git revision to compare with', 'HEAD')
    .option('--json', 'print the changes as JSON')
    .option('--fail-on-destructive', 'exit 1 when a change is destructive')
    .action((flags: CommonFlags & { base?: string; json?: boolean; failOnDestructive?: boolean }) => {
      code = runDiff(flags, outputFor(flags));
    });

  // Subcommands of other areas register here (one line each): registerX(program, common, (c) => { code = c; });
  // -- subcommands --
  registerValidate(program, common, (c) => { code = c; });
  registerKafka(program, common, (c) => { code = c; });

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? ExitCode.OK : ExitCode.INPUT_ERROR;
    }
    verbose ||= !!program.opts().verbose;
    const out = new Output('normal');
    if (e instanceof DataOpsError) {
      out.error(e.message);
      if (verbose && e.cause instanceof Error && e.cause.stack) process.stderr.write(`${e.cause.stack}\n`);
      else if (verbose && e.stack) process.stderr.write(`${e.stack}\n`);
      return ExitCode.INPUT_ERROR;
    }
    out.error(`unexpected error: ${(e as Error)?.message ?? String(e)}`);
    if (verbose) process.stderr.write(`${(e as Error)?.stack}\n`);
    else process.stderr.write('run again with --verbose for the stack trace, and please report it\n');
    return ExitCode.INTERNAL_ERROR;
  }
}
