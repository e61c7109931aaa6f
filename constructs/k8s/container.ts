import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { z } from 'zod';
import { propsSchema } from '../../lib/validation';
import { SecretValue, secretValueSchema } from '../secrets/reference';
import { ResourceRequirements, resourceRequirementsSchema } from './resources';

/** A value taken from the pod itself (`valueFrom.fieldRef`), e.g. `{ fieldPath: 'metadata.name' }`. */
export interface FieldRef {
  /** The field, e.g. 'metadata.name', 'metadata.namespace', 'status.podIP'. */
  readonly fieldPath: string;
}

/**
 * An environment variable value: a plain string, one key of a Secret reference (never the value itself), or a
 * field of the pod. Plain values may refer to variables defined before them with `$(NAME)`.
 */
export type EnvValue = string | SecretValue | FieldRef;

/** How Kubernetes checks a container (exactly one of `httpGet`, `tcpSocket`, `exec`). */
export interface ProbeSpec {
  /** An HTTP GET that must answer 2xx/3xx. */
  readonly httpGet?: { readonly path: string; readonly port: number; readonly scheme?: 'HTTP' | 'HTTPS' };
  /** A TCP connection that must open. */
  readonly tcpSocket?: { readonly port: number };
  /** A command that must exit 0. */
  readonly exec?: { readonly command: readonly string[] };
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 1 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
  /** @default 1 */
  readonly successThreshold?: number;
}

