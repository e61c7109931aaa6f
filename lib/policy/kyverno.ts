import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../errors';
import { DataPlatform, Environment } from '../platform';
import { Artifacts } from '../synthesizer/artifacts';
import { KubeObject } from '../synthesizer/manifest';
import { toYaml } from '../synthesizer/yaml';
import { propsSchema, validateProps } from '../validation';
import { PolicyPack } from './pack';
import { Rule, RuleLevel } from './rule';

/**
 * Admission policies from rule metadata: every rule of a pack that declares a Kyverno mapping
 * (`scanners.kyverno`, written by the rule's domain) becomes one kyverno.io/v1 `ClusterPolicy`
 * (https://kyverno.io/docs/policy-types/cluster-policy/), so that changes that bypass this tool (a `kubectl apply`,
 * another pipeline) meet the same rules in the cluster. The engine adds only what is not the domain's: names,
 * documentation annotations, the failure action (Enforce for error rules, Audit otherwise) and, for production-only
 * rules, the namespaces they apply to.
 */

/** The folder (under the output folder) of ClusterPolicies written by a platform-level {@link KyvernoPolicies}. */
export const KYVERNO_BOOTSTRAP_DIR = 'bootstrap/kyverno';

/** Options of `kyvernoClusterPolicies`. */
export interface KyvernoExportOptions {
  /**
   * Where production-only rules apply: `'all'` (the policies go to a production cluster), a list of namespaces, or
   * `'none'` (the policies go to a non-production cluster: production-only rules are left out).
   */
  readonly production: 'all' | 'none' | readonly string[];
  /** The failure action of error-level rules. @default 'Enforce' */
  readonly errorAction?: 'Enforce' | 'Audit';
}

/** The Kubernetes name of a rule's ClusterPolicy (`DOP-K8S-002` → `dop-k8s-002`). */
export function kyvernoPolicyName(rule: Rule): string {
  return rule.id.toLowerCase();
}

/** The ClusterPolicies of a pack's rules that have a Kyverno mapping, ordered by rule id. */
export function kyvernoClusterPolicies(pack: PolicyPack, options: KyvernoExportOptions): KubeObject[] {
  const production = options.production;
  const out: KubeObject[] = [];
  for (const rule of [...pack.rules].sort((a, b) => a.id.localeCompare(b.id))) {
    const mapping = rule.scanners?.kyverno;
    if (!mapping || mapping.rules.length === 0) continue;
    if (mapping.productionOnly && production === 'none') continue;
    if (mapping.productionOnly && Array.isArray(production) && production.length === 0) continue;
    const namespaces = mapping.productionOnly && Array.isArray(production) ? [...production].sort() : undefined;
    const failureAction = rule.level === RuleLevel.ERROR ? options.errorAction ?? 'Enforce' : 'Audit';
    out.push({
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: {
        name: kyvernoPolicyName(rule),
        labels: { 'app.kubernetes.io/managed-by': 'cdk8s-dataops' },
        annotations: {
          'policies.kyverno.io/title': `${rule.id}: ${rule.description}`,
          'policies.kyverno.io/description': `${rule.rationale} ${rule.remediation}`,
          'policies.kyverno.io/severity': rule.level === RuleLevel.ERROR ? 'high' : rule.level === RuleLevel.WARNING ? 'medium' : 'low',
          'dataops.cdk8s.io/rule': rule.id,
          'dataops.cdk8s.io/pack': pack.name,
        },
      },
      spec: {
        background: true,
        rules: mapping.rules.map((r) => withAction(namespaces ? inNamespaces(r, namespaces) : r, failureAction)),
      },
    });
  }
  return out;
}

function withAction(rule: Readonly<Record<string, unknown>>, failureAction: string): Record<string, unknown> {
  const validate = rule.validate as Record<string, unknown> | undefined;
  return validate ? { ...rule, validate: { ...validate, failureAction } } : { ...rule };
}

