/**
 * Everything the commands use of the secret stores, behind one lazy import: a command that resolves
 * no secret loads none of it, and one split point (rather than one per file) keeps the bundled
 * CLI's shared code in fewer chunks, which is start-up time for every command (docs/performance.md).
 */
export { copySecret, secretWritable } from './copy.js';
export { Fingerprinter, fingerprintSources } from './fingerprint.js';
export { readSecrets, secretContext, secretExists } from './resolve.js';
export { writeSecretFile } from './secret-file.js';
