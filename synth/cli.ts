import { Command, CommanderError } from 'commander';
import { closestMatch } from '../lib/did-you-mean';
import { DataOpsError } from '../lib/errors';
import { runDiff, DiffFlags } from './commands/diff';
import { registerInit } from './commands/init';
import { registerKafka } from './commands/kafka';
import { registerPolicy } from './commands/policy';
import { runSynth, SynthFlags } from './commands/synth';
import { registerValidate } from './commands/validate';
import { ExitCode } from './exit-codes';
import { outputFor, withCommonFlags } from './flags';
import { Output } from './output';
import { userFacingFsError } from './user-errors';

/** Runs the command line and returns the exit code (never calls process.exit itself). */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = ExitCode.OK;
  let verbose = argv.includes('--verbose') || argv.includes('-v');
  const program = withCommonFlags(new Command('synth'))
    .description('Synthesize the data platform into dist/ (Kubernetes YAML for Argo CD and Flux)')
    .option('--check', 'write nothing; exit 1 and list stale files when dist differs from the code')
    .option('--no-cache', 'run the app even when nothing it read has changed since a run that changed nothing (which is otherwise replayed)')
    .showHelpAfterError()
    .enablePositionalOptions() // options after a subcommand belong to it (`synth diff --env prod`, `synth kafka plan -v`)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .action((flags: SynthFlags) => {
      code = runSynth(flags, outputFor(flags));
    });

  withCommonFlags(program.command('diff'))
    .description('Show what the code changes compared with the dist committed at a Git revision, destructive changes first')
    .option('--base <rev>', 'Git revision to compare with', 'HEAD')
    .option('--json', 'print the changes as JSON')
    .option('--fail-on-destructive', 'exit 1 when a change is destructive')
    .action((flags: DiffFlags) => {
      code = runDiff(flags, outputFor(flags));
    });

  // Subcommands of other areas register here (one line each): registerX(program, withCommonFlags, (c) => { code = c; });
  // -- subcommands --
  registerValidate(program, withCommonFlags, (c) => { code = c; });
  registerKafka(program, withCommonFlags, (c) => { code = c; });
  registerInit(program, (c) => { code = c; });
  registerPolicy(program, withCommonFlags, (c) => { code = c; });

  const unknown = unknownSubcommand(program, argv);
  if (unknown !== undefined) {
    new Output('normal').error(unknown);
    return ExitCode.INPUT_ERROR;
  }

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? ExitCode.OK : ExitCode.INPUT_ERROR;
    }
    verbose ||= !!program.opts().verbose;
    const out = new Output('normal');
    const user = e instanceof DataOpsError ? e : userFacingFsError(e);
    if (user) {
      out.error(user.message);
      if (verbose && user.cause instanceof Error && user.cause.stack) process.stderr.write(`${user.cause.stack}\n`);
      else if (verbose && user.stack) process.stderr.write(`${user.stack}\n`);
      return ExitCode.INPUT_ERROR;
    }
    out.error(`unexpected error: ${(e as Error)?.message ?? String(e)}`);
    if (verbose) process.stderr.write(`${(e as Error)?.stack}\n`);
    else process.stderr.write('run again with --verbose for the stack trace, and please report it\n');
    return ExitCode.INTERNAL_ERROR;
  }
}

/**
 * The root command takes no arguments, so a first word that is not an option is meant as a subcommand: when it is
 * none, the message names the closest one (`synth valdate` → did you mean 'validate'?) instead of "too many arguments".
 */
function unknownSubcommand(program: Command, argv: readonly string[]): string | undefined {
  const first = firstPositional(program, argv);
  if (first === undefined) return undefined;
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(first) || first === 'help') return undefined;
  const best = closestMatch(first, names);
  return `unknown command '${first}'${best ? `; did you mean 'synth ${best}'?` : ''} (commands: ${names.join(', ')}; 'synth --help' lists them)`;
}

/** The first word of argv that is neither an option nor an option's value. */
function firstPositional(program: Command, argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return argv[i + 1];
    if (!arg.startsWith('-')) return arg;
    const name = arg.split('=')[0];
    const option = program.options.find((o) => o.long === name || o.short === name);
    // An unknown option (`--outdir x`): commander reports it, with the closest known one; its value is no command.
    if (!option) return undefined;
    if (arg.includes('=')) continue;
    if (option.required || option.optional) {
      // --env takes several values: every following word that is not an option belongs to it.
      if (option.variadic) while (i + 1 < argv.length && !argv[i + 1].startsWith('-')) i++;
      else i++;
    }
  }
  return undefined;
}
