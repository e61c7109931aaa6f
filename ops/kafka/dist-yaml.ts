/**
 * A fast reader for the plain block YAML the synthesizer writes (block mappings and sequences of plain or quoted
 * scalars), used to load 10,000s of KafkaTopic files quickly. It resolves scalars exactly as the `yaml` package does
 * with `{ version: '1.1', intAsBigInt: true }` (the loader's settings), and gives up (returns undefined) on
 * anything outside that subset (anchors, tags, flow collections, block scalars, multi-line plain scalars,
 * several documents, escapes, numbers in other bases, timestamps...): the caller then parses the file with
 * `yaml`. The test compares both on every file of the repository's example dist and on crafted edge cases.
 */

/** Marker for "outside the subset". */
const GIVE_UP = Symbol('give-up');

interface Line {
  indent: number;
  text: string;
}

const BOOL_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const BOOL_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULLS = new Set(['~', 'null', 'Null', 'NULL']);
const DECIMAL = /^[-+]?(0|[1-9][0-9]*)$/;
const FLOAT = /^[-+]?[0-9]+\.[0-9]+$/;
/** Other plain scalars that start like a number: YAML 1.1 reads some as numbers (1e5 is not, 1.5e+5 is): not in the subset. */
const NUMBER_LIKE = /^[-+]?[0-9.]/;
/** Plain scalars whose YAML 1.1 meaning the subset does not reproduce (other bases, _, sexagesimal, .inf, timestamps). */
const SPECIAL = /^[-+]?(0[0-9bxo]|\.)|_|:|^\d{4}-\d{1,2}-\d{1,2}|^[-+]?\.(inf|nan)/i;
const PLAIN_START = /^[^\s'"{}[\]&*!|>%@`#,?-]|^-[^\s]|^\?[^\s]/;

/** Parses one YAML document of the subset; undefined when the text is outside it. */
export function parseDistYaml(text: string): unknown {
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const content = line.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    if (line.startsWith('\t') || content === '---' || content === '...' || content.startsWith('--- ') || content.startsWith('%')) return undefined;
    lines.push({ indent: line.length - content.length, text: content.trimEnd() });
  }
  if (lines.length === 0) return undefined;
  const pos = { i: 0 };
  const value = node(lines, pos, lines[0].indent);
  return value === GIVE_UP || pos.i !== lines.length ? undefined : value;
}

function node(lines: Line[], pos: { i: number }, indent: number): unknown {
  const first = lines[pos.i];
  if (first.text === '-' || first.text.startsWith('- ')) return sequence(lines, pos, indent);
  return mapping(lines, pos, indent);
}

function sequence(lines: Line[], pos: { i: number }, indent: number): unknown {
  const out: unknown[] = [];
  while (pos.i < lines.length && lines[pos.i].indent === indent && lines[pos.i].text.startsWith('- ')) {
    const line = lines[pos.i];
    const rest = line.text.slice(2);
    const inner = rest.trimStart();
    const innerIndent = indent + 2 + (rest.length - inner.length);
    if (keyValue(inner) !== undefined) {
      // `- key: value` starts a mapping at the item's column: read it as if it were on its own line.
      lines[pos.i] = { indent: innerIndent, text: inner };
      const v = mapping(lines, pos, innerIndent);
      if (v === GIVE_UP) return GIVE_UP;
      out.push(v);
    } else {
      const v = scalar(inner);
      if (v === GIVE_UP) return GIVE_UP;
      out.push(v);
      pos.i++;
    }
  }
  if (pos.i < lines.length && lines[pos.i].indent > indent) return GIVE_UP;
  return out;
}

function mapping(lines: Line[], pos: { i: number }, indent: number): unknown {
  const out: Record<string, unknown> = {};
  while (pos.i < lines.length && lines[pos.i].indent === indent && !lines[pos.i].text.startsWith('- ') && lines[pos.i].text !== '-') {
    const kv = keyValue(lines[pos.i].text);
    if (!kv || Object.prototype.hasOwnProperty.call(out, kv.key) || kv.key === '__proto__' || kv.key === '<<') return GIVE_UP;
    pos.i++;
    let value: unknown;
    if (kv.value !== '') {
      value = scalar(kv.value);
    } else if (pos.i < lines.length && (lines[pos.i].indent > indent || (lines[pos.i].indent === indent && lines[pos.i].text.startsWith('- ')))) {
      value = node(lines, pos, lines[pos.i].indent);
    } else {
      value = null;
    }
    if (value === GIVE_UP) return GIVE_UP;
    out[kv.key] = value;
  }
  if (pos.i < lines.length && lines[pos.i].indent > indent) return GIVE_UP;
  return out;
}

/** `key: value` / `key:` with a plain or quoted key; undefined when the line is not one. */
function keyValue(text: string): { key: string; value: string } | undefined {
  let key: unknown;
  let rest: string;
  if (text.startsWith('"') || text.startsWith("'")) {
    const end = quotedEnd(text);
    if (end < 0) return undefined;
    key = scalar(text.slice(0, end + 1));
    rest = text.slice(end + 1);
    if (!rest.startsWith(':')) return undefined;
    rest = rest.slice(1);
  } else {
    const colon = text.search(/:( |$)/);
    if (colon <= 0) return undefined;
    const raw = text.slice(0, colon);
    if (!PLAIN_START.test(raw) || raw.includes(' #') || raw !== raw.trimEnd()) return undefined;
    key = raw;
    rest = text.slice(colon + 1);
  }
  if (typeof key !== 'string') return undefined;
  if (rest !== '' && !rest.startsWith(' ')) return undefined;
  return { key, value: rest.trim() };
}

function quotedEnd(text: string): number {
  const q = text[0];
  for (let i = 1; i < text.length; i++) {
    if (text[i] !== q) continue;
    if (q === "'" && text[i + 1] === "'") {
      i++;
      continue;
    }
    if (q === '"' && text[i - 1] === '\\') return -1; // escapes: leave them to the full parser
    return i;
  }
  return -1;
}

function scalar(text: string): unknown {
  if (text.startsWith("'")) {
    const end = quotedEnd(text);
    return end === text.length - 1 ? text.slice(1, -1).replace(/''/g, "'") : GIVE_UP;
  }
  if (text.startsWith('"')) {
    const end = quotedEnd(text);
    return end === text.length - 1 && !text.includes('\\') ? text.slice(1, -1) : GIVE_UP;
  }
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (!PLAIN_START.test(text) || text.includes(' #') || text.includes(': ')) return GIVE_UP;
  if (NULLS.has(text)) return null;
  if (BOOL_TRUE.has(text)) return true;
  if (BOOL_FALSE.has(text)) return false;
  if (DECIMAL.test(text)) return BigInt(text);
  if (SPECIAL.test(text)) return GIVE_UP;
  if (FLOAT.test(text)) return Number(text);
  if (NUMBER_LIKE.test(text)) return GIVE_UP;
  return text;
}
