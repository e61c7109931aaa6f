import { parseAllDocuments, stringify } from 'yaml';

/**
 * Deterministic YAML for one object. YAML 1.1 quoting is used so that strings such as `yes`, `on` or `0777`
 * stay strings for Kubernetes' YAML 1.1 parser; no line folding, no anchors; a trailing newline.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });
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
