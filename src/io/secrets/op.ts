/**
 * `ref+op://VAULT/ITEM[/SECTION]/FIELD` through 1Password's CLI: `op read op://VAULT/ITEM/FIELD`,
 * as vals does. Existence needs the value here (op has no cheaper question), so it reads and drops it.
 */
import { BackendError, type BackendContext, type SecretBackend } from './backend.js';
import { toolOutput } from './run-tool.js';
import type { SecretRef } from '../../model/secret-refs.js';

const NOT_FOUND = /isn't an item|not found|no item/i;

function read(ref: SecretRef, ctx: BackendContext): Promise<string> {
  return toolOutput('op', ['read', '--no-newline', `op://${ref.path}`], ctx, NOT_FOUND);
}

export function createBackend(ctx: BackendContext): SecretBackend {
  return {
    read: (ref) => read(ref, ctx),
    async exists(ref) {
      try {
        await read(ref, ctx);
        return true;
      } catch (error) {
        if (error instanceof BackendError && error.notFound) return false;
        throw error;
      }
    },
  };
}
