/**
 * Topic config values: how a value from dist becomes the string the broker stores, and when two strings
 * mean the same thing (so a cosmetic difference never shows as a change: no perpetual diff).
 */

/** The broker string for a KafkaTopic `spec.config` value (YAML numbers may arrive as bigint to keep 64-bit precision). */
export function configValueString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Integers beyond 2^53 lost precision in a JS number already; print them without exponent anyway.
    return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  }
  return undefined;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A canonical form of a config value for comparison. */
export function canonicalConfigValue(key: string, value: string): string {
  const v = value.trim();
  if (/^(true|false)$/i.test(v)) return v.toLowerCase();
  if (NUMBER.test(v)) {
    // Integers compare exactly (64-bit values); decimals numerically.
    if (/^[+-]?\d+$/.test(v)) return BigInt(v).toString();
    return String(Number(v));
  }
  if (v.includes(',')) {
    const items = v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    // cleanup.policy is a set ("compact,delete" = "delete,compact"); other lists keep their order.
    return (key === 'cleanup.policy' ? items.map((s) => s.toLowerCase()).sort() : items).join(',');
  }
  if (key === 'cleanup.policy' || key === 'compression.type') return v.toLowerCase();
  return v;
}

/** Whether two config values are the same setting. */
export function sameConfigValue(key: string, a: string, b: string): boolean {
  return a === b || canonicalConfigValue(key, a) === canonicalConfigValue(key, b);
}
