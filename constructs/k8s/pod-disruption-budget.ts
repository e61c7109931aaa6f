import { Construct } from 'constructs';
import { z } from 'zod';
import { objectName } from '../../lib/names';
import { propsSchema, validateProps } from '../../lib/validation';
import { IntOrString, KubePodDisruptionBudget } from 'cdk8s-plus-27/lib/imports/k8s';

/** Props of {@link PodDisruptionBudget} (exactly one of `maxUnavailable`, `minAvailable`). */
export interface PodDisruptionBudgetProps {
  /** Object name. @default - derived from the construct id */
  readonly name?: string;
  /** Labels of the pods. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Pods that may be down at once during voluntary disruptions (node drains). @default 1 */
  readonly maxUnavailable?: number;
  /** Pods that must stay up during voluntary disruptions. @default - use maxUnavailable */
  readonly minAvailable?: number;
}

const schema = propsSchema<PodDisruptionBudgetProps>()({
  name: z.string().optional(),
  selectorLabels: z.record(z.string(), z.string()).refine((l) => Object.keys(l).length > 0, 'at least one label is required'),
  maxUnavailable: z.number().int().min(0).optional(),
  minAvailable: z.number().int().min(0).optional(),
}).refine((p) => p.maxUnavailable === undefined || p.minAvailable === undefined, 'set maxUnavailable or minAvailable, not both');

/** A `policy/v1` PodDisruptionBudget. */
export class PodDisruptionBudget extends Construct {
  /** Name of the PodDisruptionBudget. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: PodDisruptionBudgetProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    this.name = objectName(this, p.name);
    new KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        selector: { matchLabels: { ...p.selectorLabels } },
        ...(p.minAvailable !== undefined
          ? { minAvailable: IntOrString.fromNumber(p.minAvailable) }
          : { maxUnavailable: IntOrString.fromNumber(p.maxUnavailable ?? 1) }),
      },
    });
  }
}
