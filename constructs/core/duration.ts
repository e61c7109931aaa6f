import { Duration } from 'cdk8s';
import { z } from 'zod';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A duration given as a cdk8s `Duration` or a string such as `'7d'`, `'12h'`, `'30m'`, `'1h30m'`, `'500ms'`. */
export type DurationInput = Duration | string;

/** Parses a duration input to milliseconds; returns undefined when the string is not a duration. */
export function durationToMillis(value: DurationInput): number | undefined {
  if (value instanceof Duration) return value.toMilliseconds();
  const s = value.trim();
  if (!/^(\d+(ms|s|m|h|d|w))+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) total += Number(m[1]) * UNITS[m[2]];
  return total;
}

/**
 * zod schema for a duration input; parses to milliseconds.
 * @param infinite when given, the string 'infinite' is accepted and parses to this value
 */
export function durationSchemaWith(infinite?: number) {
  return z.custom<Duration | string>((v) => v instanceof Duration || typeof v === 'string', 'expected a Duration or a string such as \'7d\'')
    .transform((v, ctx): number => {
      if (infinite !== undefined && v === 'infinite') return infinite;
      const ms = durationToMillis(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `'${String(v)}' is not a duration; use Duration.days(7) or a string like '7d', '12h', '30m', '500ms'${infinite !== undefined ? " or 'infinite'" : ''}` });
        return z.NEVER;
      }
      return ms;
    });
}

/** zod schema for a duration input; parses to milliseconds. */
export const durationSchema = durationSchemaWith();
