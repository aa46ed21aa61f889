/**
 * Resolving references (resolve.ts): every read in parallel, each under the timeout
 * (TFSYNC_SECRET_TIMEOUT_MS), the first failure in the order given thrown; and the helpers every
 * backend shares (backend.ts): redact() takes value-like text out of store messages, pickKey()
 * picks `#/a/b` out of a structured secret. The backends here are test doubles put in place of
 * the registry's loader (vi.mock), so no store is involved.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { TfsyncError } from '../../src/errors.js';
import { parseSecretRef, type SecretRef } from '../../src/model/secret-ref.js';
import { pickKey, redact, SecretError, type SecretBackend } from '../../src/io/secrets/backend.js';
import { DEFAULT_SECRET_TIMEOUT_MS, readSecret, readSecrets, secretContext, secretExists } from '../../src/io/secrets/resolve.js';

/** What the doubles do with a reference: its path says `value:X`, `fail:CODE`, `slow:MS:X` or `hang`. */
const started: string[] = [];
const inFlight = { now: 0, max: 0 };

function double(name: 'pass' | 'vault', withExists: boolean): SecretBackend {
  const backend: SecretBackend = {
    name,
    async read(ref) {
      started.push(ref.path);
      inFlight.now++;
      inFlight.max = Math.max(inFlight.max, inFlight.now);
      try {
        const [kind, a, b] = ref.path.split(':');
        if (kind === 'hang') return await new Promise<string>(() => {});
        if (kind === 'fail') throw new SecretError(ref, a as 'secret-not-found', `the store said ${a}`);
        // Every read waits for the others to start: only a parallel resolver gets past this.
        await new Promise((resolve) => setTimeout(resolve, kind === 'slow' ? Number(a) : 20));
        return kind === 'slow' ? b! : a!;
      } finally {
        inFlight.now--;
      }
    },
  };
  if (withExists) backend.exists = async (ref) => !ref.path.startsWith('fail');
  return backend;
}

vi.mock('../../src/io/secrets/registry.js', () => ({
  loadBackend: vi.fn(async (name: string) => (name === 'vault' ? double('vault', true) : double('pass', false))),
}));

const ref = (path: string, backend = 'pass'): SecretRef => parseSecretRef(`ref+${backend}://${path}`);
const ctx = (env: Record<string, string> = {}) => secretContext(env, '/repo');

beforeEach(() => {
  started.length = 0;
  inFlight.now = inFlight.max = 0;
});

describe('secretContext', () => {
  it('takes the timeout from TFSYNC_SECRET_TIMEOUT_MS, and the default for anything not a positive number', () => {
    expect(ctx({ TFSYNC_SECRET_TIMEOUT_MS: '250' }).timeoutMs).toBe(250);
    for (const bad of ['', '0', '-5', 'soon']) expect(ctx({ TFSYNC_SECRET_TIMEOUT_MS: bad }).timeoutMs).toBe(DEFAULT_SECRET_TIMEOUT_MS);
    expect(ctx().timeoutMs).toBe(DEFAULT_SECRET_TIMEOUT_MS);
    expect(ctx().root).toBe('/repo');
  });
});

describe('readSecrets', () => {
  it('reads every reference in parallel and keys the values by name', async () => {
    const refs = new Map([
      ['a', ref('value:one')],
      ['b', ref('value:two', 'vault')],
      ['c', ref('value:three')],
    ]);
    const values = await readSecrets(refs, ctx());
    expect([...values]).toEqual([
      ['a', 'one'],
      ['b', 'two'],
      ['c', 'three'],
    ]);
    expect(inFlight.max).toBe(3);
  });

  it('throws the first failure in the order given, not the first to happen, after every read has settled', async () => {
    const refs = new Map([
      ['a', ref('slow:60:one')],
      ['b', ref('slow:40:x')],
      ['c', ref('fail:secret-access-denied')],
      ['d', ref('fail:secret-not-found')],
    ]);
    const error = await readSecrets(refs, ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretError);
    expect((error as TfsyncError).code).toBe('secret-access-denied');
    expect((error as TfsyncError).message).toBe('ref+pass://fail:secret-access-denied: the store said secret-access-denied');
    expect(started).toHaveLength(4);
  });

  it('fails a store that does not answer with secret-timeout, naming the reference and the limit', async () => {
    const refs = new Map([
      ['a', ref('value:one')],
      ['b', ref('hang', 'vault')],
    ]);
    const error = await readSecrets(refs, ctx({ TFSYNC_SECRET_TIMEOUT_MS: '100' })).catch((e: unknown) => e);
    expect((error as TfsyncError).code).toBe('secret-timeout');
    expect((error as TfsyncError).message).toBe('ref+vault://hang: no answer from vault within 100 ms');
  });

  it('resolves nothing for no references', async () => {
    expect((await readSecrets(new Map(), ctx())).size).toBe(0);
  });
});

