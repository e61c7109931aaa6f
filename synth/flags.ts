/**
 * The command line's flags, one name per concept, shared by every subcommand:
 * `--out <dir>` is the output folder (the synthesized dist) everywhere; `--env` selects environments;
 * `-q/--quiet` and `-v/--verbose` set how much is printed.
 */
import { Command, Option } from 'commander';
import { Output } from './output';

/** How much a command prints. */
export interface OutputFlags {
  /** Print errors only. @default false */
  readonly quiet?: boolean;
  /** Print every file and stack traces. @default false */
  readonly verbose?: boolean;
}

/** Flags of every command that runs the app or reads its output folder. */
export interface CommonFlags extends OutputFlags {
  /** The app entry file. @default - `app` of cdk8s-dataops.json, else main.ts */
  readonly app?: string;
  /** The output folder. @default - `outdir` of cdk8s-dataops.json, else each platform's outdir (dist beside the app) */
  readonly out?: string;
  /** Only these environments. @default - all */
  readonly env?: string[];
}

/** `--out <dir>`: the output folder (the synthesized dist). The one flag for it in every command. */
export function outOption(description = 'output folder (default: "outdir" of cdk8s-dataops.json, else dist beside the app)'): Option {
  return new Option('--out <dir>', description);
}

/** Adds `-q/--quiet` and `-v/--verbose`. */
export function withOutputFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('-q, --quiet', 'print errors only'))
    .addOption(new Option('-v, --verbose', 'print every file and stack traces'));
}

/** Adds `--app`, `--out`, `--env`, `--quiet` and `--verbose`. */
export function withCommonFlags(cmd: Command): Command {
  return withOutputFlags(cmd
    .addOption(new Option('--app <file>', 'the app entry file (default: "app" of cdk8s-dataops.json, else main.ts)'))
    .addOption(outOption())
    .addOption(new Option('--env <name...>', 'only these environments')));
}

/** The output for a command's flags. */
export function outputFor(flags: OutputFlags): Output {
  return new Output(flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal');
}
