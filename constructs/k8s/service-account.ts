import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { z } from 'zod';
import { objectName } from '../../lib/names';
import { propsSchema, validateProps } from '../../lib/validation';

/** Props of {@link ServiceAccount}. */
export interface ServiceAccountProps {
  /** Object name. @default - derived from the construct id */
  readonly name?: string;
  /** Annotations, e.g. for cloud workload identity. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

const schema = propsSchema<ServiceAccountProps>()({
  name: z.string().optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/**
 * A ServiceAccount that does not mount its token by default (`automountServiceAccountToken: false`); a pod that
 * needs the Kubernetes API asks for the token itself.
 */
export class ServiceAccount extends Construct {
  /** Name of the ServiceAccount. */
  public readonly name: string;
  private readonly resource: kplus.ServiceAccount;

  constructor(scope: Construct, id: string, props: ServiceAccountProps = {}) {
    super(scope, id);
    validateProps(this, schema, props);
    this.name = objectName(this, props.name);
    this.resource = new kplus.ServiceAccount(this, 'Resource', {
      metadata: { name: this.name, annotations: props.annotations ? { ...props.annotations } : undefined },
      automountToken: false,
    });
  }

  /** The cdk8s-plus-27 object (used inside constructs/k8s only). */
  public toKplus(): kplus.ServiceAccount {
    return this.resource;
  }
}
