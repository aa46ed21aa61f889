/**
 * The shell between a promotion's new texts and the disk: every new text is verified (tfsync's
 * parser and the official one must read back exactly the planned values), every file re-read for
 * the bytes, BOM and mode it must keep, all before the first write; then commitFiles writes all
 * files or none.
 */
import { TfsyncError } from '../errors.js';
import type { FileRewrite } from '../sync/rewrite.js';
import { errorCode, nodeFileSystem, type FileSystem } from './file-system.js';
import { expectOfficialParsing } from './official-parser.js';
import { encodeText, readTextFile } from './read-text.js';
import { commitFiles, DEFAULT_LOCK_TIMING, type FileChange, type Report } from './transaction.js';
import { verifyRewrite } from './verify.js';

export interface PrepareOptions {
  /** Names whose values must not appear in messages. */
  isSensitive: (name: string) => boolean;
  /**
   * Files whose permission bits a created file takes, the first that exists (the environment
   * files of the promotion: a shared file is no more readable than they are). Default 0644.
   */
  modeFrom?: readonly string[];
  fs?: FileSystem;
}

/**
 * The changes to commit for the rewrites that change something, in order. Throws, writing
 * nothing, when a new text fails verification or a file changed since it was planned.
 */
export async function prepareWrites(rewrites: readonly FileRewrite[], options: PrepareOptions): Promise<FileChange[]> {
  const fs = options.fs ?? nodeFileSystem;
  const changes: FileChange[] = [];
  // Tell the official parser how much it is about to read (every changed native-syntax text: a few
  // files), so that it compiles for a short run (official-parser.ts, LIFTOFF_ONLY_LIMIT).
  expectOfficialParsing(rewrites.filter((r) => r.changed && r.file.layer.doc.format !== 'json').reduce((sum, r) => sum + r.after.length, 0));
  for (const rewrite of rewrites) {
    if (!rewrite.changed) continue;
    const { layer } = rewrite.file;
    const json = layer.doc.format === 'json';
    const place = layer.doc.place ? { place: layer.doc.place.path } : {};
    await verifyRewrite(layer.file, rewrite.after, rewrite.expected, { json, sensitive: options.isSensitive, ...place });
    if (rewrite.created) {
      const mode = await firstMode(options.modeFrom ?? [], fs);
      changes.push({ path: layer.path, before: null, after: encodeText(rewrite.after, false), mode });
      continue;
    }
    const file = await readTextFile(layer.path, fs);
    if (file.text !== rewrite.before) {
      throw new TfsyncError(`${layer.file} changed on disk while the plan was made; nothing was written`, {
        hint: 'run the command again to plan against the current contents',
      });
    }
    changes.push({ path: layer.path, before: file.bytes, after: encodeText(rewrite.after, file.bom), mode: file.mode });
  }
  return changes;
}

/** Writes the prepared changes all-or-nothing (backups, locks, rollback); returns the paths written. */
export function writePrepared(changes: FileChange[], fs: FileSystem = nodeFileSystem, report?: Report): Promise<string[]> {
  return commitFiles(changes, fs, DEFAULT_LOCK_TIMING, report);
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
