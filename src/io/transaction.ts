import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TfsyncError } from '../errors.js';
import { errorCode, fsErrorReason, nodeFileSystem, type FileSystem } from './file-system.js';
import { backupPath, CREATED_MARKER, resolveTarget, writeBackup, writeFileAtomic } from './write-file.js';

/** One file of a plan: the bytes it had when planned (null: it did not exist) and its new bytes (null: it is deleted). */
export interface FileChange {
  path: string;
  before: Buffer | null;
  after: Buffer | null;
  mode: number;
  /** A created file's `.bak` says so, for `restore` (default); false: a created file gets no `.bak`. */
  markCreated?: boolean;
}

const markerOf = (change: FileChange) => change.before === null && change.markCreated !== false;

export interface LockTiming {
  /** A lock older than this was left by a process that died; it is removed. */
  staleMs: number;
  /** How long to wait for a live lock before giving up. */
  waitMs: number;
  retryMs: number;
}

export const DEFAULT_LOCK_TIMING: LockTiming = { staleMs: 10_000, waitMs: 2_000, retryMs: 100 };

/** Receives what the user should know although nothing failed (a lock left by a killed run). */
export type Report = (warning: string) => void;

/**
 * A lock that names no holder is one whose creator was killed between creating and writing it
 * (a live one writes its PID within microseconds): stale after this long, whatever `staleMs` says.
 */
const EMPTY_LOCK_STALE_MS = 1_000;

interface Planned {
  change: FileChange;
  /** The real file (symbolic links resolved): what is locked, compared and replaced. */
  target: string;
}

/**
 * Writes several files all-or-nothing: locks them, checks that none changed since the plan was
 * made, backs each up to `<file>.bak`, writes each atomically, and puts back the ones already
 * written if a later one fails. A change to null deletes the file (its bytes kept in the `.bak`,
 * put back if a later file fails). Changes whose bytes are unchanged are skipped (no write, no
 * `.bak`). Returns the paths written.
 *
 * A process killed in the middle leaves every file whole (its old bytes or its new ones: each is
 * replaced by a rename) and its lock behind. The next run removes a lock whose holder is gone (a
 * PID of this machine that no longer runs, or older than `staleMs`), with the temporary files
 * of that holder, and says so through `report`.
 */
export async function commitFiles(
  changes: FileChange[],
  fs: FileSystem = nodeFileSystem,
  timing: LockTiming = DEFAULT_LOCK_TIMING,
  report: Report = () => undefined,
): Promise<string[]> {
  const pending = changes.filter((c) => (c.before === null ? c.after !== null : c.after === null || !c.before.equals(c.after)));
  if (pending.length === 0) return [];
  refuseReadOnly(pending);
  const planned = await resolveAll(pending, fs);
  const locks: string[] = [];
  try {
    // Locked before the check, so no other tfsync can change a file between check and write.
    for (const p of planned) locks.push(await acquireLock(p, fs, timing, report));
    for (const p of planned) await verifyUnchanged(p, fs);
    const asides: Aside[] = [];
    // The backups of files that could not be put back after a failure: the user restores from them.
    const needed = new Set<string>();
    try {
      await writeBackups(planned, asides, fs);
      await writeAll(planned, needed, fs);
    } catch (err) {
      throw await putAsidesBack(asides, needed, err, fs);
    }
    await Promise.all(asides.map(({ aside }) => fs.unlink(aside).catch(() => undefined)));
    return pending.map((c) => c.path);
  } finally {
    await Promise.all(locks.map((lock) => fs.unlink(lock).catch(() => undefined)));
  }
}

/**
 * A file nobody may write (no `w` bit) is one its owner meant to keep as it is. The atomic write
 * replaces a file by renaming over it, which only the folder's permissions govern, so without
 * this check tfsync would replace it anyway.
 */
function refuseReadOnly(changes: FileChange[]): void {
  for (const change of changes) {
    if (change.before === null || (change.mode & 0o222) !== 0) continue;
    throw new TfsyncError(`${change.path} is read-only (mode ${(change.mode & 0o777).toString(8).padStart(4, '0')}); nothing was written`, {
      code: 'read-only-file',
      hint: `if it is meant to change, make it writable first: chmod u+w ${change.path}`,
    });
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
      throw new TfsyncError(`cannot write ${change.path}: ${fsErrorReason(err)}; nothing was written`, { code: 'write-failed' });
    }
  }
  const seen = new Map<string, string>();
  for (const { change, target } of planned) {
    const other = seen.get(target);
    if (other !== undefined) {
      throw new TfsyncError(`${other} and ${change.path} are the same file; nothing was written`, {
        code: 'write-failed',
        hint: 'one of them is a symbolic link to the other; tfsync cannot give one file two different contents',
      });
    }
    seen.set(target, change.path);
  }
  return planned;
}

/** What a lock holds: the holder's PID and host, so that a lock of a dead process is known at once. */
function lockContent(): string {
  return `${process.pid}\n${hostname()}\n`;
}

