/**
 * Writing resolved secrets to the file the user named (`show --resolve-secrets --output FILE`):
 * readable by its owner only (0600) before a byte of it is written, never through a symbolic link
 * (which could lead anywhere), and in place: no temporary file beside it and no backup, which
 * would be more copies of the secrets. Not atomic, by choice: a crash mid-write leaves a short file
 * that is still private, where an atomic write would leave a temporary copy.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { TfsyncError } from '../../errors.js';
import { errorCode } from '../file-system.js';

const PRIVATE = 0o600;

export async function writeSecretFile(path: string, shownAs: string, text: string): Promise<void> {
  const refuse = (why: string, hint?: string): never => {
    throw new TfsyncError(`${shownAs}: ${why}; nothing written`, { code: 'write-failed', ...(hint ? { hint } : {}) });
  };
  const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;
  let handle: FileHandle;
  try {
    // An existing file: opened without truncating, so that nothing changes until it is private.
    handle = await open(path, O_WRONLY | O_NOFOLLOW);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ELOOP') return refuse('is a symbolic link, which secrets are not written through', 'name the file it points to');
    if (code === 'EISDIR') return refuse('is a folder');
    if (code !== 'ENOENT') return refuse(`cannot be opened (${code ?? 'error'})`);
    try {
      handle = await open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, PRIVATE);
    } catch (created) {
      return refuse(`cannot be created (${errorCode(created) ?? 'error'})`);
    }
  }
  try {
    if (!(await handle.stat()).isFile()) refuse('is not a regular file');
    try {
      await handle.chmod(PRIVATE);
    } catch (error) {
      refuse(`cannot be made readable by its owner only (${errorCode(error) ?? 'error'})`);
    }
    await handle.truncate(0);
    await handle.writeFile(text);
    await handle.sync();
  } catch (error) {
    if (error instanceof TfsyncError) throw error;
    throw new TfsyncError(`${shownAs}: the write failed (${errorCode(error) ?? 'error'})`, { code: 'write-failed' });
  } finally {
    await handle.close();
  }
}
