import { isAbsolute } from 'node:path';
import { TfsyncError, type ErrorLocation } from '../errors.js';
import { LineCounter } from '../hcl/line-counter.js';
import { pathInside, relativizeText } from '../model/path-inside.js';
import { scrub } from '../model/secrets.js';
import type { Colors } from './colors.js';

export interface RenderErrorOptions {
  colors: Colors;
  /** Paths inside it are printed relative to it. */
  cwd: string;
  /** TFSYNC_DEBUG is set: append stack traces. */
  debug: boolean;
}

/** How many of `more` are listed before "and N more". */
const MAX_MORE = 10;
/** Lines longer than this (one-line `.tfvars.json`, say) are shown as a window around the error. */
const MAX_CELLS = 160;
const CELLS_BEFORE = 40;
const MASK = '(sensitive)';

/**
 * Turns anything thrown into what the user reads on stderr, ending in a newline:
 * `file:line:col: message`, the source line, a caret line, `hint: ...`. Never throws: it is the
 * last thing that runs before exit, and an error in it would hide the real one.
 */
export function renderError(err: unknown, options: RenderErrorOptions): string {
  try {
    const lines = err instanceof TfsyncError ? renderTfsyncError(err, options) : renderInternal(err, options);
    return `${lines.join('\n')}\n`;
  } catch {
    return `tfsync: ${safeMessage(err)}\n`;
  }
}

/**
 * The error as one JSON document, for `--json` (stdout; stderr keeps the human text):
 * `{"error": {"code", "message", "file", "line", "column"}}`, the position null when there is none.
 * The message is masked and shortened as on stderr. Never throws, like renderError.
 */
export function renderErrorDocument(err: unknown, { cwd }: { cwd: string }): string {
  let error: Record<string, unknown>;
  try {
    if (err instanceof TfsyncError) {
      const location = err.location;
      const position = location ? new LineCounter(location.text).position(location.range.start) : undefined;
      error = {
        code: err.code,
        message: scrub(relativizeText(err.message, cwd), err.options.secrets ?? []),
        file: location ? displayPath(location.file, cwd) : null,
        line: position?.line ?? null,
        column: position?.col ?? null,
      };
    } else {
      error = { code: 'internal', message: `internal error: ${relativizeText(safeMessage(err), cwd)}`, file: null, line: null, column: null };
    }
  } catch {
    error = { code: 'internal', message: safeMessage(err), file: null, line: null, column: null };
  }
  return `${JSON.stringify({ error }, null, 2)}\n`;
}

function renderTfsyncError(err: TfsyncError, options: RenderErrorOptions): string[] {
  const secrets = err.options.secrets ?? [];
  const lines = renderOne(err, secrets, options);
  const more = err.options.more ?? [];
  // Further problems are usually in the same file, so the headline's secrets apply to them too.
  for (const other of more.slice(0, MAX_MORE)) lines.push(...renderOne(other, [...secrets, ...(other.options.secrets ?? [])], options));
  if (more.length > MAX_MORE) lines.push(`and ${more.length - MAX_MORE} more`);
  if (options.debug && err.stack) lines.push(options.colors.dim(err.stack));
  return lines;
}

function renderOne(err: TfsyncError, secrets: string[], { colors, cwd }: RenderErrorOptions): string[] {
  // A parser's message quotes the token it stopped at, which may be part of a secret.
  const message = scrub(relativizeText(err.message, cwd), secrets);
  const location = err.location;
  const lines = location
    ? renderLocated(message, location, secrets, colors, cwd)
    : [`${colors.bold('tfsync:')} ${message}`];
  if (err.hint) lines.push(`${colors.cyan('hint:')} ${relativizeText(err.hint, cwd)}`);
  return lines;
}

function renderInternal(err: unknown, { colors, cwd, debug }: RenderErrorOptions): string[] {
  const lines = [`${colors.bold('tfsync:')} internal error: ${relativizeText(safeMessage(err), cwd)}`];
  const stack = err instanceof Error ? err.stack : undefined;
  if (!debug) lines.push(colors.dim('set TFSYNC_DEBUG=1 for a stack trace'));
  else if (stack) lines.push(colors.dim(stack));
  return lines;
}

function renderLocated(message: string, location: ErrorLocation, secrets: string[], colors: Colors, cwd: string): string[] {
  const counter = new LineCounter(location.text);
  const { line, col } = counter.position(location.range.start);
  const header = `${colors.bold(`${displayPath(location.file, cwd)}:${line}:${col}:`)} ${message}`;
  const text = counter.lineText(line);
  const lineStart = counter.lineStarts[line - 1] ?? 0;
  const start = clamp(location.range.start - lineStart, 0, text.length);
  const end = clamp(location.range.end - lineStart, start, text.length);
  const { source, pad, marks } = excerpt(text, start, end, secrets);
  const gutter = String(line);
  return [
    header,
    `${colors.dim(` ${gutter} |`)} ${source}`,
    `${colors.dim(` ${' '.repeat(gutter.length)} |`)} ${pad}${colors.red(marks)}`,
  ];
}

/** A piece of the displayed line: one character of the source, or a masked secret. */
interface Cell {
  /** Code-unit range in the source line. */
  from: number;
  to: number;
  text: string;
  /** Terminal columns; a tab keeps its own width, so the caret line copies it. */
  width: number;
}