async function acquireLock({ change, target }: Planned, fs: FileSystem, timing: LockTiming, report: Report): Promise<string> {
  const lock = `${target}.tfsync.lock`;
  const deadline = Date.now() + timing.waitMs;
  for (;;) {
    try {
      await fs.writeFile(lock, lockContent(), { flag: 'wx', mode: 0o600 });
      return lock;
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') {
        throw new TfsyncError(`cannot lock ${change.path}: ${fsErrorReason(err)}; nothing was written`, { code: 'file-locked' });
      }
    }
    const age = await lockAge(lock, fs);
    if (age === undefined) continue; // released between our attempt and the stat
    const holder = await lockHolder(lock, fs);
    const dead = holder.pid !== undefined && holder.host === hostname() && !isRunning(holder.pid);
    const torn = holder.pid === undefined && age > Math.min(timing.staleMs, EMPTY_LOCK_STALE_MS);
    if (dead || torn || age > timing.staleMs) {
      await removeStaleLock(lock, fs);
      const kept = holder.pid === undefined ? undefined : await cleanUpAfter(change.path, target, holder.pid, fs);
      const who = holder.pid === undefined ? 'an interrupted tfsync' : `an interrupted tfsync (pid ${holder.pid})`;
      report(
        `removed the lock ${who} left on ${change.path}: the files that run was writing each hold their previous or their new contents, never a mix` +
          (kept ? `; the backup it had set aside is kept in ${kept}` : ''),
      );
      continue;
    }
    if (Date.now() >= deadline) {
      throw new TfsyncError(`another tfsync is writing ${change.path}; nothing was written`, {
        code: 'file-locked',
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
    throw new TfsyncError(`cannot check lock ${lock}: ${fsErrorReason(err)}; nothing was written`, { code: 'file-locked' });
  }
}

/** The PID and host a lock names; none for a lock written by an older tfsync or torn by a kill. */
async function lockHolder(lock: string, fs: FileSystem): Promise<{ pid?: number; host?: string }> {
  const text = await fs.readFile(lock).then((b) => b.toString('utf8')).catch(() => '');
  const [pid, host] = text.split('\n');
  return /^[1-9]\d*$/.test(pid ?? '') ? { pid: Number(pid), host } : {};
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return errorCode(err) === 'EPERM';
  }
}

/**
 * What a killed holder left next to the file and its backup. Its temporary files (their names
 * carry its PID: `.<name>.tfsync-tmp-<pid>-<random>`) hold nothing anyone needs and would show up
 * in `git status`: they are removed. An earlier `.bak` it had set aside goes back in its place if
 * that is free; otherwise it is kept, and its path returned for the user to decide.
 */
async function cleanUpAfter(path: string, target: string, pid: number, fs: FileSystem): Promise<string | undefined> {
  const bak = backupPath(path);
  for (const file of [target, bak]) {
    const prefix = `.${basename(file)}.tfsync-tmp-${pid}-`;
    const names = await fs.readdir(dirname(file)).catch((): string[] => []);
    for (const name of names.filter((n) => n.startsWith(prefix))) await fs.unlink(join(dirname(file), name)).catch(() => undefined);
  }
  const aside = asidePath(bak, pid);
  if ((await fs.lstat(aside).catch(() => undefined)) === undefined) return undefined;
  const free = (await fs.lstat(bak).catch(() => undefined)) === undefined;
  if (free) {
    try {
      await fs.rename(aside, bak);
      return undefined;
    } catch {
      // Kept where it is, and named in the warning.
    }
  }
  return aside;
}

async function removeStaleLock(lock: string, fs: FileSystem): Promise<void> {
  try {
    await fs.unlink(lock);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return;
    throw new TfsyncError(`cannot remove stale lock ${lock}: ${fsErrorReason(err)}; nothing was written`, { code: 'file-locked' });
  }
}

async function verifyUnchanged({ change, target }: Planned, fs: FileSystem): Promise<void> {
  const current = await readCurrent(change.path, target, fs);
  const hint = 'run the command again to plan against the current contents';
  if (change.before === null) {
    if (current !== null) throw new TfsyncError(`${change.path} was created since it was read; nothing was written`, { code: 'changed-on-disk', hint });
  } else if (current === null) {
    throw new TfsyncError(`${change.path} was deleted since it was read; nothing was written`, { code: 'changed-on-disk', hint });
  } else if (!current.equals(change.before)) {
    throw new TfsyncError(`${change.path} changed on disk since it was read; nothing was written`, { code: 'changed-on-disk', hint });
  }
}

async function readCurrent(path: string, target: string, fs: FileSystem): Promise<Buffer | null> {
  try {
    return await fs.readFile(target);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw new TfsyncError(`cannot read ${path}: ${fsErrorReason(err)}; nothing was written`, { code: 'file-unreadable' });
  }
}

/** A `.bak` from an earlier run, renamed aside while this commit may still fail. */
interface Aside {
  bak: string;
  aside: string;
}

/**
 * Backs up every file. A `.bak` already there (the only copy of what an earlier promotion
 * replaced, or what `restore` is putting back) is first renamed aside, and renamed back if the
 * commit fails: a failed commit leaves the backups as they were too. Renames need no free space,
 * so this works on the disk that just filled up.
 */
async function writeBackups(planned: Planned[], asides: Aside[], fs: FileSystem): Promise<void> {
  for (const { change } of planned) {
    if (change.before === null && !markerOf(change)) continue;
    const bak = backupPath(change.path);
    try {
      const existing = await fs.lstat(bak).catch(() => undefined);
      if (existing?.isFile() || existing?.isSymbolicLink()) {
        const aside = asidePath(bak, process.pid);
        await fs.rename(bak, aside);
        asides.push({ bak, aside });
      }
      // A created file's backup says so: `restore` then deletes the file.
      await writeBackup(change.path, change.before ?? Buffer.from(CREATED_MARKER), change.mode, fs);
    } catch (err) {
      if (err instanceof TfsyncError) throw new TfsyncError(`${err.message}; no file was changed`, err.options);
      throw new TfsyncError(`cannot write ${bak}: ${fsErrorReason(err)}; no file was changed`, { code: 'write-failed' });
    }
  }
}

function asidePath(bak: string, pid: number): string {
  return join(dirname(bak), `.${basename(bak)}.tfsync-prev-${pid}`);
}

/**
 * After a failed commit: each earlier `.bak` back in its place, unless the new one is `needed`
 * (its file could not be put back, so it is what `restore` must use); the error says where the
 * earlier one is then, or when renaming it back failed.
 */
async function putAsidesBack(asides: Aside[], needed: ReadonlySet<string>, cause: unknown, fs: FileSystem): Promise<unknown> {
  const kept: string[] = [];
  for (const { bak, aside } of [...asides].reverse()) {
    const keep = () => kept.push(`the ${bak} from before this run is in ${aside}`);
    if (needed.has(bak)) keep();
    else await fs.rename(aside, bak).catch(keep);
  }
  if (kept.length === 0 || !(cause instanceof TfsyncError)) return cause;
  const hint = [cause.hint, ...kept].filter((h): h is string => h !== undefined).join('; ');
  return new TfsyncError(cause.message, { ...cause.options, hint });
}

async function writeAll(planned: Planned[], needed: Set<string>, fs: FileSystem): Promise<void> {
  const written: Planned[] = [];
  for (const p of planned) {
    try {
      // By its own path (it resolves to p.target again) so an error names the file as the user knows it.
      if (p.change.after === null) await fs.unlink(p.target).catch((err: unknown) => Promise.reject(new TfsyncError(`cannot delete ${p.change.path}: ${fsErrorReason(err)}`, { code: 'write-failed' })));
      else await writeFileAtomic(p.change.path, p.change.after, { mode: p.change.mode, fs });
    } catch (err) {
      throw await rollBack(written, err, needed, fs);
    }
    written.push(p);
  }
}

/**
 * Puts back every file already written, newest first, and says how that went. The backups of
 * the files it could not put back are added to `needed`.
 */
async function rollBack(written: Planned[], cause: unknown, needed: Set<string>, fs: FileSystem): Promise<TfsyncError> {
  const notRestored: string[] = [];
  const notRemoved: string[] = [];
  for (const { change, target } of [...written].reverse()) {
    try {
      if (change.before === null) {
        await fs.unlink(target);
        // Its marker goes too (an earlier `.bak` set aside comes back after this).
        if (markerOf(change)) await fs.unlink(backupPath(change.path)).catch(() => undefined);
      } else await restoreFile(change, target, fs);
    } catch {
      (change.before === null ? notRemoved : notRestored).push(change.path);
    }
  }
  for (const path of notRestored) needed.add(backupPath(path));
  const reason = messageOf(cause);
  if (notRestored.length === 0 && notRemoved.length === 0) {
    const putBack = written.map((p) => p.change.path);
    return new TfsyncError(`${reason}; nothing was changed`, {
      code: 'write-failed',
      hint: putBack.length > 0 ? `already written and put back: ${putBack.join(', ')}` : undefined,
    });
  }
  const steps = [
    notRestored.length > 0 &&
      `restore ${notRestored.join(', ')} with \`tfsync restore\` (the previous contents are in ${notRestored.map(backupPath).join(', ')})`,
    notRemoved.length > 0 && `delete ${notRemoved.join(', ')} (created by this run)`,
  ].filter((s): s is string => typeof s === 'string');
  return new TfsyncError(`${reason}; and putting back the files already written failed`, { code: 'write-failed', hint: steps.join('; ') });
}

/**
 * Writes a file's previous bytes back. When that fails (the disk that just filled up has no room
 * for a temporary copy), the `.bak` this commit wrote holds the same bytes, and renaming it back
 * needs no room at all.
 */
async function restoreFile(change: FileChange, target: string, fs: FileSystem): Promise<void> {
  try {
    await writeFileAtomic(target, change.before!, { mode: change.mode, followSymlinks: false, fs });
  } catch (err) {
    const bak = backupPath(change.path);
    const kept = await fs.readFile(bak).catch(() => undefined);
    if (!kept?.equals(change.before!)) throw err;
    await fs.rename(bak, target);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
