/**
 * The rewrite contract (DESIGN.md, "Writing files") as edits against a parsed native-syntax tfvars
 * document: update a value in place, insert an attribute, remove one. Every function is pure and
 * returns edits computed from the document's nodes; nothing here decides what to write, only how to
 * write it without touching a byte it has no reason to touch. The synced section is
 * synced-section.ts; values printed as source are format-value.ts.
 */
import { TfsyncError } from '../errors.js';
import type { Range } from './diagnostics.js';
import type { Edit } from './edits.js';
import { valueOf } from './format-value.js';
import { lineEnding, type LineEnding } from './line-ending.js';
import { scan, T } from './scanner.js';
import type { TfvarsAttribute, TfvarsDocument } from './tfvars.js';

const IDENTIFIER = /^[\p{ID_Start}_][\p{ID_Continue}-]*$/u;

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/**
 * Replaces exactly the bytes of the value expression (for a heredoc: up to its closing marker).
 * When the new value ends in a heredoc, nothing may follow the closing marker on its line, so a
 * trailing comment moves to its own line above the attribute.
 */
export function updateValue(doc: TfvarsDocument, name: string, exprText: string): Edit[] {
  const node = attributeNode(doc, name);
  const text = doc.text;
  const eol = lineEnding(text);
  let value = withLineEnding(exprText, eol);
  const { start, end } = node.valueRange;
  if (!endsWithHeredoc(value)) return [{ offset: start, length: end - start, text: value }];

  const lineEnd = endOfLine(text, end);
  const trailing = text.slice(end, lineEnd).trim();
  const edits: Edit[] = [];
  if (trailing !== '') {
    const lineStart = node.lineRange!.start;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, node.nameRange.start))![0];
    edits.push({ offset: lineStart, length: 0, text: indent + trailing + eol });
  }
  // A closing marker must end its line, even on the last line of a file without a final newline.
  if (lineEnd === text.length) value += eol;
  edits.push({ offset: start, length: lineEnd - start, text: value });
  return edits;
}

export interface InsertOptions {
  /**
   * The new line goes at the first line start at or after this offset (so an offset inside a line
   * means "after that line"). Default: the end of the file.
   */
  after?: number;
}

/** Adds `name = expr` on a line of its own. */
export function insertAttribute(doc: TfvarsDocument, name: string, exprText: string, options: InsertOptions = {}): Edit[] {
  checkNewName(doc, name);
  const eol = lineEnding(doc.text);
  const value = withLineEnding(exprText, eol);
  return [insertLines(doc.text, options.after ?? doc.text.length, `${name} = ${value}`, eol, endsWithHeredoc(value))];
}

/**
 * Removes the attribute's whole lines: indentation, expression, line comment and line ending. Lead
 * comments stay: they may describe more than this one attribute.
 */
export function removeAttribute(doc: TfvarsDocument, name: string): Edit[] {
  const node = attributeNode(doc, name);
  const text = doc.text;
  let { start } = node.lineRange;
  const { end } = node.lineRange;
  if (end === text.length && !endsWithLineBreak(text)) {
    // The last line had no line ending; the last line with content before it becomes the last,
    // and has none either (blank lines between go too).
    start = text.slice(0, start).trimEnd().length;
    // Unless that line is a heredoc's closing marker, which must end its line.
    if (endsWithHeredoc(text.slice(0, start))) start += text.startsWith('\r\n', start) ? 2 : 1;
  }
  return [{ offset: start, length: end - start, text: '' }];
}

function attributeNode(doc: TfvarsDocument, name: string): TfvarsAttribute & { lineRange: Range } {
  if (doc.format !== 'hcl') throw new Error('value-edits edits native-syntax files; use json-edits for .tfvars.json');
  const node = doc.byName.get(name);
  if (!node?.lineRange) throw new TfsyncError(`no variable "${name}" to edit`, { code: 'invalid-edit' });
  return node as TfvarsAttribute & { lineRange: Range };
}

export function checkNewName(doc: TfvarsDocument, name: string): void {
  if (doc.format !== 'hcl') throw new Error('value-edits edits native-syntax files; use json-edits for .tfvars.json');
  if (!isIdentifier(name)) throw new TfsyncError(`"${name}" is not a valid variable name`, { code: 'invalid-edit' });
  if (doc.byName.has(name)) throw new TfsyncError(`variable "${name}" is already set; update it instead`, { code: 'invalid-edit' });
}

function insertLines(text: string, after: number, lines: string, eol: LineEnding, mustTerminate: boolean): Edit {
  const offset = lineStartAtOrAfter(text, after);
  if (offset === text.length && text.length > 0 && !endsWithLineBreak(text)) {
    return { offset, length: 0, text: eol + lines + (mustTerminate ? eol : '') };
  }
  return { offset, length: 0, text: lines + eol };
}

export function lineStartAtOrAfter(text: string, at: number): number {
  const offset = Math.min(at, text.length);
  if (offset <= 0) return 0;
  const before = text.charCodeAt(offset - 1);
  if (before === 10 || (before === 13 && text.charCodeAt(offset) !== 10)) return offset;
  const next = text.indexOf('\n', offset);
  return next < 0 ? text.length : next + 1;
}

export function endOfLine(text: string, offset: number): number {
  const lf = text.indexOf('\n', offset);
  if (lf < 0) return text.length;
  return text.charCodeAt(lf - 1) === 13 && lf - 1 >= offset ? lf - 1 : lf;
}

export function endsWithLineBreak(text: string): boolean {
  return text.endsWith('\n') || text.endsWith('\r');
}

/** The text (an expression, or a file up to some point) ends with a heredoc's closing marker. */
export function endsWithHeredoc(text: string): boolean {
  // A closing marker is only one when its line ends.
  const { tokens } = scan(`${text}\n`);
  for (let i = tokens.count - 1; i >= 0; i--) {
    const kind = tokens.kind(i);
    if (kind === T.Eof || kind === T.Ws || kind === T.Newline) continue;
    return kind === T.CHeredoc;
  }
  return false;
}

/**
 * The expression with its line breaks in the file's style. Heredoc bodies keep theirs (a CRLF
 * inside a heredoc is part of the string), and so does any expression whose value is its source
 * text (`[for ...]` over several lines): there, a different line ending would be a different value.
 */
export function withLineEnding(exprText: string, eol: LineEnding): string {
  if (!exprText.includes('\n')) return exprText;
  // Scanned with a final newline, so that a heredoc at the end is closed; that newline is not copied.
  const { tokens } = scan(`${exprText}\n`);
  let out = '';
  for (let i = 0; i < tokens.count; i++) {
    const piece = exprText.slice(tokens.start(i), Math.min(tokens.end(i), exprText.length));
    out += tokens.kind(i) === T.Literal ? piece : piece.replace(/\r?\n/g, eol);
  }
  if (out === exprText) return exprText;
  return valueOf(out) === valueOf(exprText) ? out : exprText;
}
