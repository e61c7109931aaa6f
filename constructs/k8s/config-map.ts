import { createHash } from 'node:crypto';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { objectName } from '../../lib/names';
import { propsSchema, validateProps } from '../../lib/validation';

/** Props of {@link ConfigMap}. */
export interface ConfigMapProps {
  /** Object name. @default - derived from the construct id */
  readonly name?: string;
  /** The entries (key → text). Never put secret values here. */
  readonly data: Readonly<Record<string, string>>;
  /** Annotations. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

const schema = propsSchema<ConfigMapProps>()({
  name: z.string().optional(),
  data: z.record(z.string().regex(/^[-._a-zA-Z0-9]+$/, "ConfigMap keys use letters, digits, '-', '_' or '.'"), z.string()),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** Total size Kubernetes accepts for one ConfigMap (1 MiB), minus room for metadata. */
const MAX_BYTES = 1024 * 1024 - 16 * 1024;

/** A ConfigMap with a stable name and a content hash for pod-template annotations. */
export class ConfigMap extends Construct {
  /** Name of the ConfigMap. */
  public readonly name: string;
  /** The entries. */
  public readonly data: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ConfigMapProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    this.name = objectName(this, p.name);
    this.data = { ...p.data };
    const size = Object.entries(this.data).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    if (size > MAX_BYTES) {
      throw new ValidationError(this, 'data', `${size} bytes do not fit in one ConfigMap (at most ${MAX_BYTES}); split the content`);
    }
    new kplus.ConfigMap(this, 'Resource', {
      metadata: { name: this.name, annotations: p.annotations ? { ...p.annotations } : undefined },
      data: { ...this.data },
    });
  }

  /** SHA-256 of the content (keys sorted), for a `checksum/...` pod annotation that rolls pods on change. */
  public get contentHash(): string {
    return contentHash(this.data);
  }
}

/** SHA-256 (hex) of key/value content, independent of key order. */
export function contentHash(data: Readonly<Record<string, string>>): string {
  const h = createHash('sha256');
  for (const k of Object.keys(data).sort()) h.update(`${k}\0${data[k]}\0`);
  return h.digest('hex');
}
