import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, type ScalarTag } from 'yaml';

/** One version of a CustomResourceDefinition. */
export interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly deprecated: boolean;
  readonly deprecationWarning?: string;
  /** The version's `openAPIV3Schema`, untouched. */
  readonly schema?: unknown;
}

/** A CustomResourceDefinition, reduced to what validation needs. */
export interface CrdDefinition {
  readonly group: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly versions: readonly CrdVersion[];
  /** Where it was read from (a path for messages, e.g. `schemas/crds/strimzi/043-Crd-kafkatopic.yaml`). */
  readonly source: string;
}

/** A CRD file that could not be used, and why. */
export interface CrdSourceProblem {
  readonly file: string;
  readonly message: string;
}

/**
 * YAML 1.1 knows a "value key" type (`=`, tag:yaml.org,2002:value) that some parsers turn into something other than
 * the string "=". Kubernetes reads `- =` (e.g. an enum of label-matcher operators) as the string "=", so it is
 * declared here to stay a string, explicitly tagged or not.
 */
const valueKeyTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:value',
  default: false,
  test: /^=$/,
  resolve: (s: string) => s,
};

/**
 * Parses a YAML stream of CRDs the way Kubernetes reads them (YAML 1.1 scalars). A document that YAML 1.1 cannot
 * parse is retried as YAML 1.2; a document that neither can parse is reported, the others are still used.
 */
export function parseCrdStream(text: string, file: string): { readonly docs: unknown[]; readonly problems: CrdSourceProblem[] } {
  const docs: unknown[] = [];
  const problems: CrdSourceProblem[] = [];
  const attempts = [
    () => parseAllDocuments(text, { version: '1.1', customTags: [valueKeyTag], uniqueKeys: false, strict: false }),
    () => parseAllDocuments(text, { version: '1.2', customTags: [valueKeyTag], uniqueKeys: false, strict: false }),
  ];
  let lastError = '';
  for (const attempt of attempts) {
    try {
      const parsed = attempt();
      const list = Array.isArray(parsed) ? parsed : [parsed];
      const bad = list.find((d) => d.errors.length > 0);
      if (bad) {
        lastError = bad.errors[0].message;
        continue;
      }
      for (const d of list) {
        const v = d.toJS({ maxAliasCount: -1 });
        if (v !== null && v !== undefined) docs.push(v);
      }
      return { docs, problems };
    } catch (e) {
      lastError = (e as Error).message;
    }
  }
  problems.push({ file, message: `cannot parse as YAML: ${lastError.split('\n')[0]}` });
  return { docs, problems };
}

/**
 * Reads a CRD object (apiextensions.k8s.io/v1, or the older v1beta1 layout) into a {@link CrdDefinition}.
 * Returns a message instead when the object is not a usable CRD.
 */
export function readCrd(doc: unknown, source: string): CrdDefinition | string {
  const o = doc as Record<string, any>;
  if (!o || typeof o !== 'object' || o.kind !== 'CustomResourceDefinition') return 'not a CustomResourceDefinition';
  const spec = o.spec;
  if (!spec || typeof spec.group !== 'string' || typeof spec.names?.kind !== 'string') return 'spec.group or spec.names.kind is missing';
  const scope = spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced';
  const shared = spec.validation?.openAPIV3Schema; // apiextensions.k8s.io/v1beta1: one schema for all versions
  let versions: CrdVersion[];
  if (Array.isArray(spec.versions) && spec.versions.length > 0) {
    versions = spec.versions.filter((v: any) => v && typeof v.name === 'string').map((v: any) => ({
      name: v.name,
      served: v.served !== false,
      deprecated: v.deprecated === true,
      ...(typeof v.deprecationWarning === 'string' ? { deprecationWarning: v.deprecationWarning } : {}),
      schema: v.schema?.openAPIV3Schema ?? shared,
    }));
  } else if (typeof spec.version === 'string') {
    versions = [{ name: spec.version, served: true, deprecated: false, schema: shared }];
  } else {
    return 'spec.versions is empty';
  }
  return { group: spec.group, kind: spec.names.kind, scope, versions, source };
}

