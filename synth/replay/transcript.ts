/** One piece of what a run printed: text on stdout (1) or stderr (2), or the run's time, measured anew on a replay. */
export type Chunk = { readonly fd: 1 | 2; readonly text: string } | { readonly timed: readonly [before: string, after: string]; readonly fd: 1 | 2 };

/**
 * Everything a run writes to stdout and stderr (the command's lines and whatever the app prints), kept so that a
 * replay prints the same. One piece of it may be the run's time (see {@link Transcript.markTime}), which a replay
 * prints as its own.
 */
export class Transcript {
  /** Starts capturing this process's stdout and stderr (they are still written as usual). */
  public static capture(): Transcript {
    const transcript = new Transcript();
    for (const fd of [1, 2] as const) {
      const stream = fd === 1 ? process.stdout : process.stderr;
      const original = stream.write;
      stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
        transcript.chunks.push({ fd, text: typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8') });
        return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      } as typeof stream.write;
      transcript.restore.push(() => { stream.write = original; });
    }
    return transcript;
  }

  /** Prints a recorded transcript, with `time` where the run printed its own. */
  public static print(chunks: readonly Chunk[], time: () => string): void {
    for (const c of chunks) {
      const stream = c.fd === 1 ? process.stdout : process.stderr;
      stream.write('timed' in c ? `${c.timed[0]}${time()}${c.timed[1]}` : c.text);
    }
  }

  private readonly chunks: Chunk[] = [];
  private readonly restore: (() => void)[] = [];

  private constructor() {}

  /** Marks `time` (as printed, e.g. '12.31 s') in the last piece that holds it as the run's time. */
  public markTime(time: string): void {
    for (let i = this.chunks.length - 1; i >= 0; i--) {
      const c = this.chunks[i];
      if ('text' in c && c.text.includes(time)) {
        const at = c.text.lastIndexOf(time);
        this.chunks[i] = { fd: c.fd, timed: [c.text.slice(0, at), c.text.slice(at + time.length)] };
        return;
      }
    }
  }

  /** Stops capturing; returns what was printed. */
  public stop(): Chunk[] {
    for (const undo of this.restore.splice(0)) undo();
    return this.chunks;
  }
}
