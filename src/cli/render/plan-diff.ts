/**
 * Unified diffs of the files a command would write, with every sensitive value masked in both
 * texts before they are compared (context lines show neighbours, so all of them, not only the
 * ones that change). The `diff` package is imported only when a diff is printed.
 */
import { maskSensitiveText } from '../../sync/mask-text.js';
import { SENSITIVE_TEXT } from '../../sync/mask.js';
import type { FileWrite } from '../../sync/file-write.js';
import type { Colors } from '../colors.js';

export interface TextChange {
  /** The path as users see it. */
  file: string;
  /** Null: the file does not exist yet. */
  before: string | null;
  after: string;
  json: boolean;
  /** Sensitive variables whose value changes: their new value shows as "(sensitive, changed)". */
  changedSensitive?: ReadonlySet<string>;
}

export interface DiffOptions {
  colors: Colors;
  isSensitive: (name: string) => boolean;
  showSensitive: boolean;
}

export async function renderTextDiffs(changes: readonly TextChange[], options: DiffOptions): Promise<string> {
  const { createTwoFilesPatch, FILE_HEADERS_ONLY } = await import('diff');
  let out = '';
  for (const change of changes) {
    const mask = (text: string, after: boolean) =>
      options.showSensitive
        ? text
        : maskSensitiveText(text, {
            json: change.json,
            isSensitive: options.isSensitive,
            placeholder: (name) => (after && change.changedSensitive?.has(name) ? `${SENSITIVE_TEXT.slice(0, -1)}, changed)` : SENSITIVE_TEXT),
          });
    const name = change.file.split('\\').join('/');
    const patch = createTwoFilesPatch(
      change.before === null ? '/dev/null' : `a/${name}`,
      `b/${name}`,
      change.before === null ? '' : mask(change.before, false),
      mask(change.after, true),
      undefined,
      undefined,
      { headerOptions: FILE_HEADERS_ONLY },
    );
    out += colorize(patch, options.colors);
  }
  return out;
}

function colorize(patch: string, colors: Colors): string {
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return colors.bold(line);
      if (line.startsWith('@@')) return colors.cyan(line);
      if (line.startsWith('+')) return colors.green(line);
      if (line.startsWith('-')) return colors.red(line);
      return line;
    })
    .join('\n');
}

/** The diffs of a command's pending writes (src/sync/file-write.ts). */
export function renderWriteDiffs(pending: readonly FileWrite[], options: DiffOptions): Promise<string> {
  return renderTextDiffs(
    pending.map((w) => ({ file: w.file, before: w.before, after: w.after ?? '', json: (w.check.kind === 'values' || w.check.kind === 'verbatim') && w.check.json, changedSensitive: w.changedSensitive })),
    options,
  );
}