/** Every .yaml/.yml/.json file below a folder, sorted, as absolute paths. */
export function listSchemaFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/i.test(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** A CRD found in a file; its schemas are parsed on first use (large CRD files take a second to parse). */
export interface CrdHandle {
  readonly group: string;
  readonly kind: string;
  /** The file, as shown in messages. */
  readonly source: string;
  /** The full definition, or why it cannot be used. */
  load(): CrdDefinition | string;
}

/**
 * The group and kind of each CRD in a YAML stream, read from the text without parsing the whole file
 * (`spec.group` and `spec.names.kind` of every `kind: CustomResourceDefinition` document). Returns undefined when
 * the text is laid out in a way this scan does not follow; the caller then parses the file.
 */
export function scanCrdKinds(text: string): Array<{ group: string; kind: string }> | undefined {
  const found: Array<{ group: string; kind: string }> = [];
  for (const doc of text.split(/^---[ \t]*$/m)) {
    if (!/^kind:[ \t]*["']?CustomResourceDefinition["']?[ \t]*(#.*)?$/m.test(doc)) {
      if (doc.includes('CustomResourceDefinition')) return undefined; // perhaps a CRD in flow style or JSON: parse it
      continue;
    }
    const spec = block(doc, 'spec', '');
    const group = spec && scalar(spec.text, 'group', spec.indent);
    const names = spec && block(spec.text, 'names', spec.indent);
    const kind = names && scalar(names.text, 'kind', names.indent);
    if (!group || !kind) return undefined;
    found.push({ group, kind });
  }
  return found;
}

/** The lines below `key:` at `indent`, with their own indentation. */
function block(text: string, key: string, indent: string): { text: string; indent: string } | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l === `${indent}${key}:` || new RegExp(`^${indent}${key}:[ \\t]*(#.*)?$`).test(l));
  if (start < 0) return undefined;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const ind = /^[ ]*/.exec(line)![0];
    if (ind.length <= indent.length) break;
    body.push(line);
  }
  if (body.length === 0) return undefined;
  return { text: body.join('\n'), indent: /^[ ]*/.exec(body[0])![0] };
}

function scalar(text: string, key: string, indent: string): string | undefined {
  const m = new RegExp(`^${indent}${key}:[ \\t]*["']?([^"'\\s#]+)["']?[ \\t]*(#.*)?$`, 'm').exec(text);
  return m?.[1];
}

/**
 * Finds every CRD below the folders (group and kind only; see {@link CrdHandle}). Files that are not CRDs are
 * skipped; files that cannot be read are reported.
 */
export function loadCrdDirs(dirs: readonly string[], display: (file: string) => string): { crds: CrdHandle[]; problems: CrdSourceProblem[] } {
  const crds: CrdHandle[] = [];
  const problems: CrdSourceProblem[] = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) {
      problems.push({ file: display(dir), message: 'CRD folder not found' });
      continue;
    }
    for (const file of listSchemaFiles(dir)) {
      const shown = display(file);
      const text = fs.readFileSync(file, 'utf8');
      let parsed: Map<string, CrdDefinition | string> | undefined;
      const parseAll = () => {
        if (parsed) return parsed;
        parsed = new Map();
        const result = parseCrdStream(text, shown);
        for (const p of result.problems) parsed.set(`!${p.message}`, p.message);
        for (const doc of result.docs) {
          if ((doc as any)?.kind !== 'CustomResourceDefinition') continue;
          const crd = readCrd(doc, shown);
          if (typeof crd === 'string') problems.push({ file: shown, message: crd });
          else parsed.set(`${crd.group}/${crd.kind}`, crd);
        }
        return parsed;
      };
      const handle = (group: string, kind: string): CrdHandle => ({
        group, kind, source: shown,
        load: () => {
          const all = parseAll();
          const found = all.get(`${group}/${kind}`);
          if (found) return found;
          const why = [...all.keys()].find((k) => k.startsWith('!'));
          return why ? `${shown}: ${why.slice(1)}` : `${shown} does not define ${group}/${kind}`;
        },
      });
      const kinds = /\.json$/i.test(file) ? undefined : scanCrdKinds(text);
      if (kinds) {
        for (const { group, kind } of kinds) crds.push(handle(group, kind));
        continue;
      }
      // JSON, or YAML laid out unusually: parse it now.
      const all = parseAll();
      for (const [key, value] of all) {
        if (key.startsWith('!')) problems.push({ file: shown, message: value as string });
        else crds.push(handle((value as CrdDefinition).group, (value as CrdDefinition).kind));
      }
    }
  }
  return { crds, problems };
}
