/**
 * The one writer: every writing command (promote, backport, restore, set, init) plans a list of
 * file writes in the core (src/sync/file-write.ts) and hands it here. Before the first write,
 * every new text is checked (tfsync's parser and the official one must read back exactly the
 * planned values; a config must load), every file is re-read for the bytes, BOM and mode it must
 * keep and compared with the text the plan was made against, and every path must lead inside the
 * repository. Then `decide` says whether to write (a dry run and a declined confirmation write
 * nothing), and commitFiles writes all files or none: locks, `.bak` backups, atomic renames.
 */
import { TfsyncError } from '../errors.js';
import { parseTfvars } from '../hcl/tfvars.js';
import { loadConfig } from '../model/config.js';
import { pendingWrites, type FileWrite } from '../sync/file-write.js';
import { errorCode, nodeFileSystem, type FileSystem } from './file-system.js';
import { assertInsideRepository } from './load-repository.js';
import { expectOfficialParsing } from './official-parser.js';
import { encodeText, readTextFile } from './read-text.js';
import { commitFiles, DEFAULT_LOCK_TIMING, type FileChange, type LockTiming, type Report } from './transaction.js';
import { verifyRewrite } from './verify.js';

/** What happened: nothing to change, a dry run, a declined confirmation, or every pending file written. */
export type WriteStatus = 'unchanged' | 'dry-run' | 'declined' | 'written';

/** What the command decides once the writes are checked: `unchanged` only when none is pending. */
export type WriteDecision = Exclude<WriteStatus, 'written'> | 'write';

export interface WriteOutcome {
  status: WriteStatus;
  /** The writes that change a file (written, when the status says so), in order. */
  pending: FileWrite[];
}

export interface ApplyOptions {
  /** Names whose values must not appear in messages. */
  isSensitive: (name: string) => boolean;
  /**
   * Called once every write is checked and before the first one: prints the plan, asks, and says
   * whether to go on. Without it, the writes are written.
   */
  decide?: (pending: FileWrite[]) => Promise<WriteDecision> | WriteDecision;
  /** Refuse any path that leads outside this repository root (symbolic links resolved). */
  inside?: { root: string; cwd: string };
  fs?: FileSystem;
  /** Warnings that are not failures (a stale lock removed). */
  report?: Report;
  lockTiming?: LockTiming;
}

export async function applyWrites(writes: readonly FileWrite[], options: ApplyOptions): Promise<WriteOutcome> {
  const fs = options.fs ?? nodeFileSystem;
  const pending = pendingWrites(writes);
  if (options.inside) {
    const { root, cwd } = options.inside;
    await assertInsideRepository({ root }, pending.map((w) => w.path), cwd, fs);
  }
  const changes = await prepareChanges(pending, options.isSensitive, fs);
  const decision = options.decide ? await options.decide(pending) : pending.length === 0 ? 'unchanged' : 'write';
  if (decision !== 'write' || pending.length === 0) return { status: decision === 'write' ? 'unchanged' : decision, pending };
  await commitFiles(changes, fs, options.lockTiming ?? DEFAULT_LOCK_TIMING, options.report);
  return { status: 'written', pending };
}

/**
 * The changes to commit, in order. Throws, writing nothing, when a new text fails its check or a
 * file changed since the plan was made.
 */
async function prepareChanges(pending: readonly FileWrite[], isSensitive: (name: string) => boolean, fs: FileSystem): Promise<FileChange[]> {
  // Tell the official parser how much it is about to read (every changed native-syntax text: a few
  // files), so that it compiles for a short run (official-parser.ts, LIFTOFF_ONLY_LIMIT).
  const native = pending.filter((w) => (w.check.kind === 'values' || w.check.kind === 'verbatim') && !w.check.json);
  expectOfficialParsing(native.reduce((sum, w) => sum + (w.after?.length ?? 0), 0));
  const changes: FileChange[] = [];
  for (const write of pending) {
    const after = write.after;
    if (after !== null) await checkWrite(write, after, isSensitive);
    if (write.before === null) {
      const mode = await firstMode(write.modeFrom ?? [], fs);
      changes.push({ path: write.path, before: null, after: encodeText(after!, write.bom ?? false), mode, markCreated: write.createdMarker !== false });
      continue;
    }
    const file = await readTextFile(write.path, fs);
    if (file.text !== write.before) {
      throw new TfsyncError(`${write.file} changed on disk while the plan was made; nothing was written`, {
        code: 'changed-on-disk',
        hint: 'run the command again to plan against the current contents',
      });
    }
    changes.push({ path: write.path, before: file.bytes, after: after === null ? null : encodeText(after, write.bom ?? file.bom), mode: file.mode });
  }
  return changes;
}

async function checkWrite(write: FileWrite, after: string, isSensitive: (name: string) => boolean): Promise<void> {
  const { check } = write;
  if (check.kind === 'config') {
    // What init renders must load: a failure here is a bug in init, caught before the file exists.
    loadConfig(write.path, after);
    return;
  }
  if (check.kind === 'text') return;
  if (check.kind === 'values') {
    await verifyRewrite(write.file, after, check.expected, { json: check.json, sensitive: isSensitive, ...(check.place ? { place: check.place } : {}) });
    return;
  }
  const doc = parseTfvars(after, { json: check.json });
  if (doc.diagnostics.some((d) => d.severity === 'error')) return;
  await verifyRewrite(write.file, after, new Map(doc.attributes.map((a) => [a.name, a.value])), { json: check.json, sensitive: isSensitive });
}

async function firstMode(paths: readonly string[], fs: FileSystem): Promise<number> {
  for (const path of paths) {
    try {
      // Read and write bits only: a created file is never executable or setuid.
      return (await fs.stat(path)).mode & 0o666;
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err;
    }
  }
  return 0o644;
}