describe('readSecret and secretExists', () => {
  it('readSecret gives one value and times out on its own too', async () => {
    expect(await readSecret(ref('value:v'), ctx())).toBe('v');
    await expect(readSecret(ref('hang'), ctx({ TFSYNC_SECRET_TIMEOUT_MS: '50' }))).rejects.toMatchObject({ code: 'secret-timeout' });
  });

  it('secretExists asks the backend where it can tell, and is undefined ("not checked") where it cannot', async () => {
    expect(await secretExists(ref('value:v', 'vault'), ctx())).toBe(true);
    expect(await secretExists(ref('fail:x', 'vault'), ctx())).toBe(false);
    expect(await secretExists(ref('value:v', 'pass'), ctx())).toBeUndefined();
    // Existence never reads the value.
    expect(started).toEqual([]);
  });
});

describe('redact', () => {
  it.each([
    ['quoted strings', 'invalid value "hunter2-prod" for field', 'invalid value "…" for field'],
    ['single-quoted and backticked', "got 'p@ss' and `tok`", 'got "…" and "…"'],
    ['key=value', 'rejected password=hunter2 in request', 'rejected password=… in request'],
    ['key: value', 'secret: hunter2, code: 403', 'secret:…, code:…'],
    ['long tokens', 'token AKIAIOSFODNN7EXAMPLEAKIAIOSFODNN7 expired', 'token … expired'],
  ])('takes out %s', (_, text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it('takes out base64, padding and all', () => {
    const redacted = redact('bad data c2VjcmV0LXZhbHVlLXRoYXQtaXMtbG9uZw== here');
    expect(redacted).toMatch(/^bad data …+ here$/);
  });

  it('keeps what says what went wrong: words, status codes, short names', () => {
    expect(redact('AccessDeniedException (403): not authorized to perform GetSecretValue')).toBe('AccessDeniedException (403): not authorized to perform GetSecretValue');
  });

  it('caps the length at 500 characters', () => {
    expect(redact('word '.repeat(400))).toHaveLength(500);
  });

  it('is applied to every SecretError detail, whose message starts with the reference', () => {
    const error = new SecretError(ref('infra/db'), 'secret-backend-failed', 'gpg said "hunter2"', 'check gpg');
    expect(error.message).toBe('ref+pass://infra/db: gpg said "…"');
    expect(error.code).toBe('secret-backend-failed');
    expect(error.hint).toBe('check gpg');
  });
});

describe('pickKey', () => {
  const secret = { db: { password: 'p1', port: 5432, tags: ['a'], none: null }, api_key: 'k1' };

  it('picks a string field as it is, anything else as JSON', () => {
    expect(pickKey(ref('x#/api_key'), secret)).toBe('k1');
    expect(pickKey(ref('x#/db/password'), secret)).toBe('p1');
    expect(pickKey(ref('x#/db/port'), secret)).toBe('5432');
    expect(pickKey(ref('x#/db/tags'), secret)).toBe('["a"]');
    expect(pickKey(ref('x#/db'), secret)).toBe(JSON.stringify(secret.db));
  });

  it('without a key, the whole secret', () => {
    expect(pickKey(ref('x'), 'plain')).toBe('plain');
    expect(pickKey(ref('x'), { a: 1 })).toBe('{"a":1}');
  });

  it('a missing key is secret-not-found naming the key path up to the first missing part, and no value', () => {
    const error = (() => {
      try {
        pickKey(ref('x#/db/user/name'), secret);
      } catch (e) {
        return e as TfsyncError;
      }
      throw new Error('picked');
    })();
    expect(error.code).toBe('secret-not-found');
    expect(error.message).toBe('ref+pass://x#/db/user/name: the secret has no key #/db/user');
    expect(error.message).not.toContain('p1');
  });

  it('a key into a string or a null field is not found; inherited properties are no keys', () => {
    expect(() => pickKey(ref('x#/api_key/more'), secret)).toThrow(/has no key/);
    expect(() => pickKey(ref('x#/db/none'), secret)).toThrow(/the secret is empty/);
    expect(() => pickKey(ref('x#/toString'), secret)).toThrow(/has no key/);
  });
});
