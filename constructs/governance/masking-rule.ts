/**
 * How a masked field is rewritten for readers:
 * - `'all'`: every character replaced (`****` for strings; numbers and booleans become 0 / false),
 * - `{ firstN: n }` / `{ lastN: n }`: the first / last n characters replaced by `*`,
 * - `'email'`: the local part hidden, the domain kept (`****@example.com`),
 * - `'hash'`: a one-way hash of the value (joinable, not readable),
 * - `'null'`: the value removed (null, or the type's empty value where null cannot be written).
 */
export type MaskingRule = 'all' | 'email' | 'hash' | 'null' | { readonly firstN: number } | { readonly lastN: number };

/** The rule as text for reports: `all`, `firstN(4)`, ... */
export function describeRule(rule: MaskingRule): string {
  if (typeof rule === 'string') return rule;
  return 'firstN' in rule ? `firstN(${rule.firstN})` : `lastN(${rule.lastN})`;
}

/** The replacement `MaskField` writes for string fields under rule `'all'`. */
export const MASK_REPLACEMENT = '****';

/** Apache Kafka's built-in transform that masks fields of the record value (connect-transforms). */
export const MASK_FIELD_VALUE = 'org.apache.kafka.connect.transforms.MaskField$Value';

/** A Single Message Transform for a Kafka Connect connector: its `type` and settings (`transforms.<alias>.*`). */
export interface ConnectTransform {
  /** The transform class. */
  readonly type: string;
  /** Its settings, without the `transforms.<alias>.` prefix. @default - none */
  readonly config?: Readonly<Record<string, string>>;
}

/**
 * The built-in Kafka Connect transforms that enforce a rule on a sink, or a reason why none can.
 *
 * Apache Kafka's `MaskField` (https://kafka.apache.org/documentation/#org.apache.kafka.connect.transforms.MaskField)
 * replaces a field by a fixed `replacement` or, without one, by the type's empty value ("" / 0 / false). So:
 * - `'all'` → `MaskField$Value` with `replacement: ****` for string fields, and one without a replacement for the
 *   others (a string replacement cannot be parsed as a number, so they get 0 / false);
 * - `'null'` → `MaskField$Value` without a replacement: the value becomes the type's empty value ("" / 0), which
 *   is not JSON null;
 * - `firstN`, `lastN`, `'email'`, `'hash'` → no built-in transform keeps part of a value or hashes it: not enforced
 *   on the connector unless a transform that does it is given (`MaskingPolicy` `connectTransform`);
 * - nested fields (`address.city`) → `MaskField` only sees top-level fields: not enforced either.
 */
export function maskFieldTransforms(rule: MaskingRule, fields: readonly { name: string; type?: string }[]): ConnectTransform[] | string {
  const nested = fields.filter((f) => f.name.includes('.')).map((f) => f.name);
  if (nested.length > 0) return `MaskField masks top-level fields only (${nested.map((n) => `'${n}'`).join(', ')} nested)`;
  if (rule === 'all') {
    const strings = fields.filter((f) => f.type === undefined || /(^|\|)string($|\|)/.test(f.type) || f.type === 'unknown').map((f) => f.name);
    const others = fields.filter((f) => !strings.includes(f.name)).map((f) => f.name);
    const out: ConnectTransform[] = [];
    if (strings.length) out.push({ type: MASK_FIELD_VALUE, config: { fields: strings.join(','), replacement: MASK_REPLACEMENT } });
    if (others.length) out.push({ type: MASK_FIELD_VALUE, config: { fields: others.join(',') } });
    return out;
  }
  if (rule === 'null') return [{ type: MASK_FIELD_VALUE, config: { fields: fields.map((f) => f.name).join(',') } }];
  return `Apache Kafka's built-in transforms cannot express '${describeRule(rule)}' (MaskField only replaces a whole value by a constant)`;
}

/**
 * The Conduktor Gateway masking rule (`FieldLevelDataMaskingPlugin` policy `rule`) for a rule, or why there is none.
 * Masking types MASK_ALL, MASK_FIRST_N, MASK_LAST_N with `maskingChar` and `numberOfChars`, as documented in
 * https://docs.conduktor.io/gateway/interceptors/data-security/data-masking (section "Rule").
 */
export function gatewayRule(rule: MaskingRule): Record<string, string | number> | string {
  if (rule === 'all') return { type: 'MASK_ALL', maskingChar: '*' };
  if (typeof rule === 'object' && 'firstN' in rule) return { type: 'MASK_FIRST_N', maskingChar: '*', numberOfChars: rule.firstN };
  if (typeof rule === 'object' && 'lastN' in rule) return { type: 'MASK_LAST_N', maskingChar: '*', numberOfChars: rule.lastN };
  return `Conduktor's FieldLevelDataMaskingPlugin has no '${describeRule(rule)}' masking type (only MASK_ALL, MASK_FIRST_N, MASK_LAST_N)`;
}
