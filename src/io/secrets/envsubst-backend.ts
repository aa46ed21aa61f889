/**
 * `ref+envsubst://$NAME`: the value of an environment variable (as vals reads it), for secrets a CI
 * system or a wrapper already puts in the environment. Read-only: tfsync cannot set a variable of
 * another process.
 */
import { SecretError, type SecretBackend } from './backend.js';

const NAME = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/;

export const envsubstBackend: SecretBackend = {
  name: 'envsubst',
  async read(ref, ctx) {
    const name = variableOf(ref);
    const value = ctx.env[name];
    if (value === undefined) throw new SecretError(ref, 'secret-not-found', `the environment variable ${name} is not set`);
    return value;
  },
  async exists(ref, ctx) {
    return ctx.env[variableOf(ref)] !== undefined;
  },
};

function variableOf(ref: Parameters<SecretBackend['read']>[0]): string {
  const match = NAME.exec(ref.path);
  if (!match) throw new SecretError(ref, 'secret-ref-invalid', 'envsubst takes one variable: ref+envsubst://$NAME');
  return match[1]!;
}
