import pc from 'picocolors';

/** Where the command's human output goes; `--quiet` keeps only errors, `--verbose` adds detail. */
export class Output {
  constructor(private readonly level: 'quiet' | 'normal' | 'verbose') {}

  public info(line: string): void {
    if (this.level !== 'quiet') process.stdout.write(line + '\n');
  }

  public detail(line: string): void {
    if (this.level === 'verbose') process.stdout.write(pc.dim(line) + '\n');
  }

  public error(line: string): void {
    process.stderr.write(`${pc.red('error')} ${line}\n`);
  }

  public get verbose(): boolean {
    return this.level === 'verbose';
  }
}

/** Seconds with two decimals. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
