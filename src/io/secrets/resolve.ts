/**
 * Resolving many references at once: every call in parallel, each under the timeout, the backends
 * loaded once. Used by `exec`, `show --resolve-secrets`, `check` (existence), `diff` (fingerprints)
 * and promotion (copies).
 */
import type { SecretBackendName, SecretRef } from '../../model/secret-ref.js';
import { SecretError, type SecretBackend, type SecretContext } from './backend.js';
import { loadBackend } from './registry.js';

/** The timeout of one backend call (ms), unless TFSYNC_SECRET_TIMEOUT_MS says otherwise. */
export const DEFAULT_SECRET_TIMEOUT_MS = 15_000;

export function secretContext(env: Record<string, string | undefined>, root: string): SecretContext {
  const configured = Number(env['TFSYNC_SECRET_TIMEOUT_MS']);
  return { env, root, timeoutMs: Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_SECRET_TIMEOUT_MS };
}

const standIns = new Map<SecretBackendName, SecretBackend>();

/**
 * Tests only (nothing in src/ calls it): `backend` stands in for the backend `name` until called
 * again without one. The seam through which a test proves that a command never calls read()
 * (`promote --dry-run`, `check`), and makes a store fail or accept writes on demand.
 */
export function standInBackend(name: SecretBackendName, backend?: SecretBackend): void {
  if (backend) standIns.set(name, backend);
  else standIns.delete(name);
}

/** `work` under the context's timeout: a store that does not answer fails with `secret-timeout`. */
export async function withTimeout<T>(ref: SecretRef, ctx: SecretContext, work: (backend: SecretBackend) => Promise<T>): Promise<T> {
  const backend = standIns.get(ref.backend) ?? (await loadBackend(ref.backend));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SecretError(ref, 'secret-timeout', `no answer from ${ref.backend} within ${ctx.timeoutMs} ms`)), ctx.timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([work(backend), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function readSecret(ref: SecretRef, ctx: SecretContext): Promise<string> {
  return withTimeout(ref, ctx, (backend) => backend.read(ref, ctx));
}

/** Whether the secret exists, or undefined when its store cannot tell without reading the value. */
export function secretExists(ref: SecretRef, ctx: SecretContext): Promise<boolean | undefined> {
  return withTimeout(ref, ctx, async (backend) => (backend.exists ? backend.exists(ref, ctx) : undefined));
}

/** Every reference read in parallel; the first failure (in the order given) is thrown, no value kept. */
export async function readSecrets(refs: ReadonlyMap<string, SecretRef>, ctx: SecretContext): Promise<Map<string, string>> {
  const entries = [...refs];
  const settled = await Promise.allSettled(entries.map(([, ref]) => readSecret(ref, ctx)));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return new Map(entries.map(([name], i) => [name, (settled[i] as PromiseFulfilledResult<string>).value]));
}
