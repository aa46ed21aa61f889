/**
 * Writes a file only its owner can read (mode 0600), for output that holds secrets. Written in
 * place, not through a temporary file and a rename: a temporary copy of secrets is one more file
 * to leak. An existing file is narrowed to 0600 before a byte goes in.
 */
import { open } from 'node:fs/promises';
import { TfsyncError } from '../errors.js';
import { fsErrorReason } from './file-system.js';

export async function writePrivateFile(path: string, text: string): Promise<void> {
  try {
    const handle = await open(path, 'w', 0o600);
    try {
      await handle.chmod(0o600);
      await handle.writeFile(text, 'utf8');
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new TfsyncError(`cannot write ${path}: ${fsErrorReason(err)}`);
  }
}
