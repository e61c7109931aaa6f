import { IConstruct } from 'constructs';
import { ValidationError } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Which Kubernetes name rule an object kind follows. */
export enum NameRule {
  /** RFC 1123 label: at most 63 characters of `[a-z0-9-]` (Namespaces, Services, ...). */
  DNS_LABEL = 'dns-label',
  /** RFC 1123 subdomain: at most 253 characters of `[a-z0-9-.]` (most objects). */
  DNS_SUBDOMAIN = 'dns-subdomain',
}

/**
 * Checks a Kubernetes object name and throws a ValidationError naming the construct and field when it is invalid.
 */
export function validateName(scope: IConstruct | string, field: string, name: string, rule: NameRule = NameRule.DNS_SUBDOMAIN): string {
  const max = rule === NameRule.DNS_LABEL ? 63 : 253;
  const re = rule === NameRule.DNS_LABEL ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
  if (name.length === 0 || name.length > max || !re.test(name)) {
    throw new ValidationError(scope, field,
      `'${name}' is not a valid Kubernetes name: use at most ${max} lower-case letters, digits and '-'${rule === NameRule.DNS_SUBDOMAIN ? " or '.'" : ''}, starting and ending with a letter or digit`);
  }
  return name;
}

/**
 * Turns any identifier (a construct id, a Kafka topic name) into a readable RFC 1123 name, without hashes:
 * lower-cased, runs of other characters become a single '-', camelCase is split (`OrdersTopic` → `orders-topic`).
 * Returns '' when nothing usable remains.
 *
 * @param keepDots keep '.' (valid in subdomain names such as KafkaTopic names)
 */
export function toKubernetesName(id: string, keepDots = false): string {
  const split = id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  const cleaned = split.replace(keepDots ? /[^a-z0-9.]+/g : /[^a-z0-9]+/g, '-').replace(/\.{2,}/g, '.').replace(/-*\.-*/g, '.');
  return cleaned.replace(/^[-.]+|[-.]+$/g, '');
}

/**
 * The name of the object a construct emits: the explicit name when given (validated), otherwise derived from the
 * construct id. Ids such as 'Resource' and 'Default' borrow their parent's id (as in the AWS CDK), so a
 * wrapper's inner object is named after the wrapper.
 */
export function objectName(scope: IConstruct, explicit?: string, rule: NameRule = NameRule.DNS_SUBDOMAIN): string {
  if (explicit !== undefined) return validateName(scope, 'name', explicit, rule);
  let node: IConstruct | undefined = scope;
  while (node && (node.node.id === 'Resource' || node.node.id === 'Default')) node = node.node.scope;
  const id = node?.node.id ?? scope.node.id;
  const derived = toKubernetesName(id);
  if (!derived) {
    throw new ValidationError(scope, 'name', `cannot derive a Kubernetes name from construct id '${id}'; set 'name' explicitly`);
  }
  return validateName(scope, 'name', rule === NameRule.DNS_LABEL ? derived.slice(0, 63).replace(/-+$/, '') : derived, rule);
}
