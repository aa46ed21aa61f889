/**
 * `ref+sops://FILE[?format=json|yaml|dotenv|ini|binary][#/a/b]`: a SOPS-encrypted file through the
 * `sops` CLI, as `sops --decrypt [--input-type FORMAT] [--extract '["a"]["b"]'] FILE` (FILE relative
 * to tfsync.json's folder). `--decrypt` rather than the `decrypt` subcommand: sops 3.9 added the
 * subcommand and kept the flag, so the flag works with every sops in use. With `#/a/b`, sops prints a
 * string leaf as it is and a subtree in the file's format; without a key, the whole decrypted file.
 * Keys are taken from sops' own configuration (SOPS_AGE_KEY_FILE, GPG, KMS, ...).
 *
 * Read-only, and no exists(): whether a key is in the file is known only by decrypting it.
 */
import { resolve } from 'node:path';
import type { SecretRef } from '../../model/secret-ref.js';
import { SecretError, type SecretBackend } from './backend.js';
import { runTool, toolFailure } from './run-tool.js';

/** sops' exit codes that say what went wrong (cmd/sops/codes). */
const SOPS_CODES: Record<number, string> = {
  2: 'CouldNotReadInputFile',
  24: 'ErrorDecryptingMac',
  25: 'ErrorDecryptingTree',
  51: 'MacMismatch',
  52: 'MacNotFound',
  91: 'InvalidTreePathFormat',
  100: 'NoFileSpecified',
  111: 'NoEncryptionKeyFound',
  128: 'CouldNotRetrieveKey',
};
const FORMATS = new Set(['json', 'yaml', 'dotenv', 'ini', 'binary']);
const NOT_FOUND = /component .* not found|not found in|no such file|does not exist|cannot find/i;
const DENIED = /failed to get the data key|could not decrypt data key|no identity matched|no matching keys|access ?denied|permission denied|unauthori[sz]ed/i;

/** The arguments of the sops call for a reference, the file resolved against `root`. */
export function sopsArguments(ref: SecretRef, root: string): string[] {
  const args = ['--decrypt'];
  const format = ref.params['format'];
  if (format !== undefined) {
    if (!FORMATS.has(format)) throw new SecretError(ref, 'secret-ref-invalid', `sops has no input type ${JSON.stringify(format)}`, `use one of ${[...FORMATS].join(', ')}`);
    args.push('--input-type', format);
  }
  if (ref.params['key_type'] !== undefined && ref.params['key_type'] !== 'filepath') {
    throw new SecretError(ref, 'secret-ref-invalid', 'tfsync reads SOPS files by path only (key_type=filepath)');
  }
  if (ref.key.length > 0) {
    if (ref.key.some((k) => /["\\]/.test(k) || k === '')) throw new SecretError(ref, 'secret-ref-invalid', 'a key of a sops reference cannot be empty or hold a quote or a backslash');
    args.push('--extract', ref.key.map((k) => `["${k}"]`).join(''));
  }
  // An absolute path: a file named like an option (`-x`) cannot be taken for one.
  args.push(resolve(root, ref.path));
  return args;
}

export const sopsBackend: SecretBackend = {
  name: 'sops',
  async read(ref, ctx) {
    const result = await runTool(ref, ctx, 'sops', sopsArguments(ref, ctx.root));
    if (result.code === 0) return result.stdout;
    const name = SOPS_CODES[result.code];
    const code =
      result.code === 2 || NOT_FOUND.test(result.stderr)
        ? 'secret-not-found'
        : result.code === 128 || DENIED.test(result.stderr)
          ? 'secret-access-denied'
          : 'secret-backend-failed';
    throw toolFailure(ref, name ? `sops (${name})` : 'sops', result, code);
  },
};
