import { fieldPath } from './ajv-errors';
import { error, Problem } from './problem';
import { NameRule, validateName } from '../names';

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Core kinds whose names must be RFC 1123 labels rather than subdomains. */
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service']);

/**
 * The checks the API server makes on every object's metadata, whatever its kind: a name (RFC 1123 subdomain, or
 * label for Namespaces and Services), a namespace that is an RFC 1123 label, label keys and values and annotation
 * keys with Kubernetes' syntax, string values, and at most 256 KiB of annotations.
 */
export function checkMetadata(object: Record<string, unknown>, group: string, kind: string): Problem[] {
  const problems: Problem[] = [];
  const meta = object.metadata;
  if (meta === undefined || meta === null) return [error('metadata', 'is required (with at least a name)', 'metadata')];
  if (typeof meta !== 'object' || Array.isArray(meta)) return [error('metadata', 'must be an object', 'metadata')];
  const m = meta as Record<string, unknown>;

  if (m.name === undefined || m.name === '') {
    problems.push(error('metadata', m.generateName ? 'is required: generateName works only for Argo CD hooks; Flux and kubectl apply need a name' : 'is required', 'metadata.name'));
  } else if (typeof m.name !== 'string') {
    problems.push(error('metadata', 'must be a string', 'metadata.name'));
  } else {
    const rule = group === '' && LABEL_NAMED_KINDS.has(kind) ? NameRule.DNS_LABEL : NameRule.DNS_SUBDOMAIN;
    const message = nameError(m.name, rule);
    if (message) problems.push(error('metadata', message, 'metadata.name'));
  }
  if (m.namespace !== undefined) {
    if (typeof m.namespace !== 'string') problems.push(error('metadata', 'must be a string', 'metadata.namespace'));
    else {
      const message = nameError(m.namespace, NameRule.DNS_LABEL);
      if (message) problems.push(error('metadata', message, 'metadata.namespace'));
    }
  }
  problems.push(...checkMap(object, m.labels, 'labels', true));
  problems.push(...checkMap(object, m.annotations, 'annotations', false));
  if (m.annotations && typeof m.annotations === 'object') {
    const size = Object.entries(m.annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
    if (size > MAX_ANNOTATIONS_BYTES) {
      problems.push(error('metadata', `annotations total ${size} bytes; Kubernetes allows at most ${MAX_ANNOTATIONS_BYTES}`, 'metadata.annotations'));
    }
  }
  return problems;
}

function nameError(name: string, rule: NameRule): string | undefined {
  try {
    validateName('', '', name, rule);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function checkMap(object: unknown, map: unknown, which: 'labels' | 'annotations', isLabels: boolean): Problem[] {
  if (map === undefined || map === null) return [];
  if (typeof map !== 'object' || Array.isArray(map)) return [error('metadata', 'must be a map of strings', `metadata.${which}`)];
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(map)) {
    const field = fieldPath(['metadata', which, key], object);
    const keyProblem = qualifiedNameError(key);
    if (keyProblem) problems.push(error('metadata', `key ${JSON.stringify(key)} ${keyProblem}`, field));
    if (typeof value !== 'string') {
      problems.push(error('metadata', `must be a string (got ${value === null ? 'null' : typeof value}; quote it in YAML)`, field));
    } else if (isLabels && (value.length > 63 || !LABEL_VALUE.test(value))) {
      problems.push(error('metadata', `${JSON.stringify(value)} is not a valid label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`, field));
    }
  }
  return problems;
}

function qualifiedNameError(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && nameError(prefix, NameRule.DNS_SUBDOMAIN)) return `has an invalid prefix ${JSON.stringify(prefix)} (it must be a DNS subdomain)`;
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return "is not a valid key: the name part must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  }
  return undefined;
}
