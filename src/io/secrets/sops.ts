/**
 * `ref+sops://FILE[#/key]` through the `sops` CLI: `sops --decrypt FILE`, then the key is picked
 * from its JSON or dotenv output, as vals does. Existence is the encrypted file's existence.
 */
import type { BackendContext, SecretBackend } from './backend.js';
import { fileExists, fileOf } from './file.js';
import { toolOutput } from './run-tool.js';

export function createBackend(ctx: BackendContext): SecretBackend {
  return {
    async read(ref) {
      const file = fileOf(ref, ctx);
      const type = /\.env$/.test(file) ? ['--input-type', 'dotenv', '--output-type', 'dotenv'] : /\.ya?ml$/.test(file) ? ['--output-type', 'json'] : [];
      return toolOutput('sops', ['--decrypt', ...type, file], ctx, /no such file|not found/i);
    },
    exists: (ref) => fileExists(ref, ctx),
  };
}
