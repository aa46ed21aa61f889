/**
 * Copying a secret from one store to another (promotion): one read, one write, each under the
 * timeout. The value lives in this function's frame between the two, and nowhere else: not in a
 * file, not in an argument list (the CLIs take it on stdin), not in an error.
 */
import type { SecretRef } from '../../model/secret-ref.js';
import { SecretError, type SecretContext } from './backend.js';
import { readSecret, withTimeout } from './resolve.js';

/** Whether tfsync can write where `ref` points: its backend has write(). Loads the backend; reads nothing. */
export function secretWritable(ref: SecretRef, ctx: SecretContext): Promise<boolean> {
  return withTimeout(ref, ctx, async (backend) => typeof backend.write === 'function');
}

export async function copySecret(from: SecretRef, to: SecretRef, ctx: SecretContext): Promise<void> {
  const value = await readSecret(from, ctx);
  await withTimeout(to, ctx, async (backend) => {
    if (!backend.write) throw new SecretError(to, 'secret-not-writable', `tfsync cannot write to ${to.backend}`);
    await backend.write(to, value, ctx);
  });
}
