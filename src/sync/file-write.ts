/**
 * What every writing command hands to the one writer (src/io/apply-writes.ts): per file, the text
 * it planned against, the text to write, and how the writer checks the new text before writing.
 * Pure data, built in the core: promote and backport from their rewrites, `set` from its edits,
 * `restore` from a backup, `init` from the config it renders.
 */
import type { JsonValue } from '../hcl/evaluate.js';
import type { KeyPath } from '../hcl/key-path.js';
import type { FileRewrite } from './rewrite.js';

export interface FileWrite {
  /** Absolute. */
  path: string;
  /** As messages show it. */
  file: string;
  /** The text the plan was made against; null: the file does not exist and is created. */
  before: string | null;
  /** The text to write; null: the file is deleted (its contents become its `.bak`). */
  after: string | null;
  check: WriteCheck;
  /** Write a UTF-8 BOM; default: as the file has one (none for a created file). */
  bom?: boolean;
  /** For a created file: the files whose permission bits it takes, the first that exists (default 0644). */
  modeFrom?: readonly string[];
  /**
   * A created file's `.bak` says that tfsync created it, so that `restore` deletes it (default);
   * off for a file restore does not handle (tfsync.json).
   */
  createdMarker?: boolean;
  /** Sensitive variables whose value changes: a diff says that they change without showing them. */
  changedSensitive?: ReadonlySet<string>;
}

/**
 * - `values`: a variables file; tfsync's parser and (for native syntax) the official one must read
 *   back exactly `expected`, every name and nothing else (the items of the object at `place`, for
 *   a Terragrunt `inputs` or an entry of a map of environments).
 * - `config`: a tfsync.json; it must load as a config.
 * - `verbatim`: bytes put back as they were (restore); checked as `values` when they parse, so a
 *   backup the two parsers read differently is caught, and written as they are when they do not
 *   (a restore must be able to undo a restore of a broken file).
 * - `text`: a file that is no HCL (init's .gitignore): written as planned.
 */
export type WriteCheck =
  | { kind: 'values'; json: boolean; expected: ReadonlyMap<string, JsonValue>; place?: KeyPath }
  | { kind: 'config' }
  | { kind: 'verbatim'; json: boolean }
  | { kind: 'text' };

/** The writes that change something: a created file, a deleted one, or different text. */
export function pendingWrites(writes: readonly FileWrite[]): FileWrite[] {
  return writes.filter((w) => (w.before === null ? w.after !== null : w.before !== w.after));
}

/** A promotion's rewrites as writes (the ones that change nothing too: the writer skips them). */
export function promotionWrites(rewrites: readonly FileRewrite[], modeFrom: readonly string[]): FileWrite[] {
  return rewrites.map((r) => {
    const { layer } = r.file;
    const json = layer.doc.format === 'json';
    return {
      path: layer.path,
      file: layer.file,
      before: r.created ? null : r.before,
      after: r.changed ? r.after : r.before,
      check: { kind: 'values', json, expected: r.expected, ...(layer.doc.place ? { place: layer.doc.place.path } : {}) },
      modeFrom,
      changedSensitive: new Set(r.file.changes.filter((c) => c.sensitive && c.op === 'update').map((c) => c.name)),
    };
  });
}

/**
 * `restore`: the backup's text put back where the file is (or was), with the backup's BOM; a
 * file that is gone is created with the backup's permission bits. No backup text: the `.bak` says
 * tfsync created the file, and restoring deletes it.
 */
export function restoreWrite(
  target: { path: string; file: string; json: boolean },
  current: string | undefined,
  backup: { path: string; text: string; bom: boolean } | undefined,
): FileWrite {
  if (!backup) return { path: target.path, file: target.file, before: current ?? null, after: null, check: { kind: 'verbatim', json: target.json } };
  return {
    path: target.path,
    file: target.file,
    before: current ?? null,
    after: backup.text,
    bom: backup.bom,
    check: { kind: 'verbatim', json: target.json },
    modeFrom: [backup.path],
  };
}
