/**
 * `ref+file://PATH[#/key]` (as vals reads it): a plain file holding the secret, e.g. one a CI system
 * or a secrets agent (Vault Agent, the CSI driver, a Kubernetes secret volume) writes to disk. PATH
 * is relative to the folder of tfsync.json, or absolute. Without `#/key`, the file's whole text
 * (one trailing newline dropped, as `echo secret > file` adds one); with it, a field of the file read
 * as a JSON object, or else as a dotenv file (`KEY=value` lines). YAML is not read: tfsync has no
 * YAML parser, and a half-right one would pick the wrong text as a secret.
 *
 * exists() answers without the value only where it can: without `#/key` the file is the secret, so
 * its existence is the answer; with one, a missing file is a missing secret, but whether the key is
 * inside means reading the file, which is reading the value: "cannot tell" (undefined).
 *
 * Read-only: the file is someone else's to write (an agent, a mounted volume).
 */
import { pickKey, type SecretBackend } from './backend.js';
import { fieldsOf } from './dotenv.js';
import { readReferencedFile, referencedFileExists } from './referenced-file.js';

export const fileBackend: SecretBackend = {
  name: 'file',
  async read(ref, ctx) {
    const text = (await readReferencedFile(ref, ctx, 'paths in references are relative to the folder of tfsync.json')).toString('utf8').replace(/^\uFEFF/, '');
    if (ref.key.length === 0) return text.replace(/\r?\n$/, '');
    return pickKey(ref, fieldsOf(ref, text, 'the file', 'leave out #/key to use the whole file'));
  },
  exists: referencedFileExists,
};
