import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ValidationError } from '../../lib/errors';
import { SecretReference } from '../secrets/reference';

type VolumeSource =
  | { readonly type: 'emptyDir'; readonly sizeLimit?: string; readonly memory?: boolean }
  | { readonly type: 'configMap'; readonly configMapName: string; readonly items?: Readonly<Record<string, string>>; readonly defaultMode?: number }
  | { readonly type: 'secret'; readonly reference: SecretReference; readonly items?: Readonly<Record<string, string>>; readonly defaultMode?: number };

const VOLUME_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SIZE = /^[1-9][0-9]*(Mi|Gi)$/;

/**
 * A pod volume: scratch space (emptyDir), files from a ConfigMap, or files from a Secret reference.
 * Mount it in a container with `mounts: [{ volume: 'name', path: '/etc/app' }]`.
 */
export class Volume {
  /** Scratch space that lives as long as the pod: the writable part of a read-only root filesystem. */
  public static emptyDir(name: string, options: { readonly sizeLimit?: string; readonly memory?: boolean } = {}): Volume {
    return new Volume(name, { type: 'emptyDir', ...options });
  }

  /** The keys of a ConfigMap as files (`items` maps key → relative path; default every key under its own name). */
  public static configMap(name: string, configMapName: string, options: { readonly items?: Readonly<Record<string, string>>; readonly defaultMode?: number } = {}): Volume {
    return new Volume(name, { type: 'configMap', configMapName, ...options });
  }

  /**
   * The keys of a Secret as files (`items` maps key → relative path; default every key under its own name).
   * @param options.defaultMode file mode, default 0o440 (owner and group may read)
   */
  public static secret(name: string, reference: SecretReference, options: { readonly items?: Readonly<Record<string, string>>; readonly defaultMode?: number } = {}): Volume {
    return new Volume(name, { type: 'secret', reference, ...options });
  }

  private constructor(public readonly name: string, private readonly source: VolumeSource) {}

  /** Whether the volume is writable scratch space. */
  public get writable(): boolean {
    return this.source.type === 'emptyDir';
  }

  /** Checks the volume; throws a ValidationError naming `scope` and `field`. */
  public validate(scope: Construct, field: string): void {
    if (!VOLUME_NAME.test(this.name) || this.name.length > 63) {
      throw new ValidationError(scope, field, `'${this.name}' is not a valid volume name: lower-case letters, digits and '-', at most 63 characters`);
    }
    const s = this.source;
    if (s.type === 'emptyDir' && s.sizeLimit !== undefined && !SIZE.test(s.sizeLimit)) {
      throw new ValidationError(scope, `${field}.sizeLimit`, `'${s.sizeLimit}' is not a size: use Mi or Gi, e.g. '512Mi'`);
    }
    if (s.type === 'secret') {
      for (const key of Object.keys(s.items ?? {})) {
        if (!s.reference.hasKey(key)) throw new ValidationError(scope, `${field}.items`, `secret '${s.reference.secretName}' has no key '${key}'`);
      }
    }
    if ((s.type === 'secret' || s.type === 'configMap') && s.defaultMode !== undefined && !(Number.isInteger(s.defaultMode) && s.defaultMode >= 0 && s.defaultMode <= 0o777)) {
      throw new ValidationError(scope, `${field}.defaultMode`, `${s.defaultMode} is not a file mode (0 to 0o777)`);
    }
  }

  /** Builds the cdk8s-plus-27 volume under `scope` (used inside constructs/k8s only). */
  public toKplus(scope: Construct, id: string): kplus.Volume {
    const s = this.source;
    const items = (m: Readonly<Record<string, string>> | undefined) =>
      m ? Object.fromEntries(Object.entries(m).map(([k, path]) => [k, { path }])) : undefined;
    switch (s.type) {
      case 'emptyDir':
        return kplus.Volume.fromEmptyDir(scope, id, this.name, {
          medium: s.memory ? kplus.EmptyDirMedium.MEMORY : undefined,
          sizeLimit: s.sizeLimit ? (s.sizeLimit.endsWith('Gi') ? Size.gibibytes(Number(s.sizeLimit.slice(0, -2))) : Size.mebibytes(Number(s.sizeLimit.slice(0, -2)))) : undefined,
        });
      case 'configMap':
        return kplus.Volume.fromConfigMap(scope, id, kplus.ConfigMap.fromConfigMapName(scope, `${id}ConfigMap`, s.configMapName), {
          name: this.name, items: items(s.items), defaultMode: s.defaultMode,
        });
      case 'secret':
        return kplus.Volume.fromSecret(scope, id, kplus.Secret.fromSecretName(scope, `${id}Secret`, s.reference.secretName), {
          name: this.name, items: items(s.items), defaultMode: s.defaultMode ?? 0o440,
        });
    }
  }
}

/** The volume name used for a writable directory, e.g. '/opt/airflow/logs' → 'opt-airflow-logs'. */
export function writableVolumeName(path: string): string {
  const name = path.replace(/^\/+|\/+$/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return (name || 'root').slice(0, 63).replace(/-+$/, '');
}
