/**
 * `ref+op://VAULT/ITEM[/SECTION]/FIELD`: a 1Password field through the `op` CLI, as
 * `op read --no-newline op://VAULT/ITEM[/SECTION]/FIELD` (the secret reference syntax 1Password
 * itself uses; query parameters such as `?attribute=otp` pass through). Signing in is op's: the
 * desktop app integration, `op signin`, or OP_SERVICE_ACCOUNT_TOKEN in the environment.
 *
 * Read-only, and no exists(): op cannot tell that a field exists without reading it.
 */
import type { SecretRef } from '../../model/secret-ref.js';
import { SecretError, type SecretBackend } from './backend.js';
import { runTool, toolFailure } from './run-tool.js';

const NOT_FOUND = /isn't (?:a|an) (?:vault|item|field|section)|could not find|couldn't find|not found|no item|has no field|no such/i;
const DENIED = /not (?:currently )?signed in|sign ?in|session (?:has )?expired|unauthori[sz]ed|authori[sz]ation|forbidden|\b40[13]\b|authentication|service account token/i;

/** The `op://` reference `op read` takes for a tfsync reference. */
export function opReference(ref: SecretRef): string {
  if (ref.key.length > 0) {
    throw new SecretError(ref, 'secret-ref-invalid', 'a 1Password reference names its field in the path, not with #/key', 'write ref+op://VAULT/ITEM/FIELD or ref+op://VAULT/ITEM/SECTION/FIELD');
  }
  const segments = ref.path.replace(/^\/+/, '').split('/');
  if (segments.length < 3 || segments.length > 4 || segments.some((s) => s === '')) {
    throw new SecretError(ref, 'secret-ref-invalid', 'a 1Password reference is VAULT/ITEM[/SECTION]/FIELD', 'write ref+op://VAULT/ITEM/FIELD or ref+op://VAULT/ITEM/SECTION/FIELD');
  }
  const query = new URLSearchParams(ref.params).toString();
  return `op://${segments.join('/')}${query ? `?${query}` : ''}`;
}

export const opBackend: SecretBackend = {
  name: 'op',
  async read(ref, ctx) {
    const reference = opReference(ref);
    const result = await runTool(ref, ctx, 'op', ['read', '--no-newline', reference]);
    if (result.code === 0) return result.stdout;
    const denied = DENIED.test(result.stderr) && !NOT_FOUND.test(result.stderr);
    throw toolFailure(ref, 'op', result, denied ? 'secret-access-denied' : NOT_FOUND.test(result.stderr) ? 'secret-not-found' : 'secret-backend-failed');
  },
};
