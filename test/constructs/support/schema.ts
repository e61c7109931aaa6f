/**
 * Schema checks for the tests of constructs/{k8s,secrets,dbt,airflow}: a thin wrapper over the shared
 * validator in lib/schema (Kubernetes kinds against kubernetes-models, custom resources against the upstream CRDs).
 */
import { SchemaValidator } from '../../../lib/schema';

const validator = new SchemaValidator({ strictUnknown: true });

interface KubeObjectLike { readonly apiVersion: string; readonly kind: string; readonly metadata?: { readonly name?: string } }

/** Throws an Error naming every object that has schema errors (warnings are ignored), and each problem. */
export function validateAll(objects: readonly KubeObjectLike[]): void {
  const problems: string[] = [];
  for (const o of objects) {
    for (const p of validator.validate(o)) {
      if (p.severity !== 'error') continue;
      problems.push(`${o.kind} ${o.metadata?.name ?? '<unnamed>'} (${o.apiVersion}): ${p.field ? `${p.field}: ` : ''}${p.message} [${p.rule}]`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}
