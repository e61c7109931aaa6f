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

/** Keys whose quoting depends on their depth in `yaml` (document markers): left to `yaml`. */
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const CACHE_LIMIT = 100_000;

const valueCache = new Map<string, string>();
/** Every key seen (keys repeat across objects: `apiVersion`, `metadata`, ...): its rendering, or null for `yaml`. */
const keyCache = new Map<string, string | null>();
const numberCache = new Map<number, string>();

/** The rendering being built (the fast path appends to one string instead of joining nested pieces). */
let out = '';

/**
 * @internal The fast rendering, or undefined when the value is not a non-empty plain JSON object (the caller then
 * uses `yaml`). Exported for the equivalence tests.
 */
export function renderFast(value: unknown): string | undefined {
  if (!isPlainObject(value) || Object.keys(value).length === 0) return undefined;
  out = '';
  try {
    renderMap(value, 0, '');
    return flatten(out);
  } catch (e) {
    if (e === FALLBACK) return undefined;
    throw e;
  } finally {
    out = '';
  }
}

/** A block map whose keys start at `column`; the first line starts with `first` instead of the indentation. */
function renderMap(map: Record<string, unknown>, column: number, first: string): void {
  const pad = indentation(column);
  let lead = first;
  for (const key in map) {
    out += `${lead}${renderKey(key)}:`;
    renderValue(map[key], column);
    lead = pad;
  }
}

/** A block sequence whose dashes are at `column`; the first line starts with `first` instead of the indentation. */
function renderSeq(seq: readonly unknown[], column: number, first: string): void {
  const pad = indentation(column);
  for (let i = 0; i < seq.length; i++) {
    const item = seq[i];
    out += i === 0 ? `${first}-` : `${pad}-`;
    if (Array.isArray(item)) {
      if (item.length === 0) out += ' []\n';
      else renderSeq(item, column + 2, ' ');
    } else if (isPlainObject(item)) {
      if (isEmpty(item)) out += ' {}\n';
      else renderMap(item, column + 2, ' ');
    } else {
      out += ` ${renderScalar(item, column)}\n`;
    }
  }
}

/** What follows `key:` for a value of a map whose keys start at `column`, up to and including the newline. */
function renderValue(value: unknown, column: number): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out += ' []\n';
    else {
      out += '\n';
      renderSeq(value, column + 2, indentation(column + 2));
    }
  } else if (isPlainObject(value)) {
    if (isEmpty(value)) out += ' {}\n';
    else {
      out += '\n';
      renderMap(value, column + 2, indentation(column + 2));
    }
  } else {
    out += ` ${renderScalar(value, column)}\n`;
  }
}

/**
 * A scalar as `yaml` writes it as a map value or list item whose key or dash is at `column`. Multi-line renderings
 * (block scalars, quoted strings with line breaks) are taken at column 0 and their continuation lines shifted.
 */
function renderScalar(value: unknown, column: number): string {
  switch (typeof value) {
    case 'string': {
      if (isPlain(value)) return value;
      let r = valueCache.get(value);
      if (r === undefined) {
        const doc = referenceYaml({ k: value });
        if (!doc.startsWith('k: ') || !doc.endsWith('\n')) throw FALLBACK;
        r = doc.slice(3, -1);
        remember(valueCache, value, r);
      }
      return column === 0 || !r.includes('\n') ? r : r.replace(/\n(?=[^\n])/g, `\n${indentation(column)}`);
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
  let r = keyCache.get(key);
  if (r === undefined) {
    r = null;
    if (key.length <= 1000) { // longer keys are explicit (`? key`)
      if (isPlain(key)) {
        r = key;
      } else if (!DOCUMENT_MARKER.test(key)) {
        const doc = referenceYaml({ [key]: null });
        const body = doc.slice(0, -': null\n'.length);
        if (doc.endsWith(': null\n') && !body.includes('\n') && !body.startsWith('? ')) r = body;
      }
    }
    remember(keyCache, key, r);
  }
  if (r === null) throw FALLBACK;
  return r;
}

/**
 * Whether `yaml` writes a string as it is, known without asking it: a letter first, then letters, digits and `_./-`
 * (and `:` not at the end), at least 6 characters (the YAML 1.1 booleans and nulls are shorter), and not a float like
 * `e12345`. (A loop over char codes: the equivalent regular expression was a tenth of the rendering time.)
 */
function isPlain(s: string): boolean {
  const n = s.length;
  if (n < 6) return false;
  const c0 = s.charCodeAt(0);
  if (!((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90))) return false;
  let digits = true; // every character after the first is a digit, or '-' then digits
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    const isDigit = c >= 48 && c <= 57;
    if (!isDigit && !(i === 1 && c === 45)) digits = false;
    if (isDigit || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c === 47 || c === 45) continue;
    if (c === 58 && i < n - 1) continue;
    return false;
  }
  return !((c0 === 101 || c0 === 69) && digits);
}

/**
 * The same string, flattened now. A string built by appending is a tree of its pieces until first read as a whole;
 * kept unread (renderings wait for their write), the pieces outlive the young generation and the garbage collector
 * copies them over and over: at 60,000 objects that cost more than the rendering itself. Reading one character makes
 * V8 flatten it while the pieces are still young.
 */
function flatten(s: string): string {
  s.charCodeAt(0);
  return s;
}

const PADS: string[] = [];
function indentation(column: number): string {
  return PADS[column] ??= ' '.repeat(column);
}

function isEmpty(map: object): boolean {
  for (const _ in map) return false;
  return true;
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
