/**
 * Copying a secret between stores (promotion): a store that echoes the value it was given in its
 * error must not carry it into tfsync's error, even a value too short for redact() to recognise.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TfsyncError } from '../../src/errors.js';
import { parseSecretRef } from '../../src/model/secret-ref.js';
import { SecretError, type SecretBackend } from '../../src/io/secrets/backend.js';
import { copySecret } from '../../src/io/secrets/copy.js';
import { secretContext, standInBackend } from '../../src/io/secrets/resolve.js';

afterEach(() => standInBackend('vault'));

describe('copySecret', () => {
  const from = parseSecretRef('ref+envsubst://$SRC_SECRET');
  const to = parseSecretRef('ref+vault://secret/data/prod/app#/db_password');
  const ctx = secretContext({ SRC_SECRET: 'hunter2\nline two' }, '/repo');

  it('writes what it read into the target store', async () => {
    const written: string[] = [];
    standInBackend('vault', { name: 'vault', read: async () => '', write: async (_ref, value) => void written.push(value) } satisfies SecretBackend);
    await copySecret(from, to, ctx);
    expect(written).toEqual(['hunter2\nline two']);
  });

  it('takes the value out of a store error that echoes it, keeping the code and the reference', async () => {
    standInBackend('vault', {
      name: 'vault',
      read: async () => '',
      write: async (ref, value) => {
        throw new SecretError(ref, 'secret-backend-failed', `HTTP 400 rejected ${value.split('\n')[0]} (and ${value.split('\n')[1]})`, `retry with ${value}`);
      },
    } satisfies SecretBackend);
    const error = await copySecret(from, to, ctx).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TfsyncError);
    const { message, code, options } = error as TfsyncError;
    expect(code).toBe('secret-backend-failed');
    expect(message).toContain(to.text);
    expect(message).toContain('HTTP 400 rejected');
    expect(`${message} ${options.hint}`).not.toMatch(/hunter2|line two/);
  });
});
