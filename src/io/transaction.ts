import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TfsyncError } from '../errors.js';
import { errorCode, fsErrorReason, nodeFileSystem, type FileSystem } from './file-system.js';
import { backupPath, resolveTarget, writeBackup, writeFileAtomic } from './write-file.js';

/** One file of a plan: the bytes it had when planned (null: it did not exist) and its new bytes. */
export interface FileChange {
  path: string;
  before: Buffer | null;
  after: Buffer;
  mode: number;
}

export interface LockTiming {
  /** A lock older than this was left by a process that died; it is removed. */
  staleMs: number;
  /** How long to wait for a live lock before giving up. */
  waitMs: number;
  retryMs: number;
}

export const DEFAULT_LOCK_TIMING: LockTiming = { staleMs: 10_000, waitMs: 2_000, retryMs: 100 };

interface Planned {
  change: FileChange;
  /** The real file (symbolic links resolved): what is locked, compared and replaced. */
  target: string;
}

/**
 * Writes several files all-or-nothing: locks them, checks that none changed since the plan was
 * made, backs each up to `<file>.bak`, writes each atomically, and puts back the ones already
 * written if a later one fails. Changes whose bytes are unchanged are skipped (no write, no
 * `.bak`). Returns the paths written.
 */
export async function commitFiles(
  changes: FileChange[],
  fs: FileSystem = nodeFileSystem,
  timing: LockTiming = DEFAULT_LOCK_TIMING,
): Promise<string[]> {
  const pending = changes.filter((c) => c.before === null || !c.before.equals(c.after));
  if (pending.length === 0) return [];
  const planned = await resolveAll(pending, fs);
  const locks: string[] = [];
  try {
    // Locked before the check, so no other tfsync can change a file between check and write.
    for (const p of planned) locks.push(await acquireLock(p, fs, timing));
    for (const p of planned) await verifyUnchanged(p, fs);
    await writeBackups(planned, fs);
    await writeAll(planned, fs);
    return pending.map((c) => c.path);
  } finally {
    await Promise.all(locks.map((lock) => fs.unlink(lock).catch(() => undefined)));
  }
}

async function resolveAll(changes: FileChange[], fs: FileSystem): Promise<Planned[]> {
  const planned: Planned[] = [];
  for (const change of changes) {
    try {
      // A created file may be the first in its folder (the shared file, on the first promotion).
      if (change.before === null) await fs.mkdir(dirname(change.path), { recursive: true });
      planned.push({ change, target: await resolveTarget(change.path, fs) });
    } catch (err) {
      if (err instanceof TfsyncError) throw err;
      throw new TfsyncError(`cannot write ${change.path}: ${fsErrorReason(err)}; nothing was written`);
    }
  }
  const seen = new Map<string, string>();
  for (const { change, target } of planned) {
    const other = seen.get(target);
    if (other !== undefined) {
      throw new TfsyncError(`${other} and ${change.path} are the same file; nothing was written`, {
        hint: 'one of them is a symbolic link to the other; tfsync cannot give one file two different contents',
      });
    }
    seen.set(target, change.path);
  }
  return planned;
}

async function acquireLock({ change, target }: Planned, fs: FileSystem, timing: LockTiming): Promise<string> {
  const lock = `${target}.tfsync.lock`;
  const deadline = Date.now() + timing.waitMs;
  for (;;) {
    try {
      await fs.writeFile(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return lock;
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') {
        throw new TfsyncError(`cannot lock ${change.path}: ${fsErrorReason(err)}; nothing was written`);
      }
    }
    const age = await lockAge(lock, fs);
    if (age === undefined) continue; // released between our attempt and the stat
    if (age > timing.staleMs) {
      await removeStaleLock(lock, fs);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new TfsyncError(`another tfsync is writing ${change.path}; nothing was written`, {
        hint: `wait for it to finish and run the command again; if no tfsync is running, delete ${lock}`,
      });
    }
    await sleep(timing.retryMs);
  }
}

async function lockAge(lock: string, fs: FileSystem): Promise<number | undefined> {
  try {
    return Date.now() - (await fs.stat(lock)).mtimeMs;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw new TfsyncError(`cannot check lock ${lock}: ${fsErrorReason(err)}; nothing was written`);
  }
}

async function removeStaleLock(lock: string, fs: FileSystem): Promise<void> {
  try {
    await fs.unlink(lock);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return;
    throw new TfsyncError(`cannot remove stale lock ${lock}: ${fsErrorReason(err)}; nothing was written`);
  }
}

async function verifyUnchanged({ change, target }: Planned, fs: FileSystem): Promise<void> {
  const current = await readCurrent(change.path, target, fs);
  const hint = 'run the command again to plan against the current contents';
  if (change.before === null) {
    if (current !== null) throw new TfsyncError(`${change.path} was created since it was read; nothing was written`, { hint });
  } else if (current === null) {
    throw new TfsyncError(`${change.path} was deleted since it was read; nothing was written`, { hint });
  } else if (!current.equals(change.before)) {
    throw new TfsyncError(`${change.path} changed on disk since it was read; nothing was written`, { hint });
  }
}

async function readCurrent(path: string, target: string, fs: FileSystem): Promise<Buffer | null> {
  try {
    return await fs.readFile(target);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw new TfsyncError(`cannot read ${path}: ${fsErrorReason(err)}; nothing was written`);
  }
}

async function writeBackups(planned: Planned[], fs: FileSystem): Promise<void> {
  for (const { change } of planned) {
    if (change.before === null) continue;
    try {
      await writeBackup(change.path, change.before, change.mode, fs);
    } catch (err) {
      throw new TfsyncError(`${messageOf(err)}; no file was changed`);
    }
  }
}

async function writeAll(planned: Planned[], fs: FileSystem): Promise<void> {
  const written: Planned[] = [];
  for (const p of planned) {
    try {
      // By its own path (it resolves to p.target again) so an error names the file as the user knows it.
      await writeFileAtomic(p.change.path, p.change.after, { mode: p.change.mode, fs });
    } catch (err) {
      throw await rollBack(written, err, fs);
    }
    written.push(p);
  }
}

/** Puts back every file already written, newest first, and says how that went. */
async function rollBack(written: Planned[], cause: unknown, fs: FileSystem): Promise<TfsyncError> {
  const notRestored: string[] = [];
  const notRemoved: string[] = [];
  for (const { change, target } of [...written].reverse()) {
    try {
      if (change.before === null) await fs.unlink(target);
      else await writeFileAtomic(target, change.before, { mode: change.mode, followSymlinks: false, fs });
    } catch {
      (change.before === null ? notRemoved : notRestored).push(change.path);
    }
  }
  const reason = messageOf(cause);
  if (notRestored.length === 0 && notRemoved.length === 0) {
    const putBack = written.map((p) => p.change.path);
    return new TfsyncError(`${reason}; nothing was changed`, {
      hint: putBack.length > 0 ? `already written and put back: ${putBack.join(', ')}` : undefined,
    });
  }
  const steps = [
    notRestored.length > 0 &&
      `restore ${notRestored.join(', ')} with \`tfsync restore\` (the previous contents are in ${notRestored.map(backupPath).join(', ')})`,
    notRemoved.length > 0 && `delete ${notRemoved.join(', ')} (created by this run)`,
  ].filter((s): s is string => typeof s === 'string');
  return new TfsyncError(`${reason}; and putting back the files already written failed`, { hint: steps.join('; ') });
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
