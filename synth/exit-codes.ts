/** Exit codes of the `synth` command (documented in the README, "Exit codes"). */
export enum ExitCode {
  /** Done; for --check, diff and validate: nothing wrong found. */
  OK = 0,
  /** A check failed: dist is stale (--check), a destructive change was found (diff --fail-on-destructive), validation found errors. */
  CHECK_FAILED = 1,
  /** The app, its input, the environment (a read-only dist, a missing compiler) or the command line is wrong: the message says what and where. */
  INPUT_ERROR = 2,
  /** An unexpected internal error (a bug: please report it with --verbose output). */
  INTERNAL_ERROR = 70,
}
