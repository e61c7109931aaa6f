import { describe, expect, it } from 'vitest';
import { cronProblem, isTimeZone, toCron } from '../../../constructs/k8s/cron';

describe('cron schedules', () => {
  it.each([
    '* * * * *', '30 2 * * *', '*/15 * * * *', '0 9-17 * * MON-FRI', '0 0 1,15 * *', '0 0 * JAN,JUL SUN',
    '5 4 * * 7', '0 0 ? * 1', '@daily', '@weekly', '@yearly', '0 */2 1-10/3 * *',
  ])('accepts %s', (s) => expect(cronProblem(s)).toBeUndefined());

  it.each([
    ['every day', 'is not a cron schedule'],
    ['* * * *', 'is not a cron schedule'],
    ['60 * * * *', "minute '60' is out of range (0-59)"],
    ['0 0 32 * *', "day of month '32' is out of range (1-31)"],
    ['0 0 * 13 *', "month '13' is out of range (1-12 or JAN-DEC)"],
    ['0 0 * * FUNDAY', "day of week 'FUNDAY' is out of range (0-7 or SUN-SAT)"],
    ['*/0 * * * *', "minute '*/0' has a step of 0"],
    ['0 ? * * *', "hour '?' is not a number"],
    ['@sometimes', 'is not a cron schedule'],
  ])('refuses %s', (s, problem) => expect(cronProblem(s)).toContain(problem));

  it('turns macros into five fields', () => {
    expect(toCron('@monthly').expressionString).toBe('0 0 1 * *');
    expect(toCron(' 30 2 * * * ').expressionString).toBe('30 2 * * *');
  });

  it('knows IANA time zones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('+02:00')).toBe(false);
  });
});
