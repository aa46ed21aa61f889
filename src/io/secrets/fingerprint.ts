/**
 * Keyed fingerprints of secrets, for `diff` and promotion: HMAC-SHA256 under a key from
 * crypto.randomBytes made fresh for each run (never printed, never stored), so a fingerprint says
 * "same" or "differs" within one run and nothing across runs (no dictionary of known passwords
 * can be matched against it). Each value is hashed the moment it is read and dropped.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { TfsyncError } from '../../errors.js';
import { parseSecretRef } from '../../model/secret-ref.js';
import { fingerprintText, type Fingerprint, type SecretSources } from '../../sync/secret-compare.js';
import { storeErrorCode } from './backend.js';
import { readSecret, secretContext } from './resolve.js';

export class Fingerprinter {
  // Private to this object, and gone with it: one run, one key.
  readonly #key = randomBytes(32);

  hmac(text: string): string {
    return createHmac('sha256', this.#key).update(text, 'utf8').digest('hex');
  }

  /** The fingerprint of the secret `reference` names: every read in parallel, the value hashed and dropped. */
  async ofReference(reference: string, ctx: ReturnType<typeof secretContext>): Promise<Fingerprint> {
    try {
      return { hmac: this.hmac(await readSecret(parseSecretRef(reference), ctx)) };
    } catch (err) {
      if (err instanceof TfsyncError && err.code === 'secret-not-found') return { missing: true };
      return { code: storeErrorCode(err) };
    }
  }
}

/**
 * Every source's fingerprint, per variable in the order given: file values hashed as they are,
 * references read (each reference once, all at once).
 */
export async function fingerprintSources(list: readonly SecretSources[], env: Record<string, string | undefined>, root: string, fingerprinter = new Fingerprinter()): Promise<Fingerprint[][]> {
  const ctx = secretContext(env, root);
  const byReference = new Map<string, Promise<Fingerprint>>();
  for (const { sources } of list) {
    for (const s of sources) if (s.kind === 'reference' && !byReference.has(s.reference)) byReference.set(s.reference, fingerprinter.ofReference(s.reference, ctx));
  }
  const read = new Map(await Promise.all([...byReference].map(async ([text, print]) => [text, await print] as const)));
  return list.map(({ sources }) =>
    sources.map((s): Fingerprint => (s.kind === 'reference' ? read.get(s.reference)! : s.kind === 'value' ? { hmac: fingerprinter.hmac(fingerprintText(s.value)) } : { missing: true })),
  );
}
