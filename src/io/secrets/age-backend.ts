/**
 * `ref+age://FILE#/key`: a JSON object or a dotenv file, encrypted with age (armored or binary),
 * kept in the repository beside tfsync.json. Decrypted in memory with the `age-encryption` package
 * (the reference TypeScript implementation; no age CLI needed), with the identity named by
 * TFSYNC_AGE_IDENTITY, SOPS_AGE_KEY_FILE or SOPS_AGE_KEY (the variables sops users already set).
 *
 * Read-only: re-encrypting a file means knowing all its recipients, which its header does not
 * name, so a copy into an age file is the user's to make (`secret-not-writable`, said by the caller).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Decrypter, armor } from 'age-encryption';
import type { SecretRef } from '../../model/secret-ref.js';
import { errorCode } from '../file-system.js';
import { SecretError, pickKey, type SecretBackend, type SecretContext } from './backend.js';
import { fieldsOf } from './dotenv.js';
import { readReferencedFile, referencedFileExists } from './referenced-file.js';

const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const BINARY_BEGIN = 'age-encryption.org/v1\n';
const IDENTITY_HINT = 'set TFSYNC_AGE_IDENTITY to an age identity file (as made by age-keygen), or to the AGE-SECRET-KEY-1... key itself; SOPS_AGE_KEY_FILE is read too';

export const ageBackend: SecretBackend = {
  name: 'age',
  async read(ref, ctx) {
    const plaintext = await decrypt(ref, ctx);
    if (ref.key.length === 0) {
      const whole = plaintext.trim();
      if (whole === '') throw new SecretError(ref, 'secret-not-found', 'the decrypted file is empty');
      return whole;
    }
    return pickKey(ref, fieldsOf(ref, plaintext.replace(/^\uFEFF/, ''), 'the decrypted file'));
  },
  exists: referencedFileExists,
};

async function decrypt(ref: SecretRef, ctx: SecretContext): Promise<string> {
  const data = await readReferencedFile(ref, ctx);
  const decrypter = new Decrypter();
  for (const identity of await identities(ref, ctx)) {
    try {
      decrypter.addIdentity(identity);
    } catch {
      // The library's message is about the key's encoding; the key itself is never quoted.
      throw new SecretError(ref, 'secret-access-denied', 'the age identity is not a valid AGE-SECRET-KEY', IDENTITY_HINT);
    }
  }
  let ciphertext: Uint8Array;
  const head = data.subarray(0, 64).toString('latin1').trimStart();
  if (head.startsWith(ARMOR_BEGIN)) {
    try {
      ciphertext = armor.decode(data.toString('latin1'));
    } catch {
      throw new SecretError(ref, 'secret-backend-failed', 'the file is not a valid armored age file');
    }
  } else if (head.startsWith(BINARY_BEGIN)) {
    ciphertext = data;
  } else {
    throw new SecretError(ref, 'secret-backend-failed', 'the file is not age-encrypted (binary or armored)');
  }
  try {
    return await decrypter.decrypt(ciphertext, 'text');
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/no identity matched/.test(message)) {
      throw new SecretError(ref, 'secret-access-denied', 'no age identity given matches a recipient of the file', 'the file was encrypted to other keys; use an identity it was encrypted to (TFSYNC_AGE_IDENTITY)');
    }
    // Header and stream errors of the library are fixed phrases ("invalid header HMAC"), never data.
    throw new SecretError(ref, 'secret-backend-failed', `the file could not be decrypted (${message.replace(/[^\w\s'-]/g, '').slice(0, 80) || 'age error'})`);
  }
}

/**
 * The identities to try: TFSYNC_AGE_IDENTITY (a file, or a key), else SOPS_AGE_KEY_FILE (a file),
 * else SOPS_AGE_KEY (keys). An identity file holds one key a line, with `#` comments (age-keygen's).
 */
async function identities(ref: SecretRef, ctx: SecretContext): Promise<string[]> {
  const own = ctx.env['TFSYNC_AGE_IDENTITY']?.trim();
  if (own) return own.startsWith('AGE-SECRET-KEY-') ? keysIn(ref, own, 'TFSYNC_AGE_IDENTITY') : keysIn(ref, await identityFile(ref, own, 'TFSYNC_AGE_IDENTITY'), 'the file TFSYNC_AGE_IDENTITY names');
  const sopsFile = ctx.env['SOPS_AGE_KEY_FILE']?.trim();
  if (sopsFile) return keysIn(ref, await identityFile(ref, sopsFile, 'SOPS_AGE_KEY_FILE'), 'the file SOPS_AGE_KEY_FILE names');
  const sopsKey = ctx.env['SOPS_AGE_KEY']?.trim();
  if (sopsKey) return keysIn(ref, sopsKey, 'SOPS_AGE_KEY');
  throw new SecretError(ref, 'secret-access-denied', 'no age identity is set (TFSYNC_AGE_IDENTITY, SOPS_AGE_KEY_FILE)', IDENTITY_HINT);
}

async function identityFile(ref: SecretRef, path: string, variable: string): Promise<string> {
  try {
    return await readFile(resolve(path), 'utf8');
  } catch (error) {
    throw new SecretError(ref, 'secret-access-denied', `the identity file ${variable} names cannot be read (${errorCode(error) ?? 'error'})`, IDENTITY_HINT);
  }
}

function keysIn(ref: SecretRef, text: string, source: string): string[] {
  const keys = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (keys.length === 0) throw new SecretError(ref, 'secret-access-denied', `${source} holds no age identity`, IDENTITY_HINT);
  // Plugin identities (AGE-PLUGIN-...) need the age CLI's plugins: say so rather than "invalid".
  if (keys.every((key) => key.startsWith('AGE-PLUGIN-'))) {
    throw new SecretError(ref, 'secret-access-denied', `${source} holds only age plugin identities, which tfsync cannot use`, 'use an AGE-SECRET-KEY-1... identity');
  }
  return keys.filter((key) => !key.startsWith('AGE-PLUGIN-'));
}
