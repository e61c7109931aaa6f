/**
 * Writes milliseconds as a Prometheus duration (`1h30m`, `5m`, `500ms`): units largest first, as the Prometheus
 * configuration reference defines `<duration>` (`((([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?|0)`,
 * https://prometheus.io/docs/prometheus/latest/configuration/configuration/#duration). Years are never used: a year
 * is 365 days there, which a reader would not expect.
 */
export function prometheusDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`not a duration in milliseconds: ${ms}`);
  if (ms === 0) return '0s';
  const units: Array<[string, number]> = [['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
  let rest = ms;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
