/**
 * Copying a secret from one store to another (promotion): one read, one write, each under the
 * timeout. The value lives in this function's frame between the two, and nowhere else: not in a
 * file, not in an argument list (the CLIs take it on stdin), not in an error.
 */
import { TfsyncError } from '../../errors.js';
import type { SecretRef } from '../../model/secret-ref.js';
import { SecretError, type SecretContext } from './backend.js';
import { readSecret, withTimeout } from './resolve.js';

/** Whether tfsync can write where `ref` points: its backend has write(). Loads the backend; reads nothing. */
export function secretWritable(ref: SecretRef, ctx: SecretContext): Promise<boolean> {
  return withTimeout(ref, ctx, async (backend) => typeof backend.write === 'function');
}

export async function copySecret(from: SecretRef, to: SecretRef, ctx: SecretContext): Promise<void> {
  const value = await readSecret(from, ctx);
  try {
    await withTimeout(to, ctx, async (backend) => {
      if (!backend.write) throw new SecretError(to, 'secret-not-writable', `tfsync cannot write to ${to.backend}`);
      await backend.write(to, value, ctx);
    });
  } catch (error) {
    throw withoutValue(error, value);
  }
}

/**
 * The error with every occurrence of `value` (and of each of its lines) taken out. redact() can
 * only guess at what looks like a value; here the value is known, so a store that echoes the one it
 * was given (a short one, which redact would let through) is caught exactly.
 */
function withoutValue(error: unknown, value: string): unknown {
  if (!(error instanceof TfsyncError)) return error;
  const pieces = [value, ...value.split(/\r?\n/)].map((p) => p.trim()).filter((p) => p.length > 0).sort((a, b) => b.length - a.length);
  const scrub = (text: string) => pieces.reduce((out, piece) => out.replaceAll(piece, '…'), text);
  const { hint } = error.options;
  return new TfsyncError(scrub(error.message), { ...error.options, ...(hint !== undefined ? { hint: scrub(hint) } : {}) });
}
