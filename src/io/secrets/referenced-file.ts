/**
 * The file a `file` or `age` reference names: resolved against the folder of tfsync.json (an
 * absolute path stays as it is), read only when it is a regular file within the size tfsync reads
 * (a FIFO would block the run for ever, a huge file is a wrong path), and the file system's
 * failures as SecretErrors with their code. Whether it exists is asked without reading it.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SecretRef } from '../../model/secret-ref.js';
import { errorCode } from '../file-system.js';
import { fileSizeLimit } from '../read-text.js';
import { SecretError, type SecretContext } from './backend.js';

export function referencedFile(ref: SecretRef, ctx: SecretContext): string {
  return resolve(ctx.root, ref.path);
}

/** The file's bytes; a missing file is secret-not-found (with `missingHint`). */
export async function readReferencedFile(ref: SecretRef, ctx: SecretContext, missingHint?: string): Promise<Buffer> {
  const file = referencedFile(ref, ctx);
  try {
    const stats = await stat(file);
    // A folder is left to the read, whose EISDIR says what it is.
    if (!stats.isFile() && !stats.isDirectory()) throw new SecretError(ref, 'secret-backend-failed', 'the path is not a regular file (a FIFO, a socket or a device)');
    if (stats.size > fileSizeLimit()) throw new SecretError(ref, 'secret-backend-failed', `the file is ${stats.size} bytes, more than tfsync reads`, 'check the path, or raise TFSYNC_MAX_FILE_SIZE');
    return await readFile(file);
  } catch (error) {
    if (error instanceof SecretError) throw error;
    if (isMissing(error)) throw new SecretError(ref, 'secret-not-found', 'the file does not exist', missingHint);
    throw unreadable(ref, error);
  }
}

/**
 * Whether the file is there: without `#/key` that is the secret; with one, a missing file is a
 * missing secret, but whether the key is inside is in the value, so a file that is there is "cannot
 * tell" (undefined: callers say "not checked").
 */
export async function referencedFileExists(ref: SecretRef, ctx: SecretContext): Promise<boolean | undefined> {
  try {
    if (!(await stat(referencedFile(ref, ctx))).isFile()) return false;
  } catch (error) {
    if (isMissing(error)) return false;
    throw unreadable(ref, error);
  }
  return ref.key.length === 0 ? true : undefined;
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function unreadable(ref: SecretRef, error: unknown): SecretError {
  const code = errorCode(error) ?? 'error';
  return new SecretError(ref, code === 'EACCES' || code === 'EPERM' ? 'secret-access-denied' : 'secret-backend-failed', `the file cannot be read (${code})`);
}
