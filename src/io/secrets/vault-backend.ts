/**
 * `ref+vault://MOUNT/data/PATH#/key`: HashiCorp Vault's KV version 2 engine over its HTTP API
 * (`fetch`, no Vault client library). The reference may also be written `ref+vault://MOUNT/PATH#/key`
 * (vals' form, which finds the mount by asking Vault): tfsync takes the first segment as the mount and
 * the rest as the secret's path, so both spellings reach `GET /v1/MOUNT/data/PATH`; a mount whose
 * name has a slash is given as `?mount=team/kv`.
 *
 * Address: `?address=` (or vals' `?host=&proto=`), else VAULT_ADDR. Token: `?token_env=NAME`, VAULT_TOKEN, `?token_file=`,
 * VAULT_TOKEN_FILE or `~/.vault-token` (what `vault login` writes). Namespace: `?namespace=` or
 * VAULT_NAMESPACE (header X-Vault-Namespace). Errors carry Vault's status and its `errors` array,
 * redacted; never the token.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretRef } from '../../model/secret-ref.js';
import { jsonObject, pickKey, SecretError, type SecretBackend, type SecretContext } from './backend.js';
import { setKeyPath } from './set-key.js';

interface Target {
  mount: string;
  path: string;
  address: string;
  headers: Record<string, string>;
}

/** Where the reference points: the mount and the secret's path inside it (without `data/`). */
export function vaultPaths(ref: SecretRef): { mount: string; path: string } {
  const full = ref.path.replace(/^\/+|\/+$/g, '');
  let mount: string;
  let rest: string;
  if (ref.params['mount']) {
    mount = ref.params['mount'].replace(/^\/+|\/+$/g, '');
    if (full !== mount && !full.startsWith(`${mount}/`)) throw new SecretError(ref, 'secret-ref-invalid', `the path does not start with the mount ${mount}`);
    rest = full.slice(mount.length + 1);
  } else {
    const slash = full.indexOf('/');
    mount = slash < 0 ? full : full.slice(0, slash);
    rest = slash < 0 ? '' : full.slice(slash + 1);
  }
  // The issue's (and Vault's API) spelling names the `data/` segment; vals' spelling leaves it out.
  if (rest.startsWith('data/')) rest = rest.slice('data/'.length);
  if (mount === '' || rest === '') {
    throw new SecretError(ref, 'secret-ref-invalid', 'a Vault reference names a mount and a secret: ref+vault://MOUNT/data/PATH#/key');
  }
  return { mount, path: rest };
}

async function target(ref: SecretRef, ctx: SecretContext): Promise<Target> {
  const { mount, path } = vaultPaths(ref);
  // vals' `?host=vault.example.com:8200[&proto=http]` is also an address (https unless proto says otherwise).
  const host = ref.params['host'] ? `${ref.params['proto'] ?? 'https'}://${ref.params['host']}` : undefined;
  const address = (ref.params['address'] ?? host ?? ctx.env['VAULT_ADDR'] ?? '').replace(/\/+$/, '');
  if (!address) {
    throw new SecretError(ref, 'secret-backend-failed', 'no Vault address', 'set VAULT_ADDR (e.g. https://vault.example.com:8200) or add ?address= to the reference');
  }
  if (!/^https?:\/\/[^/]/.test(address)) {
    throw new SecretError(ref, 'secret-backend-failed', 'the Vault address is not an http(s) URL', `VAULT_ADDR (or ?address=) must look like https://vault.example.com:8200, not ${address}`);
  }
  const token = await vaultToken(ref, ctx);
  const headers: Record<string, string> = { 'X-Vault-Token': token, Accept: 'application/json' };
  const namespace = ref.params['namespace'] ?? ctx.env['VAULT_NAMESPACE'];
  if (namespace) headers['X-Vault-Namespace'] = namespace;
  return { mount, path, address, headers };
}

async function vaultToken(ref: SecretRef, ctx: SecretContext): Promise<string> {
  const tokenEnv = ref.params['token_env'];
  if (tokenEnv) {
    const token = ctx.env[tokenEnv];
    if (!token) throw new SecretError(ref, 'secret-access-denied', `the reference reads its Vault token from ${tokenEnv}, which is not set`, `set ${tokenEnv}, or run vault login`);
    return token;
  }
  if (ctx.env['VAULT_TOKEN']) return ctx.env['VAULT_TOKEN'];
  const file = ref.params['token_file'] ?? ctx.env['VAULT_TOKEN_FILE'] ?? (ctx.env['HOME'] ? join(ctx.env['HOME'], '.vault-token') : undefined);
  if (file) {
    const token = await readFile(file.replace(/^~(?=\/)/, ctx.env['HOME'] ?? '~'), 'utf8').then(
      (text) => text.trim(),
      () => '',
    );
    if (token) return token;
  }
  throw new SecretError(ref, 'secret-access-denied', 'no Vault token', 'set VAULT_TOKEN (or run vault login, which writes ~/.vault-token), or name the variable that holds it with ?token_env=');
}

interface VaultAnswer {
  status: number;
  body: Record<string, unknown> | undefined;
}

