import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseYamlDocuments } from '../synthesizer/yaml';

/** A file of an output folder, read and parsed. */
export interface DistFile {
  /** Path relative to the folder, with '/' separators, e.g. `manifests/prod/payments/kafkatopic.orders.yaml`. */
  readonly path: string;
  /** Absolute path on disk. */
  readonly absolute: string;
  /** The documents of a .yaml/.yml/.json file (empty documents left out); undefined for other files. */
  readonly documents?: readonly unknown[];
  /** Why a .yaml/.yml/.json file could not be parsed. */
  readonly parseError?: string;
}

/** File extensions Argo CD reads in a directory source. */
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * Reads every file below `root` (hidden folders such as `.git` are skipped), parsing YAML as Kubernetes does
 * (YAML 1.1) and JSON files as JSON, as Argo CD does. Sorted by path.
 */
export function readDistFiles(root: string, under = ''): DistFile[] {
  const files: DistFile[] = [];
  const start = under ? path.join(root, under) : root;
  if (!fs.existsSync(start)) return files;
  const walk = (dir: string) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) walk(absolute);
        continue;
      }
      const rel = path.relative(root, absolute).split(path.sep).join('/');
      files.push(readDistFile(absolute, rel));
    }
  };
  walk(start);
  return files;
}

/** Reads and parses one file. */
export function readDistFile(absolute: string, rel: string): DistFile {
  const ext = path.extname(rel).toLowerCase();
  if (!MANIFEST_EXTENSIONS.includes(ext)) return { path: rel, absolute };
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (e) {
    return { path: rel, absolute, parseError: `cannot read: ${(e as Error).message}` };
  }
  try {
    if (ext === '.json') return { path: rel, absolute, documents: text.trim() === '' ? [] : [JSON.parse(text)] };
    return { path: rel, absolute, documents: parseYamlDocuments(text, rel) };
  } catch (e) {
    const message = (e as Error).message.replace(`${rel}: `, '').split('\n')[0];
    return { path: rel, absolute, parseError: ext === '.json' ? `invalid JSON: ${message}` : message };
  }
}

/** Whether a document has the shape of a Kubernetes object (string apiVersion and kind). */
export function looksLikeObject(doc: unknown): doc is { apiVersion: string; kind: string; metadata?: Record<string, unknown> } {
  return doc !== null && typeof doc === 'object' && !Array.isArray(doc) &&
    typeof (doc as Record<string, unknown>).apiVersion === 'string' && typeof (doc as Record<string, unknown>).kind === 'string';
}
