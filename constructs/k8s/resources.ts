import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { z } from 'zod';
import { propsSchema } from '../../lib/validation';

/** CPU and memory of one container, as Kubernetes quantities. */
export interface ResourceRequirements {
  /**
   * CPU in cores ('0.5', '2') or millicores ('250m').
   * @default { request: '100m', limit: '500m' }
   */
  readonly cpu?: { readonly request?: string; readonly limit?: string };
  /**
   * Memory in mebibytes or gibibytes ('512Mi', '2Gi').
   * @default { request: '256Mi', limit: '256Mi' }
   */
  readonly memory?: { readonly request?: string; readonly limit?: string };
  /**
   * Ephemeral storage in gibibytes ('1Gi'), counted against emptyDir volumes and container logs.
   * @default - not set
   */
  readonly ephemeralStorage?: { readonly request?: string; readonly limit?: string };
}

/** Requests and limits every container gets unless it says otherwise. */
export const DEFAULT_RESOURCES = {
  cpu: { request: '100m', limit: '500m' },
  memory: { request: '256Mi', limit: '256Mi' },
} as const;

const CPU = /^([0-9]+m|[0-9]+(\.[0-9]{1,3})?)$/;
const MEMORY = /^[1-9][0-9]*(Mi|Gi)$/;
const STORAGE = /^[1-9][0-9]*Gi$/;

const pair = (re: RegExp, hint: string) => z.strictObject({
  request: z.string().regex(re, hint).optional(),
  limit: z.string().regex(re, hint).optional(),
}).refine((p) => p.request === undefined || p.limit === undefined || parseQuantity(p.request) <= parseQuantity(p.limit),
  { message: 'request must not be greater than limit' });

/** zod schema of {@link ResourceRequirements}, for construct props that embed it. */
export const resourceRequirementsSchema = propsSchema<ResourceRequirements>()({
  cpu: pair(CPU, "use cores ('0.5') or millicores ('250m')").optional(),
  memory: pair(MEMORY, "use Mi or Gi, e.g. '512Mi' or '2Gi'").optional(),
  ephemeralStorage: pair(STORAGE, "use Gi, e.g. '1Gi'").optional(),
});

/** Fills in the defaults: every container has CPU and memory requests and limits. */
export function withDefaultResources(r: ResourceRequirements | undefined): ResourceRequirements {
  return {
    cpu: { ...DEFAULT_RESOURCES.cpu, ...r?.cpu },
    memory: { ...DEFAULT_RESOURCES.memory, ...r?.memory },
    ...(r?.ephemeralStorage ? { ephemeralStorage: r.ephemeralStorage } : {}),
  };
}

/** Converts to cdk8s-plus-27 resources (used inside constructs/k8s only). */
export function toKplusResources(r: ResourceRequirements): kplus.ContainerResources {
  return {
    cpu: { request: cpu(r.cpu?.request), limit: cpu(r.cpu?.limit) },
    memory: { request: size(r.memory?.request), limit: size(r.memory?.limit) },
    ...(r.ephemeralStorage ? { ephemeralStorage: { request: size(r.ephemeralStorage.request), limit: size(r.ephemeralStorage.limit) } } : {}),
  };
}

function cpu(q: string | undefined): kplus.Cpu | undefined {
  if (q === undefined) return undefined;
  return q.endsWith('m') ? kplus.Cpu.millis(Number(q.slice(0, -1))) : kplus.Cpu.units(Number(q));
}

function size(q: string | undefined): Size | undefined {
  if (q === undefined) return undefined;
  const n = Number(q.slice(0, -2));
  return q.endsWith('Gi') ? Size.gibibytes(n) : Size.mebibytes(n);
}

/** A quantity as a number (cores or bytes), for comparisons. */
function parseQuantity(q: string): number {
  if (q.endsWith('m')) return Number(q.slice(0, -1)) / 1000;
  if (q.endsWith('Mi')) return Number(q.slice(0, -2)) * 2 ** 20;
  if (q.endsWith('Gi')) return Number(q.slice(0, -2)) * 2 ** 30;
  return Number(q);
}
