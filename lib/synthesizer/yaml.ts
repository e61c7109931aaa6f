import { Document, parseAllDocuments, Scalar, type Tags, visit } from 'yaml';

/**
 * The `yaml` options of the output: YAML 1.1 quoting, so that strings such as `yes`, `on` or `0777` stay strings for
 * Kubernetes' YAML 1.1 parser; no line folding; no anchors. The merge tag no longer claims the string `<<`, so `<<`
 * is written quoted (a plain `<<` key is a merge key to a YAML 1.1 reader, and the data under it would be lost).
 */
const OPTIONS = {
  version: '1.1', lineWidth: 0, aliasDuplicateObjects: false,
  customTags: (tags: Tags): Tags => tags.map((t) => (typeof t === 'object' && t.tag === 'tag:yaml.org,2002:merge' ? { ...t, identify: () => false } : t)),
} as const;

/**
 * Deterministic YAML for one object. YAML 1.1 quoting is used so that strings such as `yes`, `on` or `0777`
 * stay strings for Kubernetes' YAML 1.1 parser; no line folding, no anchors; a trailing newline.
 *
 * The output is byte for byte what the `yaml` library renders with these options (`referenceYaml`); plain
 * JSON trees (what resolved Kubernetes objects are) take a fast path that lays out maps and lists itself and asks
 * `yaml` only how to write each distinct scalar (cached), which is many times faster at tens of thousands of objects.
 */
export function toYaml(value: unknown): string {
  return renderFast(value) ?? referenceYaml(value);
}

/**
 * @internal The renderings of one synthesis's objects, each rendered once (the history rules render an object to tell
 * whether its file changed, the manifests render it again). Keyed by object identity: whoever changes an object
 * after it was rendered must {@link RenderCache.forget} it.
 */
export class RenderCache {
  private readonly rendered = new WeakMap<object, string>();

  /** {@link toYaml} of an object, rendered once. */
  public render(object: object): string {
    let r = this.rendered.get(object);
    if (r === undefined) {
      r = toYaml(object);
      this.rendered.set(object, r);
    }
    return r;
  }

  /** Forgets an object's rendering (it was changed). */
  public forget(object: object): void {
    this.rendered.delete(object);
  }
}

/**
 * @internal The `yaml` library's rendering of a value, the reference {@link toYaml} matches byte for byte, with one
 * correction: a string of only whitespace and line breaks is double-quoted. (`yaml` writes `" \n"` as a block scalar
 * whose only line is blank, and every reader takes that line for an empty one: the spaces would be lost.)
 */
export function referenceYaml(value: unknown): string {
  const doc = new Document(value, OPTIONS);
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && node.value.includes('\n') && /^\s*$/.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString(OPTIONS);
}