/** A container port. */
export interface ContainerPortSpec {
  /** Port name (at most 15 characters), used by Services and probes. */
  readonly name: string;
  /** Port number. */
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** A volume mounted into a container. */
export interface MountSpec {
  /** Name of a volume of the workload (see {@link Volume}). */
  readonly volume: string;
  /** Absolute path in the container. */
  readonly path: string;
  /**
   * @default - true for ConfigMap and Secret volumes, false for emptyDir volumes
   */
  readonly readOnly?: boolean;
  /** Mount only this file or directory of the volume. @default - the whole volume */
  readonly subPath?: string;
}

/**
 * What runs in a container and how it is checked, without its name, ports and mounts: the settings a
 * higher-level construct (a StreamingApp) passes through to its main container.
 */
export interface ContainerSettings {
  /** Image reference, preferably pinned by tag or digest. */
  readonly image: string;
  /** Entrypoint. @default - the image's ENTRYPOINT */
  readonly command?: readonly string[];
  /** Arguments. @default - the image's CMD */
  readonly args?: readonly string[];
  /** Working directory. @default - the image's WORKDIR */
  readonly workingDir?: string;
  /** Environment variables, in order. @default - none */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** CPU and memory. @default - see `DEFAULT_RESOURCES` */
  readonly resources?: ResourceRequirements;
  /** @default - none */
  readonly readinessProbe?: ProbeSpec;
  /** @default - none */
  readonly livenessProbe?: ProbeSpec;
  /** @default - none */
  readonly startupProbe?: ProbeSpec;
  /**
   * Directories that must be writable despite the read-only root filesystem: each gets an emptyDir volume.
   * @default ['/tmp']
   */
  readonly writableDirs?: readonly string[];
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /**
   * UID the container runs as. @default - the image's USER (which must not be root)
   */
  readonly user?: number;
  /** GID the container runs as. @default - the image's group */
  readonly group?: number;
}

/**
 * One container. Secure by default: runs as non-root with a read-only root filesystem, no privilege
 * escalation, every Linux capability dropped, and CPU/memory requests and limits.
 */
export interface ContainerSpec extends ContainerSettings {
  /** Container name (RFC 1123 label). */
  readonly name: string;
  /** Ports the container listens on. @default - none */
  readonly ports?: readonly ContainerPortSpec[];
  /** Volumes mounted into the container. @default - none */
  readonly mounts?: readonly MountSpec[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const ABSOLUTE_PATH = /^\/[^\0]*$/;
const seconds = (min: number) => z.number().int().min(min);
const port = z.number().int().min(1).max(65535);

/** zod schema of {@link ProbeSpec}. */
export const probeSchema = propsSchema<ProbeSpec>()({
  httpGet: z.strictObject({ path: z.string().startsWith('/'), port, scheme: z.enum(['HTTP', 'HTTPS']).optional() }).optional(),
  tcpSocket: z.strictObject({ port }).optional(),
  exec: z.strictObject({ command: z.array(z.string()).min(1) }).optional(),
  initialDelaySeconds: seconds(0).optional(),
  periodSeconds: seconds(1).optional(),
  timeoutSeconds: seconds(1).optional(),
  failureThreshold: seconds(1).optional(),
  successThreshold: seconds(1).optional(),
}).refine((p) => [p.httpGet, p.tcpSocket, p.exec].filter(Boolean).length === 1, 'set exactly one of httpGet, tcpSocket or exec');

/** zod schema of an {@link EnvValue}. */
export const envValueSchema = z.union([
  z.string(),
  secretValueSchema(),
  propsSchema<FieldRef>()({ fieldPath: z.string().min(1) }),
], { message: 'must be a string, a SecretValue (secret.envValue(key)) or { fieldPath }' });

/** zod schema of environment variables (name → {@link EnvValue}). */
export const envSchema = z.record(z.string().regex(ENV_NAME, 'is not a valid environment variable name'), envValueSchema);

/** zod shape of {@link ContainerSettings}. */
export const containerSettingsShape = {
  image: z.string().min(1).regex(/^\S+$/, 'must not contain spaces'),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  workingDir: z.string().regex(ABSOLUTE_PATH, 'must be an absolute path').optional(),
  env: envSchema.optional(),
  resources: resourceRequirementsSchema.optional(),
  readinessProbe: probeSchema.optional(),
  livenessProbe: probeSchema.optional(),
  startupProbe: probeSchema.optional(),
  writableDirs: z.array(z.string().regex(ABSOLUTE_PATH, 'must be an absolute path')).optional(),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  user: z.number().int().min(1, 'must not be 0 (root)').optional(),
  group: z.number().int().min(0).optional(),
};

/** zod schema of {@link ContainerSpec}. */
export const containerSpecSchema = propsSchema<ContainerSpec>()({
  ...containerSettingsShape,
  name: z.string().max(63).regex(DNS_LABEL, "use lower-case letters, digits and '-'"),
  ports: z.array(propsSchema<ContainerPortSpec>()({
    name: z.string().max(15).regex(DNS_LABEL, "use at most 15 lower-case letters, digits and '-'"),
    port,
    protocol: z.enum(['TCP', 'UDP']).optional(),
  })).optional(),
  mounts: z.array(propsSchema<MountSpec>()({
    volume: z.string().min(1),
    path: z.string().regex(ABSOLUTE_PATH, 'must be an absolute path'),
    readOnly: z.boolean().optional(),
    subPath: z.string().min(1).optional(),
  })).optional(),
});

/** Converts a probe to cdk8s-plus-27 (used inside constructs/k8s only). */
export function toKplusProbe(p: ProbeSpec): kplus.Probe {
  const options = {
    initialDelaySeconds: p.initialDelaySeconds !== undefined ? Duration.seconds(p.initialDelaySeconds) : undefined,
    periodSeconds: p.periodSeconds !== undefined ? Duration.seconds(p.periodSeconds) : undefined,
    timeoutSeconds: p.timeoutSeconds !== undefined ? Duration.seconds(p.timeoutSeconds) : undefined,
    failureThreshold: p.failureThreshold,
    successThreshold: p.successThreshold,
  };
  if (p.httpGet) {
    return kplus.Probe.fromHttpGet(p.httpGet.path, {
      ...options, port: p.httpGet.port,
      scheme: p.httpGet.scheme === 'HTTPS' ? kplus.ConnectionScheme.HTTPS : kplus.ConnectionScheme.HTTP,
    });
  }
  if (p.tcpSocket) return kplus.Probe.fromTcpSocket({ ...options, port: p.tcpSocket.port });
  return kplus.Probe.fromCommand([...p.exec!.command], options);
}