async function call(ref: SecretRef, ctx: SecretContext, t: Target, method: 'GET' | 'POST', api: string, body?: unknown): Promise<VaultAnswer> {
  const url = `${t.address}/v1/${encodePath(t.mount)}/${api}/${encodePath(t.path)}${method === 'GET' && api === 'data' && ref.params['version'] ? `?version=${encodeURIComponent(ref.params['version'])}` : ''}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? t.headers : { ...t.headers, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(ctx.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    if (cause === 'TimeoutError') throw new SecretError(ref, 'secret-timeout', `no answer from Vault within ${ctx.timeoutMs} ms`);
    throw new SecretError(ref, 'secret-backend-failed', `cannot reach VAULT_ADDR (${cause})`, `check that Vault answers at ${t.address}`);
  }
  const text = await response.text();
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed };
}

/** Vault's failure as a SecretError: 403 denied, 404 not found, anything else failed, with its status. */
function failure(ref: SecretRef, answer: VaultAnswer, what: string): SecretError {
  const errors = Array.isArray(answer.body?.['errors']) ? (answer.body['errors'] as unknown[]).map(String).join('; ') : '';
  const detail = `Vault answered ${answer.status} to ${what}${errors ? ` (${errors})` : ''}`;
  if (answer.status === 403) return new SecretError(ref, 'secret-access-denied', detail, 'check that VAULT_TOKEN is valid and its policy grants this path');
  if (answer.status === 404) return new SecretError(ref, 'secret-not-found', detail);
  return new SecretError(ref, 'secret-backend-failed', detail);
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The secret's data and version, or undefined when it does not exist (or its latest version is deleted). */
async function readData(ref: SecretRef, ctx: SecretContext, t: Target): Promise<{ data: Record<string, unknown>; version: number } | { data: undefined; version: number }> {
  const answer = await call(ref, ctx, t, 'GET', 'data');
  const inner = answer.body?.['data'] as { data?: unknown; metadata?: { version?: unknown } } | undefined;
  const version = typeof inner?.metadata?.version === 'number' ? inner.metadata.version : 0;
  if (answer.status === 404) return { data: undefined, version };
  if (answer.status !== 200) throw failure(ref, answer, 'a read');
  if (inner?.data === null || inner?.data === undefined) return { data: undefined, version };
  if (typeof inner.data !== 'object') throw new SecretError(ref, 'secret-backend-failed', 'Vault answered without a KV v2 data map (is the mount KV version 2?)');
  return { data: inner.data as Record<string, unknown>, version };
}

export const vaultBackend: SecretBackend = {
  name: 'vault',

  async read(ref, ctx) {
    const t = await target(ref, ctx);
    const { data } = await readData(ref, ctx, t);
    if (data === undefined) throw new SecretError(ref, 'secret-not-found', `Vault has no secret ${t.mount}/data/${t.path}`);
    return pickKey(ref, data);
  },

  /**
   * Asks the secret's metadata, which never carries a value. The metadata does not list the keys of
   * the data, so this tells that the secret exists (its current version not deleted), not its `#/key`.
   */
  async exists(ref, ctx) {
    const t = await target(ref, ctx);
    const answer = await call(ref, ctx, t, 'GET', 'metadata');
    if (answer.status === 404) return false;
    if (answer.status !== 200) throw failure(ref, answer, 'a metadata read');
    const meta = answer.body?.['data'] as { current_version?: number; versions?: Record<string, { deletion_time?: string; destroyed?: boolean }> } | undefined;
    const current = meta?.versions?.[String(meta.current_version ?? '')];
    return !(current && (current.destroyed || (current.deletion_time ?? '') !== ''));
  },

  /**
   * A new version of the secret. With `#/key`, the current data is read and written back with the
   * key set, under check-and-set on the version read: a change made in between fails instead of
   * being overwritten. Without a key, the value must be a JSON object: it becomes the whole data.
   */
  async write(ref, value, ctx) {
    const t = await target(ref, ctx);
    let data: Record<string, unknown>;
    let cas: number;
    if (ref.key.length === 0) {
      const parsed = jsonObject(value);
      if (parsed === undefined) {
        throw new SecretError(ref, 'secret-not-writable', 'a Vault secret is a map of keys; name the key the value goes to', 'write to ref+vault://MOUNT/data/PATH#/key');
      }
      data = parsed;
      cas = -1;
    } else {
      const current = await readData(ref, ctx, t);
      data = structuredClone(current.data ?? {});
      cas = current.version;
      setKeyPath(ref, data, value);
    }
    const answer = await call(ref, ctx, t, 'POST', 'data', cas < 0 ? { data } : { options: { cas }, data });
    if (answer.status === 200 || answer.status === 204) return;
    if (answer.status === 400 && JSON.stringify(answer.body ?? '').includes('check-and-set')) {
      throw new SecretError(ref, 'secret-backend-failed', `Vault answered 400 (the secret changed while tfsync wrote it, check-and-set on version ${cas})`, 'run the command again');
    }
    throw failure(ref, answer, 'a write');
  },
};
