/**
 * `ref+file://PATH[#/key]` (as vals reads it): a plain file holding the secret, e.g. one a CI system
 * or a secrets agent (Vault Agent, the CSI driver, a Kubernetes secret volume) writes to disk. PATH
 * is relative to the folder of tfsync.json, or absolute. Without `#/key`, the file's whole text
 * (one trailing newline dropped, as `echo secret > file` adds one); with it, a field of the file read
 * as a JSON object, or else as a dotenv file (`KEY=value` lines). YAML is not read: tfsync has no
 * YAML parser, and a half-right one would pick the wrong text as a secret.
 *
 * exists() answers without the value only where it can: without `#/key` the file is the secret, so
 * its existence is the answer; with one, a missing file is a missing secret, but whether the key is
 * inside means reading the file, which is reading the value: "cannot tell" (undefined).
 *
 * Read-only: the file is someone else's to write (an agent, a mounted volume).
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SecretRef } from '../../model/secret-ref.js';
import { SecretError, pickKey, type SecretBackend, type SecretContext } from './backend.js';
import { fieldsOf } from './dotenv.js';

export const fileBackend: SecretBackend = {
  name: 'file',
  async read(ref, ctx) {
    const text = await readSecretFile(ref, ctx);
    if (ref.key.length === 0) return text.replace(/\r?\n$/, '');
    return pickKey(ref, fieldsOf(ref, text, 'the file', 'leave out #/key to use the whole file'));
  },
  async exists(ref, ctx) {
    let isFile: boolean;
    try {
      isFile = (await stat(fileOf(ref, ctx))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw failure(ref, error);
    }
    if (!isFile) return false;
    return ref.key.length === 0 ? true : undefined;
  },
};

function fileOf(ref: SecretRef, ctx: SecretContext): string {
  return resolve(ctx.root, ref.path);
}

async function readSecretFile(ref: SecretRef, ctx: SecretContext): Promise<string> {
  try {
    return (await readFile(fileOf(ref, ctx), 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    if (isMissing(error)) throw new SecretError(ref, 'secret-not-found', 'the file does not exist', 'paths in references are relative to the folder of tfsync.json');
    throw failure(ref, error);
  }
}

function failure(ref: SecretRef, error: unknown): SecretError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  if (code === 'EACCES' || code === 'EPERM') return new SecretError(ref, 'secret-access-denied', `the file cannot be read (${code})`);
  return new SecretError(ref, 'secret-backend-failed', `the file cannot be read (${code})`);
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
