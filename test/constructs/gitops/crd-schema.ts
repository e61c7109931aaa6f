import { SchemaValidator } from '../../../lib/schema';

let validator: SchemaValidator | undefined;

/**
 * The problems `synth validate` reports for an object: Argo CD and Flux objects against the openAPIV3Schema of the
 * upstream CRDs, with unknown fields as errors (the API server's strict field validation), and their metadata.
 * Returns `field: message` lines, errors only; an empty list when a cluster would accept the object.
 */
export function crdProblems(object: { readonly apiVersion: string; readonly kind: string; readonly [key: string]: unknown }): string[] {
  validator ??= new SchemaValidator();
  return validator.validate(object).filter((p) => p.severity === 'error').map((p) => `${p.field ?? '.'}: ${p.message}`);
}
