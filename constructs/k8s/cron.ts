import { Cron } from 'cdk8s';
import { z } from 'zod';

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS, question: true },
] as const;

/**
 * Why a cron schedule is invalid, or undefined when it is valid. Accepts the five-field syntax Kubernetes
 * CronJobs use (`'30 2 * * *'`, ranges, lists, steps, month and day names) and the `@daily`-style macros.
 */
export function cronProblem(schedule: string): string | undefined {
  const expr = MACROS[schedule.trim()] ?? schedule.trim();
  const parts = expr.split(/\s+/);
  if (parts.length !== 5) {
    return `'${schedule}' is not a cron schedule: use five fields 'minute hour day-of-month month day-of-week' (e.g. '30 2 * * *') or a macro such as '@daily'`;
  }
  for (const [i, part] of parts.entries()) {
    const f = FIELDS[i];
    const problem = fieldProblem(part, f.min, f.max, 'names' in f ? f.names : undefined, 'question' in f);
    if (problem) return `'${schedule}': ${f.name} '${part}' ${problem}`;
  }
  return undefined;
}

function fieldProblem(part: string, min: number, max: number, names: readonly string[] | undefined, question: boolean): string | undefined {
  if (question && part === '?') return undefined;
  for (const item of part.split(',')) {
    const m = /^(\*|([0-9A-Za-z]+)(-([0-9A-Za-z]+))?)(\/([0-9]+))?$/.exec(item);
    if (!m) return 'is not a number, range (1-5), list (1,3) or step (*/15)';
    for (const v of [m[2], m[4]]) {
      if (v === undefined) continue;
      const named = names ? names.indexOf(v.toUpperCase()) : -1;
      const n = /^[0-9]+$/.test(v) ? Number(v) : named >= 0 ? named + (names === MONTHS ? 1 : 0) : NaN;
      if (Number.isNaN(n) || n < min || n > max) {
        return `is out of range (${min}-${max}${names ? ` or ${names[0]}-${names[names.length - 1]}` : ''})`;
      }
    }
    if (m[6] !== undefined && Number(m[6]) === 0) return 'has a step of 0';
  }
  return undefined;
}

/** A zod string that must be a valid cron schedule. */
export const cronSchema = z.string().superRefine((s, ctx) => {
  const problem = cronProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Whether `tz` is an IANA time zone name this Node.js knows (e.g. 'Europe/Berlin'). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(tz);
  } catch {
    return false;
  }
}

/** A zod string that must be an IANA time zone name. */
export const timeZoneSchema = z.string().refine(isTimeZone, "is not an IANA time zone name such as 'Europe/Berlin' or 'UTC'");

/** A cdk8s Cron for a validated schedule (macros expanded). */
export function toCron(schedule: string): Cron {
  const [minute, hour, day, month, weekDay] = (MACROS[schedule.trim()] ?? schedule.trim()).split(/\s+/);
  return Cron.schedule({ minute, hour, day, month, weekDay });
}
