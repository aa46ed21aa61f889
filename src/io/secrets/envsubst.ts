/** `ref+envsubst://$NAME`: the value of an environment variable of tfsync's own process (as vals). */
import { BackendError, type BackendContext, type SecretBackend } from './backend.js';
import type { SecretRef } from '../../model/secret-refs.js';

function variable(ref: SecretRef): string {
  const match = /^\$\{?([A-Za-z_]\w*)\}?$/.exec(ref.path);
  if (!match) throw new BackendError(`${ref.text}: envsubst takes one variable, written $NAME`, 'syntax');
  return match[1]!;
}

export function createBackend(ctx: BackendContext): SecretBackend {
  return {
    async read(ref) {
      const value = ctx.env[variable(ref)];
      if (value === undefined) throw new BackendError(`${ref.text}: ${variable(ref)} is not set`, 'unset', true);
      return value;
    },
    async exists(ref) {
      return ctx.env[variable(ref)] !== undefined;
    },
  };
}
