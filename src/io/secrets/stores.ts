/**
 * Everything the commands use of the secret stores, behind one lazy import: a command that resolves
 * no secret loads none of it, and one split point (rather than one per file) keeps the bundled
 * CLI's shared code in fewer chunks, which is start-up time for every command (docs/performance.md).
 */
import type { SecretVariable } from '../../sync/secret-variables.js';
import { readSecrets, secretContext } from './resolve.js';

export { copySecret, secretWritable } from './copy.js';
export { Fingerprinter, fingerprintSources } from './fingerprint.js';
export { secretContext, secretExists } from './resolve.js';
export { writeSecretFile } from './secret-file.js';

/** The secrets of an environment's variables (secretVariables), by their `secrets` entry, all read at once. */
export function readVariableSecrets(variables: readonly SecretVariable[], env: Record<string, string | undefined>, root: string): Promise<Map<string, string>> {
  return readSecrets(new Map(variables.flatMap((v) => v.refs.map((r) => [r.entry, r.ref] as const))), secretContext(env, root));
}
