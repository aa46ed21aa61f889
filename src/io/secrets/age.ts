/**
 * `ref+age://FILE[#/key]`: an age-encrypted JSON or dotenv file in the repository (binary or
 * ASCII-armoured), decrypted in memory with the `age-encryption` package. The identity file comes
 * from TFSYNC_AGE_IDENTITY, else SOPS_AGE_KEY_FILE (what sops users already set); its
 * `AGE-SECRET-KEY-1...` lines are the identities, `#` lines comments, as age-keygen writes them.
 */
import { readFile } from 'node:fs/promises';
import { BackendError, type BackendContext, type SecretBackend } from './backend.js';
import { fileExists, readBytes } from './file.js';

async function identities(ctx: BackendContext, what: string): Promise<string[]> {
  const file = ctx.env.TFSYNC_AGE_IDENTITY ?? ctx.env.SOPS_AGE_KEY_FILE;
  if (!file) throw new BackendError(`${what}: no age identity: set TFSYNC_AGE_IDENTITY (or SOPS_AGE_KEY_FILE) to an identity file`, 'no-identity');
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new BackendError(`${what}: cannot read the age identity file (${error.code ?? 'EIO'})`, error.code ?? 'EIO');
  });
  const keys = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.startsWith('AGE-SECRET-KEY-'));
  if (keys.length === 0) throw new BackendError(`${what}: the age identity file holds no AGE-SECRET-KEY-1... line`, 'no-identity');
  return keys;
}

export function createBackend(ctx: BackendContext): SecretBackend {
  return {
    async read(ref) {
      const [bytes, keys, age] = await Promise.all([readBytes(ref, ctx), identities(ctx, ref.text), import('age-encryption')]);
      const decrypter = new age.Decrypter();
      for (const key of keys) decrypter.addIdentity(key);
      const head = bytes.subarray(0, 64).toString('latin1');
      try {
        const input = head.startsWith('-----BEGIN AGE ENCRYPTED FILE-----') ? age.armor.decode(bytes.toString('latin1')) : bytes;
        return (await decrypter.decrypt(input, 'text')).replace(/\r?\n$/, '');
      } catch {
        // The library's message may describe the header; say only what failed.
        throw new BackendError(`${ref.text}: cannot decrypt ${ref.path} with the age identity given`, 'decrypt');
      }
    },
    exists: (ref) => fileExists(ref, ctx),
  };
}
