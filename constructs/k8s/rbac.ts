import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { z } from 'zod';
import { objectName } from '../../lib/names';
import { propsSchema, validateProps } from '../../lib/validation';
import { ServiceAccount } from './service-account';

/** One RBAC rule: verbs on resources of an API group. */
export interface PolicyRule {
  /** API group ('' for the core group). */
  readonly apiGroup: string;
  /** Resources, e.g. 'pods', 'pods/log'. */
  readonly resources: readonly string[];
  /** Verbs, e.g. 'get', 'list', 'watch', 'create'. */
  readonly verbs: readonly string[];
}

/** Props of {@link Role}. */
export interface RoleProps {
  /** Object name. @default - derived from the construct id */
  readonly name?: string;
  /** The rules (namespace-scoped). */
  readonly rules: readonly PolicyRule[];
  /** Service accounts bound to the role by a RoleBinding named `<name>`. @default - none */
  readonly subjects?: readonly ServiceAccount[];
}

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] as const;

const schema = propsSchema<RoleProps>()({
  name: z.string().optional(),
  rules: z.array(propsSchema<PolicyRule>()({
    apiGroup: z.string(),
    resources: z.array(z.string().regex(/^[a-z0-9]+(\/[a-z0-9]+)?$/, 'is not a resource name such as pods or pods/log')).min(1),
    verbs: z.array(z.enum(VERBS, { message: `use ${VERBS.join(', ')} ('*' is not allowed: grant what is needed)` })).min(1),
  })).min(1, 'at least one rule is required'),
  subjects: z.array(z.instanceof(ServiceAccount)).optional(),
});

/**
 * A namespaced Role with explicit rules (no wildcards) and its RoleBinding to service accounts.
 */
export class Role extends Construct {
  /** Name of the Role (and of its RoleBinding). */
  public readonly name: string;
  private readonly role: kplus.Role;
  private binding?: kplus.RoleBinding;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    this.name = objectName(this, p.name);
    this.role = new kplus.Role(this, 'Resource', { metadata: { name: this.name } });
    for (const r of p.rules) {
      for (const resource of r.resources) {
        this.role.allow([...r.verbs], kplus.ApiResource.custom({ apiGroup: r.apiGroup, resourceType: resource }));
      }
    }
    for (const sa of p.subjects ?? []) this.bind(sa);
  }

  /** Binds the role to a service account (one RoleBinding named like the role holds every subject). */
  public bind(serviceAccount: ServiceAccount): void {
    this.binding ??= new kplus.RoleBinding(this, 'Binding', { metadata: { name: this.name }, role: this.role });
    this.binding.addSubjects(serviceAccount.toKplus());
  }
}
