/**
 * A loopback server that answers like Vault's KV version 2 HTTP API for the calls tfsync makes:
 * `GET /v1/<mount>/data/<path>[?version=N]` (`{data: {data, metadata}}`), `GET /v1/<mount>/metadata/<path>`
 * (versions, never values) and `POST /v1/<mount>/data/<path>` (`{options: {cas}, data}`, check-and-set
 * enforced as Vault does). It checks X-Vault-Token (403 `permission denied` otherwise), records every
 * request with its headers, and can be told to fail the next requests with a status and an `errors` array.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback-server.js';

export interface VaultRequest {
  method: string;
  url: string;
  token: string | undefined;
  namespace: string | undefined;
  body: unknown;
}

interface Version {
  data: Record<string, unknown>;
  created_time: string;
  deletion_time: string;
  destroyed: boolean;
}

export class FakeVault extends LoopbackServer {
  readonly requests: VaultRequest[] = [];
  /** `<mount>/<path>` to its versions, oldest first (version n is index n-1). */
  readonly secrets = new Map<string, Version[]>();
  readonly mounts = new Set<string>(['secret']);
  /** Called before a write is applied: a test makes a concurrent change here. */
  beforeWrite: (() => void) | undefined;
  private failures: Array<{ status: number; errors: string[] }> = [];

  constructor(readonly token: string) {
    super();
  }

  /** Stores a new version, as `vault kv put` would. */
  put(mountAndPath: string, data: Record<string, unknown>): void {
    const versions = this.secrets.get(mountAndPath) ?? [];
    versions.push({ data: structuredClone(data), created_time: new Date(0).toISOString(), deletion_time: '', destroyed: false });
    this.secrets.set(mountAndPath, versions);
  }

  /** The latest version's data, as `vault kv get` would show it. */
  latest(mountAndPath: string): Record<string, unknown> | undefined {
    return this.secrets.get(mountAndPath)?.at(-1)?.data;
  }

  /** Soft-deletes the latest version, as `vault kv delete` does. */
  deleteLatest(mountAndPath: string): void {
    const latest = this.secrets.get(mountAndPath)?.at(-1);
    if (latest) latest.deletion_time = new Date(0).toISOString();
  }

  /** Back to an empty store with no failures queued (between tests). */
  reset(): void {
    this.secrets.clear();
    this.requests.length = 0;
    this.failures = [];
    this.beforeWrite = undefined;
  }

  failNext(status: number, errors: string[], times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ status, errors });
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? JSON.parse(raw) : undefined;
    const token = req.headers['x-vault-token'] as string | undefined;
    this.requests.push({ method: req.method!, url: req.url!, token, namespace: req.headers['x-vault-namespace'] as string | undefined, body });
    const send = (status: number, payload?: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    const failure = this.failures.shift();
    if (failure) return send(failure.status, { errors: failure.errors });
    if (token !== this.token) return send(403, { errors: ['permission denied'] });

    const url = new URL(req.url!, this.url);
    const match = /^\/v1\/([^/]+)\/(data|metadata)\/(.+)$/.exec(url.pathname);
    if (!match || !this.mounts.has(match[1]!)) return send(404, { errors: [] });
    const [, mount, api, path] = match as unknown as [string, string, string, string];
    const key = `${mount}/${decodeURIComponent(path)}`;
    const versions = this.secrets.get(key);

    if (api === 'metadata' && req.method === 'GET') {
      if (!versions) return send(404, { errors: [] });
      return send(200, {
        data: {
          current_version: versions.length,
          versions: Object.fromEntries(versions.map((v, i) => [String(i + 1), { created_time: v.created_time, deletion_time: v.deletion_time, destroyed: v.destroyed }])),
        },
      });
    }
    if (api === 'data' && req.method === 'GET') {
      const wanted = url.searchParams.get('version');
      const index = wanted ? Number(wanted) - 1 : (versions?.length ?? 0) - 1;
      const version = versions?.[index];
      if (!version) return send(404, { errors: [] });
      const metadata = { version: index + 1, created_time: version.created_time, deletion_time: version.deletion_time, destroyed: version.destroyed };
      // A deleted version answers 404 with its metadata and null data, as Vault does.
      if (version.deletion_time || version.destroyed) return send(404, { data: { data: null, metadata } });
      return send(200, { data: { data: version.data, metadata } });
    }
    if (api === 'data' && req.method === 'POST') {
      const { data, options } = (body ?? {}) as { data?: Record<string, unknown>; options?: { cas?: number } };
      if (!data || typeof data !== 'object') return send(400, { errors: ['no data provided'] });
      this.beforeWrite?.();
      const current = this.secrets.get(key)?.length ?? 0;
      if (options?.cas !== undefined && options.cas !== current) {
        return send(400, { errors: [`check-and-set parameter did not match the current version`] });
      }
      this.put(key, data);
      return send(200, { data: { version: current + 1, created_time: new Date(0).toISOString(), deletion_time: '', destroyed: false } });
    }
    send(405, { errors: ['unsupported operation'] });
  }
}
