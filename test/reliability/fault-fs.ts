/**
 * A FileSystem that records every call and fails the ones a test picks, the way real disks fail:
 * ENOSPC on a write, EACCES or EROFS anywhere. Calls are numbered in the order they are made, so
 * a test can run an operation once to count its steps, then again failing each step in turn.
 */
import { nodeFileSystem, type FileSystem, type WritableFile } from '../../src/io/file-system.js';

export type Op =
  | 'readFile'
  | 'writeFile'
  | 'open'
  | 'write'
  | 'sync'
  | 'close'
  | 'rename'
  | 'chmod'
  | 'stat'
  | 'lstat'
  | 'realpath'
  | 'unlink'
  | 'mkdir'
  | 'readdir';

/** Operations that change the disk (or need room on it). */
export const MUTATING: ReadonlySet<Op> = new Set(['writeFile', 'open', 'write', 'sync', 'close', 'rename', 'chmod', 'unlink', 'mkdir']);
/** Operations that need free space: a full disk fails these and no others. */
export const NEEDS_SPACE: ReadonlySet<Op> = new Set(['writeFile', 'open', 'write', 'sync', 'close', 'mkdir']);

export interface Call {
  index: number;
  op: Op;
  path: string;
}

/** Decides, before a call runs, whether it fails and with which code. */
export type Decide = (call: Call) => string | undefined;

export interface RecordingFs extends FileSystem {
  readonly calls: Call[];
}

export function injected(code: string, call: Call): Error {
  return Object.assign(new Error(`${code}: injected at ${call.op} ${call.path}`), { code, syscall: call.op, path: call.path });
}

/**
 * The real file system, each call recorded and first put to `decide`. `before` runs before every
 * call (after the decision), for tests that change the disk at a precise moment.
 */
export function recordingFs(decide: Decide = () => undefined, before: (call: Call) => void | Promise<void> = () => undefined): RecordingFs {
  const calls: Call[] = [];
  const step = async (op: Op, path: string) => {
    const call = { index: calls.length, op, path };
    calls.push(call);
    await before(call);
    const code = decide(call);
    if (code) throw injected(code, call);
  };
  return {
    calls,
    readFile: async (path) => (await step('readFile', path), nodeFileSystem.readFile(path)),
    writeFile: async (path, data, options) => (await step('writeFile', path), nodeFileSystem.writeFile(path, data, options)),
    open: async (path, flags, mode) => {
      await step('open', path);
      const handle = await nodeFileSystem.open(path, flags, mode);
      const file: WritableFile = {
        writeFile: async (data) => (await step('write', path), handle.writeFile(data)),
        sync: async () => (await step('sync', path), handle.sync()),
        close: async () => {
          // The descriptor is closed whatever the verdict, as the kernel does on a failed close.
          try {
            await step('close', path);
          } finally {
            await handle.close();
          }
        },
      };
      return file;
    },
    rename: async (from, to) => (await step('rename', from), nodeFileSystem.rename(from, to)),
    chmod: async (path, mode) => (await step('chmod', path), nodeFileSystem.chmod(path, mode)),
    stat: async (path) => (await step('stat', path), nodeFileSystem.stat(path)),
    lstat: async (path) => (await step('lstat', path), nodeFileSystem.lstat(path)),
    realpath: async (path) => (await step('realpath', path), nodeFileSystem.realpath(path)),
    unlink: async (path) => (await step('unlink', path), nodeFileSystem.unlink(path)),
    mkdir: async (path, options) => (await step('mkdir', path), nodeFileSystem.mkdir(path, options)),
    readdir: async (path) => (await step('readdir', path), nodeFileSystem.readdir(path)),
  };
}
