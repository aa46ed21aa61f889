/**
 * `ref+file://path[#/key]`: a plain file (relative to the repository's root; `ref+file:///abs` is
 * absolute), whole or one key of its JSON or dotenv content, as vals reads it.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BackendError, type BackendContext, type SecretBackend } from './backend.js';
import type { SecretRef } from '../../model/secret-refs.js';

/** The file a reference names (shared by the age and sops backends). */
export function fileOf(ref: SecretRef, ctx: BackendContext): string {
  return resolve(ctx.root, ref.path);
}

/** A file's bytes, or a BackendError with the reference and the system's code. */
export async function readBytes(ref: SecretRef, ctx: BackendContext): Promise<Buffer> {
  try {
    return await readFile(fileOf(ref, ctx));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw new BackendError(`${ref.text}: cannot read ${ref.path} (${code})`, code, code === 'ENOENT');
  }
}

export async function fileExists(ref: SecretRef, ctx: BackendContext): Promise<boolean> {
  return (await stat(fileOf(ref, ctx)).catch(() => undefined))?.isFile() ?? false;
}

export function createBackend(ctx: BackendContext): SecretBackend {
  return {
    read: async (ref) => (await readBytes(ref, ctx)).toString('utf8').replace(/\r?\n$/, ''),
    exists: (ref) => fileExists(ref, ctx),
  };
}