/**
 * The displayed line and the caret line under the range [start, end). Both are built from the same
 * cells, so tabs, wide characters and masked secrets shift the carets exactly as they shift the text.
 */
function excerpt(line: string, start: number, end: number, secrets: string[]): { source: string; pad: string; marks: string } {
  const masks = maskIntervals(line, secrets);
  const [lo, hi] = segment(line, start, masks);
  const cells = toCells(line, masks, lo, hi);
  let first = cells.findIndex((c) => c.to > start);
  if (first < 0) first = cells.length;
  const after = cells.findIndex((c) => c.from >= end && c.from > start);
  const last = Math.max(after < 0 ? cells.length : after, first + 1);

  const windowStart = cells.length > MAX_CELLS ? clamp(first - CELLS_BEFORE, 0, cells.length - MAX_CELLS) : 0;
  const windowEnd = Math.min(cells.length, windowStart + MAX_CELLS);
  const shown = cells.slice(windowStart, windowEnd);
  const lead = windowStart > 0 || lo > 0 ? '…' : '';
  const trail = windowEnd < cells.length || hi < line.length ? '…' : '';

  const source = lead + shown.map((c) => c.text).join('') + trail;
  const pad = cells.slice(windowStart, first).map((c) => (c.text === '\t' ? '\t' : ' '.repeat(c.width)));
  const marked = cells.slice(first, Math.min(last, windowEnd)).reduce((n, c) => n + c.width, 0);
  return { source, pad: (lead ? ' ' : '') + pad.join(''), marks: '^'.repeat(Math.max(marked, 1)) };
}

/**
 * The code units [lo, hi) of the line worth turning into cells: enough around `start` to fill the
 * window, so that an error in a line of many megabytes (a binary file has one) costs a few hundred
 * cells rather than an object per character. Never cuts a masked secret or a surrogate pair.
 */
function segment(line: string, start: number, masks: ReadonlyArray<[number, number]>): [number, number] {
  // A cell is at least one code unit; a masked secret, one cell of many.
  const span = 2 * MAX_CELLS;
  let lo = Math.max(0, start - span);
  let hi = Math.min(line.length, start + span);
  for (const [from, to] of masks) {
    if (from < lo && to > lo) lo = from;
    if (from < hi && to > hi) hi = to;
  }
  if (lo > 0 && /[\uDC00-\uDFFF]/.test(line[lo]!)) lo--;
  return [lo, hi];
}

function toCells(line: string, masks: ReadonlyArray<[number, number]>, lo: number, hi: number): Cell[] {
  const cells: Cell[] = [];
  let m = masks.findIndex((mask) => mask[1] > lo);
  if (m < 0) m = masks.length;
  for (let i = lo; i < hi; ) {
    const mask = masks[m];
    if (mask && mask[0] === i) {
      cells.push({ from: i, to: mask[1], text: MASK, width: MASK.length });
      i = mask[1];
      m++;
      continue;
    }
    const char = String.fromCodePoint(line.codePointAt(i)!);
    cells.push({ from: i, to: i + char.length, ...displayChar(char) });
    i += char.length;
  }
  return cells;
}

const WIDE =
  /[\p{Emoji_Presentation}\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200B-\u200F\uFE00-\uFE0F]/u;

/**
 * How a character is shown. Control characters become visible symbols (U+2400 block) so a
 * stray ESC in a file cannot drive the user's terminal.
 */
function displayChar(char: string): { text: string; width: number } {
  const cp = char.codePointAt(0)!;
  if (char === '\t') return { text: char, width: 1 };
  if (cp < 0x20) return { text: String.fromCodePoint(0x2400 + cp), width: 1 };
  if (cp === 0x7f) return { text: '\u2421', width: 1 };
  if (cp >= 0x80 && cp < 0xa0) return { text: '\uFFFD', width: 1 };
  if (ZERO_WIDTH.test(char)) return { text: char, width: 0 };
  return { text: char, width: WIDE.test(char) ? 2 : 1 };
}

/**
 * Source ranges of the line that show a secret, merged where they overlap so no part of one
 * escapes. A secret is looked for as it is, as a JSON/HCL-escaped string, and line by line (a
 * heredoc value spans lines).
 */
function maskIntervals(line: string, secrets: string[]): Array<[number, number]> {
  const needles = new Set<string>();
  for (const secret of secrets) {
    for (const form of [secret, ...secret.split(/\r\n|\r|\n/)]) {
      needles.add(form);
      needles.add(JSON.stringify(form).slice(1, -1));
    }
  }
  const found: Array<[number, number]> = [];
  for (const needle of needles) {
    if (needle.trim() === '') continue;
    for (let i = line.indexOf(needle); i >= 0; i = line.indexOf(needle, i + 1)) found.push([i, i + needle.length]);
  }
  found.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of found) {
    const previous = merged[merged.length - 1];
    if (previous && from <= previous[1]) previous[1] = Math.max(previous[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  return pathInside(cwd, file) ?? file;
}

function clamp(n: number, low: number, high: number): number {
  return Math.min(Math.max(n, low), high);
}

function safeMessage(err: unknown): string {
  try {
    return err instanceof Error ? err.message : String(err);
  } catch {
    return 'unknown error';
  }
}
