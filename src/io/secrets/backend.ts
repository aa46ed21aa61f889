/**
 * What every secret backend is: read a secret, tell whether it exists, and (where the store
 * allows) write it. Each backend is its own module, imported only when a reference uses it
 * (load-backend.ts), so that a command that resolves no secret loads none of them.
 */
import type { SecretRef } from '../../model/secret-refs.js';

export interface BackendContext {
  /** The process environment (VAULT_ADDR, AWS_*, TFSYNC_AGE_IDENTITY, PATH, ...). */
  env: Record<string, string | undefined>;
  /** The repository's root: relative `file`, `age` and `sops` paths are read from here. */
  root: string;
  /** Milliseconds one backend call may take. */
  timeoutMs: number;
}

export interface SecretBackend {
  /** The whole secret at `ref.path` (the caller picks `ref.key` out of it). */
  read(ref: SecretRef): Promise<string>;
  /** Whether `ref.path` exists, asked without reading its value where the store can answer that. */
  exists(ref: SecretRef): Promise<boolean>;
  /** Replaces the whole secret at `ref.path`; absent where the store cannot be written by tfsync. */
  write?(ref: SecretRef, secret: string): Promise<void>;
}

/**
 * A backend's failure: the reference and the backend's own code (AccessDeniedException, 403,
 * exit 2), never a value. `notFound` tells existence checks that the answer is "no".
 */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  constructor(
    message: string,
    readonly code: string,
    readonly notFound = false,
  ) {
    super(message);
  }
}