/** Parses a YAML stream into its documents' values (empty documents are skipped). */
export function parseYamlDocuments(text: string, file: string): unknown[] {
  const docs = parseAllDocuments(text, { version: '1.1' });
  const out: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${file}: invalid YAML: ${doc.errors[0].message}`);
    const v = doc.toJS({ maxAliasCount: -1 });
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

// ---- fast path ---------------------------------------------------------------------------------------------------

/** Thrown inside the fast path when a value is outside what it handles; the caller then uses `yaml` itself. */
const FALLBACK = Symbol('fallback');

/**
 * Strings `yaml` writes as they are, known without asking it: a letter first, then letters, digits and `_./-` (and
 * ':' not at the end), at least 6 characters (the YAML 1.1 booleans and nulls are shorter), and not a float like
 * `e12345`. Everything else is asked of `yaml` once and cached.
 */
const PLAIN = /^[A-Za-z][\w./:-]{4,}[\w./-]$/;
const FLOAT_EXPONENT = /^[eE][-+]?[0-9]+$/;
/** Keys whose quoting depends on their depth in `yaml` (document markers): left to `yaml`. */
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const CACHE_LIMIT = 100_000;

const valueCache = new Map<string, string>();
const keyCache = new Map<string, string | null>();
const numberCache = new Map<number, string>();

/**
 * @internal The fast rendering, or undefined when the value is not a non-empty plain JSON object (the caller then
 * uses `yaml`). Exported for the equivalence tests.
 */
export function renderFast(value: unknown): string | undefined {
  if (!isPlainObject(value) || Object.keys(value).length === 0) return undefined;
  try {
    return renderMap(value, 0, '');
  } catch (e) {
    if (e === FALLBACK) return undefined;
    throw e;
  }
}

/** A block map whose keys start at `column`; the first line starts with `first` instead of the indentation. */
function renderMap(map: Record<string, unknown>, column: number, first: string): string {
  const pad = ' '.repeat(column);
  let out = '';
  let lead = first;
  for (const key of Object.keys(map)) {
    out += `${lead}${renderKey(key)}:${renderValue(map[key], column)}`;
    lead = pad;
  }
  return out;
}

/** A block sequence whose dashes are at `column`; the first line starts with `first` instead of the indentation. */
function renderSeq(seq: readonly unknown[], column: number, first: string): string {
  const pad = ' '.repeat(column);
  let out = '';
  for (let i = 0; i < seq.length; i++) {
    const item = seq[i];
    out += `${i === 0 ? first : pad}-`;
    if (Array.isArray(item)) {
      out += item.length === 0 ? ' []\n' : renderSeq(item, column + 2, ' ');
    } else if (isPlainObject(item)) {
      out += Object.keys(item).length === 0 ? ' {}\n' : renderMap(item, column + 2, ' ');
    } else {
      out += ` ${renderScalar(item, column)}\n`;
    }
  }
  return out;
}

/** What follows `key:` for a value of a map whose keys start at `column`, up to and including the newline. */
function renderValue(value: unknown, column: number): string {
  if (Array.isArray(value)) return value.length === 0 ? ' []\n' : `\n${renderSeq(value, column + 2, ' '.repeat(column + 2))}`;
  if (isPlainObject(value)) return Object.keys(value).length === 0 ? ' {}\n' : `\n${renderMap(value, column + 2, ' '.repeat(column + 2))}`;
  return ` ${renderScalar(value, column)}\n`;
}

/**
 * A scalar as `yaml` writes it as a map value or list item whose key or dash is at `column`. Multi-line renderings
 * (block scalars, quoted strings with line breaks) are taken at column 0 and their continuation lines shifted.
 */
function renderScalar(value: unknown, column: number): string {
  switch (typeof value) {
    case 'string': {
      if (PLAIN.test(value) && !FLOAT_EXPONENT.test(value)) return value;
      let r = valueCache.get(value);
      if (r === undefined) {
        const doc = referenceYaml({ k: value });
        if (!doc.startsWith('k: ') || !doc.endsWith('\n')) throw FALLBACK;
        r = doc.slice(3, -1);
        remember(valueCache, value, r);
      }
      return column === 0 || !r.includes('\n') ? r : r.replace(/\n(?=[^\n])/g, `\n${' '.repeat(column)}`);
    }
    case 'number': {
      if (Object.is(value, -0)) return referenceYaml(value).slice(0, -1); // a Map does not tell -0 from 0
      let r = numberCache.get(value);
      if (r === undefined) {
        r = referenceYaml(value).slice(0, -1);
        if (r.includes('\n')) throw FALLBACK;
        remember(numberCache, value, r);
      }
      return r;
    }
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      throw FALLBACK;
    default:
      throw FALLBACK;
  }
}

function renderKey(key: string): string {
  if (key.length <= 1000 && PLAIN.test(key) && !FLOAT_EXPONENT.test(key)) return key; // longer keys are explicit (`? key`)
  let r = keyCache.get(key);
  if (r === undefined) {
    r = null;
    if (!DOCUMENT_MARKER.test(key) && key.length <= 1000) {
      const doc = referenceYaml({ [key]: null });
      const body = doc.slice(0, -': null\n'.length);
      if (doc.endsWith(': null\n') && !body.includes('\n') && !body.startsWith('? ')) r = body;
    }
    remember(keyCache, key, r);
  }
  if (r === null) throw FALLBACK;
  return r;
}

function remember<K, V>(cache: Map<K, V>, key: K, value: V): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
