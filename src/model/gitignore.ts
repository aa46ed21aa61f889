/**
 * The lines of `.gitignore` that keep tfsync's own files out of git: the `.bak` backups, which hold
 * the previous contents of environment files and so can hold secrets, and the temporary and lock
 * files a run leaves only if it is killed. `tfsync init` adds what a repository's .gitignore lacks.
 */
import { lineEnding } from '../hcl/line-ending.js';
import { compilePattern } from './patterns.js';

export const IGNORE_COMMENT = '# tfsync: backups (they can hold secrets) and files a killed run leaves';

/** Every name tfsync writes besides the files it edits (src/io/write-file.ts, transaction.ts). */
export const IGNORE_PATTERNS: readonly string[] = ['*.tfvars.bak', '*.tfvars.json.bak', 'tfsync.json.bak', '.*.tfsync-tmp-*', '.*.tfsync-prev-*', '*.tfsync.lock'];

export interface IgnoreUpdate {
  /** The new text, or undefined when nothing is missing. */
  text: string | undefined;
  /** The patterns added. */
  added: string[];
}

/**
 * The `.gitignore` text (undefined: no file yet) with the patterns it lacks appended, under a
 * comment, in the file's own line ending; every existing line kept as it is. A pattern counts as
 * present when a line is the same pattern, or a broader one that matches it as a name would
 * (`*.bak` covers `*.tfvars.bak`), unless a later `!` line re-includes something.
 */
export function addIgnorePatterns(existing: string | undefined): IgnoreUpdate {
  const text = existing ?? '';
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const negates = lines.some((l) => l.startsWith('!'));
  const rules = lines.filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('!')).map((l) => l.replace(/^\//, ''));
  const covered = (pattern: string) => rules.some((rule) => rule === pattern || (!negates && !rule.includes('/') && compilePattern(rule).test(pattern)));
  const added = IGNORE_PATTERNS.filter((p) => !covered(p));
  if (added.length === 0) return { text: undefined, added };
  const eol = existing === undefined ? '\n' : lineEnding(text);
  const head = text === '' ? '' : text.endsWith('\n') ? `${text}${eol}` : `${text}${eol}${eol}`;
  return { text: `${head}${[IGNORE_COMMENT, ...added].join(eol)}${eol}`, added };
}
