/**
 * `ref+vault://MOUNT/[data/]PATH[?address=...&namespace=...]#/key`: HashiCorp Vault's KV version 2
 * over its HTTP API (fetch; no client library). The address, token and namespace come from
 * VAULT_ADDR, VAULT_TOKEN (or ~/.vault-token) and VAULT_NAMESPACE, or the reference's `address`
 * and `namespace`, as vals takes them. `MOUNT/PATH` and `MOUNT/data/PATH` name the same secret.
 * Existence asks the metadata endpoint, which holds no value.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { redact, type SecretRef } from '../../model/secret-refs.js';
import { BackendError, type BackendContext, type SecretBackend } from './backend.js';

/** Retries after 429 (rate limit) and 503 (standby, sealed): a few, with a short back-off. */
const RETRIES = 3;

interface Target {
  address: string;
  mount: string;
  path: string;
  namespace: string | undefined;
}

function target(ref: SecretRef, ctx: BackendContext): Target {
  const address = ref.params['address'] ?? ctx.env.VAULT_ADDR;
  if (!address) throw new BackendError(`${ref.text}: VAULT_ADDR is not set`, 'no-address');
  const [mount, ...rest] = ref.path.replace(/^\/+/, '').split('/');
  if (rest[0] === 'data') rest.shift();
  if (!mount || rest.length === 0) throw new BackendError(`${ref.text}: name a mount and a path, e.g. ref+vault://secret/app#/key`, 'syntax');
  return { address: address.replace(/\/+$/, ''), mount, path: rest.map(encodeURIComponent).join('/'), namespace: ref.params['namespace'] ?? ctx.env.VAULT_NAMESPACE };
}

async function token(ref: SecretRef, ctx: BackendContext): Promise<string> {
  const fromEnv = ctx.env[ref.params['token_env'] ?? 'VAULT_TOKEN'];
  if (fromEnv) return fromEnv;
  const file = ref.params['token_file'] ?? join(ctx.env.HOME ?? homedir(), '.vault-token');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text?.trim()) return text.trim();
  throw new BackendError(`${ref.text}: no Vault token: set VAULT_TOKEN`, 'no-token');
}

async function call(ref: SecretRef, ctx: BackendContext, method: 'GET' | 'POST', endpoint: 'data' | 'metadata', body?: unknown): Promise<Response> {
  const t = target(ref, ctx);
  const headers: Record<string, string> = { 'X-Vault-Token': await token(ref, ctx) };
  if (t.namespace) headers['X-Vault-Namespace'] = t.namespace;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const url = `${t.address}/v1/${encodeURIComponent(t.mount)}/${endpoint}/${t.path}${ref.params['version'] && endpoint === 'data' && method === 'GET' ? `?version=${encodeURIComponent(ref.params['version'])}` : ''}`;
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(ctx.timeoutMs) });
    } catch (error) {
      const name = (error as Error).name;
      const code = name === 'TimeoutError' ? 'timeout' : (((error as { cause?: { code?: string } }).cause?.code) ?? 'network');
      throw new BackendError(`${ref.text}: Vault at ${t.address} did not answer (${code})`, code);
    }
    if ((response.status === 429 || response.status === 503) && attempt < RETRIES) {
      await response.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      continue;
    }
    return response;
  }
}

async function failure(ref: SecretRef, response: Response): Promise<BackendError> {
  // Vault's errors are short and name no value; they are redacted all the same.
  const body = (await response.json().catch(() => ({}))) as { errors?: unknown[] };
  const said = Array.isArray(body.errors) && body.errors.length > 0 ? `: ${redact(body.errors.map(String).join('; '))}` : '';
  return new BackendError(`${ref.text}: Vault answered ${response.status}${said}`, String(response.status), response.status === 404);
}

export function createBackend(ctx: BackendContext): SecretBackend {
  return {
    async read(ref) {
      const response = await call(ref, ctx, 'GET', 'data');
      if (!response.ok) throw await failure(ref, response);
      const body = (await response.json()) as { data?: { data?: unknown } };
      if (body.data?.data === undefined || body.data.data === null) throw new BackendError(`${ref.text}: the secret has no data (deleted?)`, 'no-data', true);
      return JSON.stringify(body.data.data);
    },
    async exists(ref) {
      const response = await call(ref, ctx, 'GET', 'metadata');
      if (response.status === 404) return false;
      if (!response.ok) throw await failure(ref, response);
      await response.body?.cancel();
      return true;
    },
    async write(ref, secret) {
      const data = JSON.parse(secret) as unknown;
      const response = await call(ref, ctx, 'POST', 'data', { data });
      if (!response.ok) throw await failure(ref, response);
      await response.body?.cancel();
    },
  };
}
