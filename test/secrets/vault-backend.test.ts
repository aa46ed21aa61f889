/**
 * The Vault backend against a loopback server that answers like Vault's KV v2 HTTP API: both
 * spellings of a reference reach the same API path with the token and namespace headers; the
 * status codes Vault answers map to tfsync's codes with Vault's `errors` redacted; exists() asks the
 * metadata only; writes keep the other keys and use check-and-set, so a concurrent change fails.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSecretRef } from '../../src/model/secret-ref.js';
import type { SecretContext } from '../../src/io/secrets/backend.js';
import { readSecret, secretContext, secretExists } from '../../src/io/secrets/resolve.js';
import { vaultBackend, vaultPaths } from '../../src/io/secrets/vault-backend.js';
import { FakeVault } from '../helpers/fake-vault.js';

const TOKEN = 'hvs.test-token-0123456789';
const PASSWORD = 'vault-db-password-7f3a9c';
let vault: FakeVault;
let home: string;

beforeAll(async () => {
  vault = await new FakeVault(TOKEN).start();
  home = await mkdtemp(join(tmpdir(), 'tfsync-vault-home-'));
});
afterAll(async () => {
  await vault.stop();
  await rm(home, { recursive: true, force: true });
});
beforeEach(() => {
  vault.reset();
  vault.put('secret/prod/db', { password: PASSWORD, user: 'app' });
});

function ctx(env: Record<string, string | undefined> = {}): SecretContext {
  return secretContext({ VAULT_ADDR: vault.url, VAULT_TOKEN: TOKEN, HOME: home, ...env }, home);
}
const ref = parseSecretRef;

function codeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'resolved',
    (error: { options?: { code?: string }; message: string }) => error.options?.code,
  );
}
function errorOf(promise: Promise<unknown>): Promise<{ message: string; options: { code?: string; hint?: string } }> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error) => error,
  );
}

describe('reading', () => {
  it('reads #/key of MOUNT/data/PATH with X-Vault-Token, and MOUNT/PATH means the same KV v2 path', async () => {
    expect(await readSecret(ref('ref+vault://secret/data/prod/db#/password'), ctx())).toBe(PASSWORD);
    expect(await readSecret(ref('ref+vault://secret/prod/db#/password'), ctx())).toBe(PASSWORD);
    expect(vault.requests.map((r) => `${r.method} ${r.url} ${r.token}`)).toEqual([
      `GET /v1/secret/data/prod/db ${TOKEN}`,
      `GET /v1/secret/data/prod/db ${TOKEN}`,
    ]);
    expect(vault.requests[0]!.namespace).toBeUndefined();
  });

  it('sends VAULT_NAMESPACE (or ?namespace=) as X-Vault-Namespace, and ?version= as the version asked', async () => {
    vault.put('secret/prod/db', { password: 'newer' });
    expect(await readSecret(ref('ref+vault://secret/data/prod/db?version=1#/password'), ctx({ VAULT_NAMESPACE: 'team-a' }))).toBe(PASSWORD);
    expect(await readSecret(ref('ref+vault://secret/data/prod/db?namespace=team-b#/password'), ctx())).toBe('newer');
    expect(vault.requests.map((r) => [r.url, r.namespace])).toEqual([
      ['/v1/secret/data/prod/db?version=1', 'team-a'],
      ['/v1/secret/data/prod/db', 'team-b'],
    ]);
  });

  it('takes the address from ?address= and the token from ?token_env= over VAULT_ADDR and VAULT_TOKEN', async () => {
    const env = { VAULT_ADDR: 'http://127.0.0.1:1', VAULT_TOKEN: 'wrong', MY_TOKEN: TOKEN };
    expect(await readSecret(ref(`ref+vault://secret/prod/db?address=${encodeURIComponent(vault.url)}&token_env=MY_TOKEN#/user`), ctx(env))).toBe('app');
  });

  it("takes vals' ?host=&proto= as the address", async () => {
    const host = vault.url.replace('http://', '');
    expect(await readSecret(ref(`ref+vault://secret/prod/db?host=${host}&proto=http#/user`), ctx({ VAULT_ADDR: 'http://127.0.0.1:1' }))).toBe('app');
  });

  it('reads the token `vault login` leaves in ~/.vault-token when VAULT_TOKEN is not set', async () => {
    await writeFile(join(home, '.vault-token'), `${TOKEN}\n`);
    try {
      expect(await readSecret(ref('ref+vault://secret/prod/db#/user'), ctx({ VAULT_TOKEN: undefined }))).toBe('app');
    } finally {
      await rm(join(home, '.vault-token'));
    }
  });

  it('without #/key, the whole data as JSON', async () => {
    expect(JSON.parse(await readSecret(ref('ref+vault://secret/prod/db'), ctx()))).toEqual({ password: PASSWORD, user: 'app' });
  });

  it('a mount with a slash in its name is given with ?mount=', async () => {
    vault.mounts.add('team/kv');
    expect(vaultPaths(ref('ref+vault://team/kv/data/app?mount=team/kv#/k'))).toEqual({ mount: 'team/kv', path: 'app' });
    expect(vaultPaths(ref('ref+vault://team/kv/app?mount=team/kv#/k'))).toEqual({ mount: 'team/kv', path: 'app' });
    expect(await codeOf(readSecret(ref('ref+vault://secret#/k'), ctx()))).toBe('secret-ref-invalid');
  });
});

describe("Vault's answers", () => {
  it('403 (a token Vault refuses) is secret-access-denied', async () => {
    const error = await errorOf(readSecret(ref('ref+vault://secret/prod/db#/password'), ctx({ VAULT_TOKEN: 'hvs.revoked' })));
    expect(error.options.code).toBe('secret-access-denied');
    expect(error.message).toContain('403');
    expect(error.message).toContain('permission denied');
    expect(error.message).not.toContain('hvs.revoked');
  });

  it('404, a missing key and a deleted latest version are secret-not-found', async () => {
    expect(await codeOf(readSecret(ref('ref+vault://secret/data/staging/db#/password'), ctx()))).toBe('secret-not-found');
    expect(await codeOf(readSecret(ref('ref+vault://secret/data/prod/db#/nope'), ctx()))).toBe('secret-not-found');
    expect(await codeOf(readSecret(ref('ref+vault://nomount/data/prod/db#/password'), ctx()))).toBe('secret-not-found');
    vault.deleteLatest('secret/prod/db');
    expect(await codeOf(readSecret(ref('ref+vault://secret/data/prod/db#/password'), ctx()))).toBe('secret-not-found');
  });

  it('429 and 5xx are secret-backend-failed naming the status, with what Vault echoes redacted', async () => {
    vault.failNext(429, ['rate limit quota exceeded']);
    const limited = await errorOf(readSecret(ref('ref+vault://secret/prod/db#/password'), ctx()));
    expect(limited.options.code).toBe('secret-backend-failed');
    expect(limited.message).toContain('429');
    vault.failNext(503, [`Vault is sealed; last value "${PASSWORD}" password=${PASSWORD}`]);
    const sealed = await errorOf(readSecret(ref('ref+vault://secret/prod/db#/password'), ctx()));
    expect(sealed.options.code).toBe('secret-backend-failed');
    expect(sealed.message).toContain('503');
    expect(sealed.message).toContain('sealed');
    expect(sealed.message).not.toContain(PASSWORD);
  });

  it('an address nothing answers at: secret-backend-failed, "cannot reach VAULT_ADDR"', async () => {
    const error = await errorOf(readSecret(ref('ref+vault://secret/prod/db#/password'), ctx({ VAULT_ADDR: 'http://127.0.0.1:9' })));
    expect(error.options.code).toBe('secret-backend-failed');
    expect(error.message).toContain('cannot reach VAULT_ADDR');
    expect(error.options.hint).toContain('http://127.0.0.1:9');
  });

  it('no token anywhere: secret-access-denied with a hint, and Vault is not asked', async () => {
    const error = await errorOf(readSecret(ref('ref+vault://secret/prod/db#/password'), ctx({ VAULT_TOKEN: undefined })));
    expect(error.options.code).toBe('secret-access-denied');
    expect(error.options.hint).toContain('VAULT_TOKEN');
    const unset = await errorOf(readSecret(ref('ref+vault://secret/prod/db?token_env=NOPE#/password'), ctx()));
    expect(unset.message).toContain('NOPE');
    expect(vault.requests).toEqual([]);
  });

  it('no address, or one that is not an http(s) URL: a clear error naming VAULT_ADDR', async () => {
    const error = await errorOf(readSecret(ref('ref+vault://secret/prod/db#/password'), ctx({ VAULT_ADDR: undefined })));
    expect(error.options.code).toBe('secret-backend-failed');
    expect(error.options.hint).toContain('VAULT_ADDR');
    const bare = await errorOf(readSecret(ref('ref+vault://secret/prod/db#/password'), ctx({ VAULT_ADDR: 'vault.example.com:8200' })));
    expect(bare.options.code).toBe('secret-backend-failed');
    expect(bare.options.hint).toContain('https://vault.example.com:8200');
  });
});

describe('exists', () => {
  it('asks the metadata only (never the data), and a deleted latest version does not exist', async () => {
    expect(await secretExists(ref('ref+vault://secret/data/prod/db#/password'), ctx())).toBe(true);
    expect(await secretExists(ref('ref+vault://secret/data/staging/db#/password'), ctx())).toBe(false);
    vault.deleteLatest('secret/prod/db');
    expect(await secretExists(ref('ref+vault://secret/prod/db#/password'), ctx())).toBe(false);
    expect(vault.requests.map((r) => r.url)).toEqual(['/v1/secret/metadata/prod/db', '/v1/secret/metadata/staging/db', '/v1/secret/metadata/prod/db']);
  });

  it('checks the secret, not its key (the metadata does not list keys)', async () => {
    expect(await secretExists(ref('ref+vault://secret/data/prod/db#/no_such_key'), ctx())).toBe(true);
  });

  it('403 on the metadata is secret-access-denied, not "missing"', async () => {
    expect(await codeOf(secretExists(ref('ref+vault://secret/data/prod/db'), ctx({ VAULT_TOKEN: 'bad' })))).toBe('secret-access-denied');
  });
});

describe('write', () => {
  it('with #/key: sets the key, keeps the others, under check-and-set on the version read', async () => {
    await vaultBackend.write!(ref('ref+vault://secret/data/prod/db#/password'), 'rotated-1', ctx());
    expect(vault.latest('secret/prod/db')).toEqual({ password: 'rotated-1', user: 'app' });
    const post = vault.requests.find((r) => r.method === 'POST')!;
    expect(post.url).toBe('/v1/secret/data/prod/db');
    expect(post.body).toEqual({ options: { cas: 1 }, data: { password: 'rotated-1', user: 'app' } });
    expect(await readSecret(ref('ref+vault://secret/prod/db#/password'), ctx())).toBe('rotated-1');
  });

  it('creates a secret that does not exist yet (check-and-set 0: only if still absent), nested keys too', async () => {
    await vaultBackend.write!(ref('ref+vault://secret/data/staging/app#/db/password'), 'fresh', ctx());
    expect(vault.latest('secret/staging/app')).toEqual({ db: { password: 'fresh' } });
    expect(vault.requests.find((r) => r.method === 'POST')!.body).toMatchObject({ options: { cas: 0 } });
  });

  it('a change made between the read and the write fails instead of being overwritten', async () => {
    vault.beforeWrite = () => vault.put('secret/prod/db', { password: PASSWORD, user: 'changed-meanwhile' });
    const error = await errorOf(vaultBackend.write!(ref('ref+vault://secret/data/prod/db#/password'), 'rotated-2', ctx()));
    expect(error.options.code).toBe('secret-backend-failed');
    expect(error.message).toContain('check-and-set');
    expect(vault.latest('secret/prod/db')).toEqual({ password: PASSWORD, user: 'changed-meanwhile' });
  });

  it('without #/key: a JSON object becomes the whole data; anything else is refused without a request', async () => {
    await vaultBackend.write!(ref('ref+vault://secret/data/prod/db'), JSON.stringify({ password: 'p2' }), ctx());
    expect(vault.latest('secret/prod/db')).toEqual({ password: 'p2' });
    vault.requests.length = 0;
    const error = await errorOf(vaultBackend.write!(ref('ref+vault://secret/data/prod/db'), 'plain-text-value', ctx()));
    expect(error.options.code).toBe('secret-not-writable');
    expect(error.message).not.toContain('plain-text-value');
    expect(vault.requests).toEqual([]);
  });

  it('403 on the write is secret-access-denied', async () => {
    vault.failNext(403, ['1 error occurred: permission denied']);
    expect(await codeOf(vaultBackend.write!(ref('ref+vault://secret/data/prod/db'), '{"a":"b"}', ctx()))).toBe('secret-access-denied');
  });
});
