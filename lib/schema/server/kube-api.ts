import * as http from 'node:http';
import * as https from 'node:https';

/** Where a Kubernetes API server is and how to authenticate to it. */
export interface KubeEndpoint {
  /** e.g. `https://127.0.0.1:6443`, or `http://127.0.0.1:8001` for a `kubectl proxy`. */
  readonly baseUrl: string;
  /** A bearer token. @default - none (a `kubectl proxy` adds the credentials of the kubeconfig) */
  readonly token?: string;
  /** PEM of the CA that signed the server's certificate. @default - the system's CAs */
  readonly ca?: string;
}

/** An object as the API reads and writes it. */
export interface ApiObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** Options of {@link KubeApi.apply}. */
export interface ApplyOptions {
  /** The field manager of the server-side apply. */
  readonly fieldManager: string;
  /** Only a dry run (`dryRun=All`): admission and validation run, nothing is stored. @default false */
  readonly dryRun?: boolean;
  /** Take over fields owned by other managers (`force=true`). @default false */
  readonly force?: boolean;
  /** Namespace of a namespaced object that names none. @default 'default' */
  readonly defaultNamespace?: string;
}

/** The outcome of one server-side apply. */
export interface ApplyResult {
  /** Whether the server accepted the object. */
  readonly ok: boolean;
  /** HTTP status (0 when the kind is not served by the server). */
  readonly status: number;
  /** The object the server returned (accepted only). */
  readonly object?: ApiObject & { readonly metadata: { readonly resourceVersion?: string; readonly [key: string]: unknown } };
  /** The server's message (rejected only), e.g. `.spec.partitionz: field not declared in schema`. */
  readonly message?: string;
  /** Why, in one word: the server's `reason` (`Invalid`, `BadRequest`, `NotFound`, ...) or `UnknownKind`. */
  readonly reason?: string;
}

/** Thrown when the server cannot be reached or answers something that is not the Kubernetes API. */
export class KubeApiUnreachableError extends Error {
  constructor(readonly baseUrl: string, cause: string) {
    super(`cannot reach the Kubernetes API at ${baseUrl}: ${cause}`);
    this.name = 'KubeApiUnreachableError';
  }
}

interface Resource {
  readonly name: string;
  readonly namespaced: boolean;
}

/**
 * A minimal client of the Kubernetes REST API for server-side apply
 * (https://kubernetes.io/docs/reference/using-api/server-side-apply/): discovery of the resource name of a kind per
 * group/version (`GET /api/v1`, `GET /apis/<group>/<version>`), `PATCH` with `application/apply-patch+yaml` and
 * `fieldValidation=Strict` (unknown or duplicate fields are rejected, as `kubectl apply --validate=strict` does), and
 * `GET` of the stored object. Generic: it knows no kinds.
 */
export class KubeApi {
  private readonly resources = new Map<string, Promise<Map<string, Resource> | undefined>>();

  constructor(readonly endpoint: KubeEndpoint) {}

  /** Server-side apply of one object (create or update). Never throws for a rejection: see {@link ApplyResult}. */
  async apply(object: ApiObject, options: ApplyOptions): Promise<ApplyResult> {
    const url = await this.objectPath(object, options.defaultNamespace);
    if (!url) {
      return { ok: false, status: 0, reason: 'UnknownKind', message: `the server has no kind ${object.kind} in ${object.apiVersion} (is its CRD installed?)` };
    }
    const query = new URLSearchParams({ fieldManager: options.fieldManager, fieldValidation: 'Strict' });
    if (options.dryRun) query.set('dryRun', 'All');
    if (options.force) query.set('force', 'true');
    const res = await this.request('PATCH', `${url}?${query}`, JSON.stringify(object), 'application/apply-patch+yaml');
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, object: res.body as ApplyResult['object'] };
    return { ok: false, status: res.status, message: statusMessage(res.body, res.text), reason: (res.body as any)?.reason ?? `HTTP ${res.status}` };
  }

  /** The stored object, or undefined when it does not exist. */
  async get(object: ApiObject, defaultNamespace?: string): Promise<ApplyResult['object'] | undefined> {
    const url = await this.objectPath(object, defaultNamespace);
    if (!url) return undefined;
    const res = await this.request('GET', url);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`GET ${url}: ${statusMessage(res.body, res.text)}`);
    return res.body as ApplyResult['object'];
  }

  /** `GET path` (the body parsed as JSON when it is JSON); throws {@link KubeApiUnreachableError} when there is no answer. */
  async getJson(urlPath: string): Promise<{ status: number; body: unknown; text: string }> {
    return this.request('GET', urlPath);
  }

  /** Forgets the discovered resources (call after CRDs were installed). */
  refresh(): void {
    this.resources.clear();
  }

  /** `/api/v1/namespaces/<ns>/<resource>/<name>`, or undefined when the server does not serve the kind. */
  private async objectPath(object: ApiObject, defaultNamespace = 'default'): Promise<string | undefined> {
    const resource = await this.resource(object.apiVersion, object.kind);
    if (!resource) return undefined;
    const prefix = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
    const ns = resource.namespaced ? `/namespaces/${encodeURIComponent(object.metadata.namespace ?? defaultNamespace)}` : '';
    return `${prefix}${ns}/${resource.name}/${encodeURIComponent(object.metadata.name)}`;
  }

  private async resource(apiVersion: string, kind: string): Promise<Resource | undefined> {
    const found = (await this.discover(apiVersion))?.get(kind);
    if (found) return found;
    this.resources.delete(apiVersion); // a kind installed since the last look
    return (await this.discover(apiVersion))?.get(kind);
  }

  private discover(apiVersion: string): Promise<Map<string, Resource> | undefined> {
    let known = this.resources.get(apiVersion);
    if (!known) {
      const url = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      known = this.request('GET', url).then(({ status, body }) => {
        if (status === 404) return undefined;
        if (status !== 200) throw new Error(`GET ${url}: HTTP ${status}`);
        const map = new Map<string, Resource>();
        for (const r of (body as { resources?: Array<{ name: string; kind: string; namespaced: boolean }> }).resources ?? []) {
          if (!r.name.includes('/')) map.set(r.kind, { name: r.name, namespaced: r.namespaced });
        }
        return map;
      });
      known.catch(() => this.resources.delete(apiVersion));
      this.resources.set(apiVersion, known);
    }
    return known;
  }

  private request(method: string, urlPath: string, body?: string, contentType?: string): Promise<{ status: number; body: unknown; text: string }> {
    const url = new URL(urlPath, this.endpoint.baseUrl);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.endpoint.token) headers.Authorization = `Bearer ${this.endpoint.token}`;
    if (body !== undefined) {
      headers['Content-Type'] = contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers, ...(this.endpoint.ca ? { ca: this.endpoint.ca } : {}), timeout: 60_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
      });
      req.on('timeout', () => req.destroy(new Error('no answer within 60 s')));
      req.on('error', (e) => reject(new KubeApiUnreachableError(this.endpoint.baseUrl, e.message)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

/** The message of a `Status` answer, else the text. */
function statusMessage(body: unknown, text: string): string {
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : text.trim() || 'no message';
}
