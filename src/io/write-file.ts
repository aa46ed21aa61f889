import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { TfsyncError } from '../errors.js';
import { errorCode, fsErrorReason, nodeFileSystem, type FileSystem, type WritableFile } from './file-system.js';

export interface WriteOptions {
  /** Permission bits to give the file; default: the existing file's (the umask's for a new one). */
  mode?: number;
  /**
   * Edit the file a symbolic link points to, keeping the link (default). Off for backups: a `.bak`
   * that is a link must be replaced, never followed to overwrite whatever it points at.
   */
  followSymlinks?: boolean;
  fs?: FileSystem;
}

/**
 * Replaces a file's contents atomically: readers see the old bytes or the new ones, never a mix,
 * and a crash or a full disk leaves the old file in place. A string is written as UTF-8 without
 * a BOM (use `encodeText` to keep one). Returns the path actually written (the link's target).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<string> {
  const fs = options.fs ?? nodeFileSystem;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    const target = options.followSymlinks === false ? path : await resolveTarget(path, fs);
    const mode = options.mode ?? (await existingMode(target, fs));
    await replaceFile(target, bytes, mode, fs);
    return target;
  } catch (err) {
    if (err instanceof TfsyncError) throw err;
    throw new TfsyncError(`cannot write ${path}: ${fsErrorReason(err)}`, { code: 'write-failed' });
  }
}

/** Where the previous bytes of `path` are kept; `tfsync restore` puts them back. */
export function backupPath(path: string): string {
  return `${path}.bak`;
}

/**
 * What `<path>.bak` holds when tfsync created `<path>`: there were no previous bytes, and `restore`
 * seeing this deletes the file (keeping its contents as the new `.bak`). No variables file reads
 * like it: it names itself.
 */
export const CREATED_MARKER = '# tfsync: this file did not exist before tfsync wrote it; `tfsync restore` deletes it\n';

export function isCreatedMarker(bytes: Uint8Array): boolean {
  return Buffer.from(bytes).toString('utf8') === CREATED_MARKER;
}

/**
 * Writes `<path>.bak` atomically. Its mode is the file's own permission bits, so a backup of a
 * 0600 file holding secrets is never readable by more people than the file was (and never setuid).
 */
export async function writeBackup(path: string, previousBytes: Uint8Array, mode: number, fs: FileSystem = nodeFileSystem): Promise<string> {
  const bak = backupPath(path);
  await writeFileAtomic(bak, previousBytes, { mode: mode & 0o777, followSymlinks: false, fs });
  return bak;
}

/**
 * The real file behind a path, so an edit through a symbolic link changes the file and keeps the
 * link. A path that does not exist yet is its own target, unless it is a link to a missing file:
 * writing there would silently turn the link into a regular file.
 */
export async function resolveTarget(path: string, fs: FileSystem = nodeFileSystem): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err;
  }
  const stats = await fs.lstat(path).catch(() => undefined);
  if (stats?.isSymbolicLink()) throw new TfsyncError(`cannot write ${path}: it is a symbolic link to a missing file`, { code: 'write-failed' });
  return path;
}

async function existingMode(target: string, fs: FileSystem): Promise<number | undefined> {
  try {
    return (await fs.stat(target)).mode & 0o7777;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/** Temp file in the target's own folder: rename is only atomic within one file system. */
function tempPath(target: string): string {
  const random = randomBytes(4).toString('hex');
  return join(dirname(target), `.${basename(target)}.tfsync-tmp-${process.pid}-${random}`);
}

async function replaceFile(target: string, bytes: Uint8Array, mode: number | undefined, fs: FileSystem): Promise<void> {
  const temp = tempPath(target);
  let handle: WritableFile | undefined;
  try {
    // Created private and widened by chmod afterwards, so a file of secrets is never briefly
    // world-readable. Without a known mode the umask decides, as for any new file.
    handle = await fs.open(temp, 'wx', mode === undefined ? 0o666 : 0o600);
    await handle.writeFile(bytes);
    await handle.sync();
    const closing = handle;
    handle = undefined;
    await closing.close();
    if (mode !== undefined) await fs.chmod(temp, mode);
    await fs.rename(temp, target);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fs.unlink(temp).catch(() => undefined);
    throw err;
  }
}
