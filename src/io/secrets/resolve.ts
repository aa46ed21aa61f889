/**
 * Resolving references for a command: in parallel, each call bounded by the backend timeout, the
 * key picked out of the fetched secret, and every failure a TfsyncError that names the reference
 * and the backend's code and holds no value. Values live only in the returned map; callers drop it
 * when done.
 */
import { TfsyncError } from '../../errors.js';
import { MissingKey, redact, selectKey, withKey, type SecretRef } from '../../model/secret-refs.js';
import { BackendError, type BackendContext } from './backend.js';
import { Backends } from './load-backend.js';

/** Default time one backend call may take. TFSYNC_SECRET_TIMEOUT (seconds) changes it. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface NamedRef {
  name: string;
  ref: SecretRef;
}

/** A context for the secrets of one run. */
export function backendContext(env: Record<string, string | undefined>, root: string): BackendContext {
  const seconds = Number(env.TFSYNC_SECRET_TIMEOUT);
  return { env, root, timeoutMs: seconds > 0 ? seconds * 1000 : DEFAULT_TIMEOUT_MS };
}

/** Bounds a backend call: a backend that hangs (a CLI waiting for a PIN) must not hang tfsync. */
function bounded<T>(ref: SecretRef, ctx: BackendContext, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BackendError(`${ref.text}: ${ref.backend} did not answer within ${ctx.timeoutMs} ms`, 'timeout')), ctx.timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A backend failure as the CLI reports it: the variable, the reference, the backend's code. */
export function secretError(name: string, error: unknown): TfsyncError {
  if (error instanceof TfsyncError) return error;
  const code = error instanceof BackendError ? error.code : 'error';
  const message = error instanceof Error ? redact(error.message) : 'failed';
  return new TfsyncError(`secret ${name}: ${message}${message.includes(code) ? '' : ` [${code}]`}`);
}

/** One reference's value (the key picked out). */
async function readOne(backends: Backends, ref: SecretRef): Promise<string> {
  const backend = await backends.get(ref.backend);
  const secret = await bounded(ref, backends.ctx, backend.read(ref));
  try {
    return selectKey(secret, ref.key);
  } catch (error) {
    if (error instanceof MissingKey) throw new BackendError(`${ref.text}: ${error.message}`, 'no-key', true);
    throw error;
  }
}

/** Every reference's value by variable name, in parallel; the first failure (in name order) throws. */
export async function resolveSecrets(refs: readonly NamedRef[], ctx: BackendContext): Promise<Map<string, string>> {
  const values = await resolveSome(refs, ctx, false);
  return values as Map<string, string>;
}

/** As resolveSecrets, with undefined for a secret the store says does not exist (diff reports it as missing). */
export function resolveOptional(refs: readonly NamedRef[], ctx: BackendContext): Promise<Map<string, string | undefined>> {
  return resolveSome(refs, ctx, true);
}

async function resolveSome(refs: readonly NamedRef[], ctx: BackendContext, missingIsUndefined: boolean): Promise<Map<string, string | undefined>> {
  const backends = new Backends(ctx);
  const read = ({ ref }: NamedRef) =>
    readOne(backends, ref).catch((error: unknown) => {
      if (missingIsUndefined && error instanceof BackendError && error.notFound) return undefined;
      throw error;
    });
  const settled = await Promise.allSettled(refs.map(read));
  const failures = settled.flatMap((s, i) => (s.status === 'rejected' ? [secretError(refs[i]!.name, s.reason)] : []));
  if (failures.length > 0) throw new TfsyncError(failures[0]!.message, { more: failures.slice(1) });
  return new Map(settled.map((s, i) => [refs[i]!.name, (s as PromiseFulfilledResult<string | undefined>).value]));
}

export type Presence = { name: string; ref: SecretRef } & ({ exists: boolean } | { error: string });

/**
 * Whether each reference exists, asked without reading values where the backend can (see each
 * backend). A keyed reference into a store that can only answer for the whole secret counts as
 * existing when the secret does. Failures are kept per reference, not thrown: check reports them all.
 */
export async function checkPresence(refs: readonly NamedRef[], ctx: BackendContext): Promise<Presence[]> {
  const backends = new Backends(ctx);
  return Promise.all(
    refs.map(async ({ name, ref }): Promise<Presence> => {
      try {
        const backend = await backends.get(ref.backend);
        return { name, ref, exists: await bounded(ref, ctx, backend.exists(ref)) };
      } catch (error) {
        return { name, ref, error: secretError(name, error).message };
      }
    }),
  );
}

/** Whether the reference's store can be written by tfsync. */
export async function canWrite(ref: SecretRef, ctx: BackendContext): Promise<boolean> {
  return (await new Backends(ctx).get(ref.backend)).write !== undefined;
}

/** Writes `value` at `ref` (into its key of the existing secret, when keyed). */
export async function writeSecret(name: string, ref: SecretRef, value: string, ctx: BackendContext): Promise<void> {
  const backends = new Backends(ctx);
  try {
    const backend = await backends.get(ref.backend);
    if (!backend.write) throw new BackendError(`${ref.text}: tfsync cannot write to ${ref.backend}`, 'read-only');
    let existing: string | undefined;
    if (ref.key.length > 0 && (await bounded(ref, ctx, backend.exists(ref)))) existing = await bounded(ref, ctx, backend.read(ref));
    await bounded(ref, ctx, backend.write(ref, withKey(existing, ref.key, value)));
  } catch (error) {
    throw secretError(name, error);
  }
}
