import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { z } from 'zod';
import { NameRule, objectName } from '../../lib/names';
import { propsSchema, validateProps } from '../../lib/validation';

/** A port of a {@link Service}. */
export interface ServicePortSpec {
  /** Port name. */
  readonly name: string;
  /** Port the Service listens on. */
  readonly port: number;
  /** Port of the pods. @default - same as `port` */
  readonly targetPort?: number;
}

/** Props of {@link Service}. */
export interface ServiceProps {
  /** Object name (an RFC 1123 label: it becomes a DNS name). @default - derived from the construct id */
  readonly name?: string;
  /** Labels of the pods the Service sends traffic to. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** The ports. */
  readonly ports: readonly ServicePortSpec[];
}

const port = z.number().int().min(1).max(65535);
const schema = propsSchema<ServiceProps>()({
  name: z.string().optional(),
  selectorLabels: z.record(z.string(), z.string()).refine((l) => Object.keys(l).length > 0, 'at least one label is required'),
  ports: z.array(propsSchema<ServicePortSpec>()({ name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(15), port, targetPort: port.optional() })).min(1),
});

/** A ClusterIP Service (in-cluster only; expose it through your ingress or gateway). */
export class Service extends Construct {
  /** Name of the Service (its DNS name in the namespace). */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ServiceProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    this.name = objectName(this, p.name, NameRule.DNS_LABEL);
    const svc = new kplus.Service(this, 'Resource', {
      metadata: { name: this.name },
      type: kplus.ServiceType.CLUSTER_IP,
      ports: p.ports.map((x) => ({ name: x.name, port: x.port, targetPort: x.targetPort ?? x.port })),
    });
    for (const [k, v] of Object.entries(p.selectorLabels)) svc.selectLabel(k, v);
  }
}