/** Restricts every `match.any[]` / `match.all[]` resource filter of a rule to namespaces. */
function inNamespaces(rule: Readonly<Record<string, unknown>>, namespaces: readonly string[]): Record<string, unknown> {
  const match = (rule.match ?? {}) as Record<string, unknown>;
  const restrict = (filters: unknown) => (filters as Record<string, any>[]).map((f) => ({ ...f, resources: { ...f.resources, namespaces: [...namespaces] } }));
  const restricted: Record<string, unknown> = { ...match };
  for (const key of ['any', 'all']) if (Array.isArray(match[key])) restricted[key] = restrict(match[key]);
  return { ...rule, match: restricted };
}

/** Props of {@link KyvernoPolicies}. */
export interface KyvernoPoliciesProps {
  /** The pack whose admission-checkable rules become ClusterPolicies (e.g. `PolicyPacks.recommended()`). */
  readonly pack: PolicyPack;
  /**
   * On a platform: the namespaces where production-only rules (production topic durability, image digests) apply.
   * @default - every namespace the objects of the production environments use
   */
  readonly productionNamespaces?: readonly string[];
  /** The failure action of error-level rules (warnings are always `Audit`). @default 'Enforce' */
  readonly errorAction?: 'Enforce' | 'Audit';
}

const PROPS_SCHEMA = propsSchema<KyvernoPoliciesProps>()({
  pack: z.custom<PolicyPack>((v) => !!v && typeof (v as PolicyPack).name === 'string' && Array.isArray((v as PolicyPack).rules), 'expected a policy pack { name, rules }, e.g. PolicyPacks.recommended()'),
  productionNamespaces: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'expected a namespace name')).optional(),
  errorAction: z.enum(['Enforce', 'Audit']).optional(),
});

/**
 * The pack's rules as Kyverno ClusterPolicies.
 *
 * - On a {@link DataPlatform}: written to `dist/bootstrap/kyverno/clusterpolicy.<rule-id>.yaml` (apply once per cluster,
 *   or from an app-of-apps); production-only rules are limited to the production namespaces.
 * - On an {@link Environment}: objects of that environment (delivered with its manifests); production-only rules are
 *   included when the environment is a production one.
 *
 * ```ts
 * new KyvernoPolicies(platform, 'admission', { pack: PolicyPacks.recommended() });
 * ```
 */
export class KyvernoPolicies extends Construct {
  /** The pack. */
  public readonly pack: PolicyPack;

  constructor(scope: DataPlatform | Environment, id: string, props: KyvernoPoliciesProps) {
    super(scope, id);
    const p = validateProps(this, PROPS_SCHEMA, props);
    this.pack = p.pack as PolicyPack;
    const errorAction = p.errorAction;
    if (scope instanceof Environment) {
      if (p.productionNamespaces !== undefined) throw new ValidationError(this, 'productionNamespaces', 'applies to platform-level policies only; in an environment, production-only rules follow the environment');
      for (const policy of kyvernoClusterPolicies(this.pack, { production: scope.production ? 'all' : 'none', errorAction })) {
        new ApiObject(this, policy.metadata.name, policy as any);
      }
      return;
    }
    if (!(scope instanceof DataPlatform)) throw new ValidationError(this, 'scope', 'KyvernoPolicies belong to a DataPlatform or an Environment');
    const platform = scope;
    Artifacts.addFolder(this, {
      dir: KYVERNO_BOOTSTRAP_DIR,
      render: (context) => {
        const production = p.productionNamespaces ?? productionNamespacesOf(platform, (env) => context.objectsOf(env));
        const files = new Map<string, string>();
        for (const policy of kyvernoClusterPolicies(this.pack, { production, errorAction })) files.set(`clusterpolicy.${policy.metadata.name}.yaml`, toYaml(policy));
        return files;
      },
    });
  }
}

function productionNamespacesOf(platform: DataPlatform, objectsOf: (env: Environment) => readonly { readonly object: KubeObject }[]): string[] {
  const namespaces = new Set<string>();
  for (const env of platform.node.findAll().filter((c): c is Environment => c instanceof Environment && c.production)) {
    for (const { object } of objectsOf(env)) if (object.metadata.namespace) namespaces.add(object.metadata.namespace);
  }
  return [...namespaces].sort();
}
