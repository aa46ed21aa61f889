import { readFileSync, realpathSync, statSync } from 'node:fs';
import * as fsp from 'node:fs/promises';

/**
 * The subset of `node:fs/promises` that tfsync's writers use. Everything that touches the disk
 * goes through it, so tests can inject the faults that real disks produce (ENOSPC, EACCES, EROFS)
 * at exactly the step they want, and check that nothing is left half-written.
 */
export interface FileStats {
  mode: number;
  size: number;
  mtimeMs: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** What the atomic writer needs of an open file: write it all, flush it to the disk, close it. */
export interface WritableFile {
  writeFile(data: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface FileSystem {
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, data: string | Uint8Array, options: { flag?: string; mode?: number }): Promise<void>;
  open(path: string, flags: string, mode?: number): Promise<WritableFile>;
  rename(oldPath: string, newPath: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  stat(path: string): Promise<FileStats>;
  lstat(path: string): Promise<FileStats>;
  realpath(path: string): Promise<string>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<string | undefined>;
  /** The names in a folder (to clean up the temporary files of a killed run). */
  readdir(path: string): Promise<string[]>;
}

export const nodeFileSystem: FileSystem = {
  // Reads and stats are synchronous calls behind the promise: a promise-based readFile is four trips
  // through the thread pool (open, fstat, read, close), which cost `diff` on the demo 4 ms of its
  // start-up budget; tfsync reads its files before it does anything else, so nothing waits on them.
  readFile: async (path) => readFileSync(path),
  writeFile: (path, data, options) => fsp.writeFile(path, data, options),
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  rename: (oldPath, newPath) => fsp.rename(oldPath, newPath),
  chmod: (path, mode) => fsp.chmod(path, mode),
  stat: async (path) => statSync(path),
  lstat: (path) => fsp.lstat(path),
  realpath: async (path) => realpathSync.native(path),
  unlink: (path) => fsp.unlink(path),
  mkdir: (path, options) => fsp.mkdir(path, options),
  readdir: (path) => fsp.readdir(path),
};

/** The `code` of a Node system error (`ENOENT`, `ENOSPC`, ...), if it has one. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
  EEXIST: 'already exists',
  EBUSY: 'file is busy',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ELOOP: 'too many symbolic links',
};

/** A short human reason for a file-system error, in the words users know from the shell. */
export function fsErrorReason(err: unknown): string {
  const code = errorCode(err);
  const reason = code ? REASONS[code] : undefined;
  if (reason) return `${reason} (${code})`;
  return err instanceof Error ? err.message : String(err);
}
