/**
 * The rewrite contract (DESIGN.md, "Writing files") as edits against a parsed native-syntax tfvars
 * document: update a value in place, insert an attribute, remove one. Every function is pure and
 * returns edits; nothing here decides what to write, only how to write it without touching a
 * byte it has no reason to touch.
 */
import { TfsyncError } from '../errors.js';
import type { Edit } from './edits.js';
import { evaluate, type JsonValue } from './evaluate.js';
import { parse } from './parser.js';
import { scan, T } from './scanner.js';
import { lineEnding, type LineEnding } from './line-ending.js';
import { quoteString } from './template-text.js';
import type { Range } from './diagnostics.js';
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

// --- the synced section -----------------------------------------------------------------------

export interface SyncedSection {
  /** The banner: the comment lines around the `SYNCED FEATURES` line, line endings included. */
  banner: { start: number; end: number };
  /** Where attributes created in the section go: after its last attribute. */
  insertAt: number;
}

const BANNER_TITLE = /synced features/i;
/** A comment line that is only a rule (`# =====`, `// -----`, `#######`) starts the next banner. */
const RULE = /^(?:#|\/\/)\s*([=#*~_-])\1{2,}\s*$/;
const LAST_SYNCED = /Last synced:[ \t]*(.*?)[ \t]+from:[ \t]*(.*?)[ \t]*$/di;

/**
 * The section under a `SYNCED FEATURES` banner comment: it runs from the banner to the next rule
 * comment line (the start of another banner) or the end of the file.
 */
export function findSyncedSection(doc: TfvarsDocument): SyncedSection | undefined {
  const comments = commentLines(doc);
  const titleIndex = comments.findIndex((c) => BANNER_TITLE.test(c.text));
  if (titleIndex < 0) return undefined;
  let first = titleIndex;
  let last = titleIndex;
  while (first > 0 && comments[first - 1]!.line === comments[first]!.line - 1) first--;
  while (last + 1 < comments.length && comments[last + 1]!.line === comments[last]!.line + 1) last++;

  const lines = doc.lines.lineStarts;
  const bannerStart = lines[comments[first]!.line - 1]!;
  const bannerEnd = lines[comments[last]!.line] ?? doc.text.length;
  const nextRule = comments.slice(last + 1).find((c) => RULE.test(c.text));
  const sectionEnd = nextRule ? lines[nextRule.line - 1]! : doc.text.length;
  let insertAt = bannerEnd;
  for (const attribute of doc.attributes) {
    const start = attribute.nameRange.start;
    if (start >= bannerEnd && start < sectionEnd && attribute.lineRange) insertAt = Math.max(insertAt, attribute.lineRange.end);
  }
  return { banner: { start: bannerStart, end: bannerEnd }, insertAt };
}

/** The banner of a new synced section, each line ended by `eol`. */
export function newSyncedSection(eol: LineEnding, date: string, source: string): string {
  const rule = `# ${'='.repeat(68)}`;
  return [rule, '# SYNCED FEATURES (managed by tfsync)', `# Last synced: ${date} from: ${source}`, rule, ''].join(eol);
}

/** Replaces the date and source of the banner's `Last synced: <date> from: <source>` line, if any. */
export function updateLastSynced(doc: TfvarsDocument, date: string, source: string): Edit[] {
  const section = findSyncedSection(doc);
  if (!section) return [];
  for (const comment of commentLines(doc)) {
    if (comment.start < section.banner.start || comment.start >= section.banner.end) continue;
    const match = LAST_SYNCED.exec(comment.text);
    if (!match?.indices) continue;
    const [dateStart, dateEnd] = match.indices[1]!;
    const [sourceStart, sourceEnd] = match.indices[2]!;
    return [
      { offset: comment.start + dateStart, length: dateEnd - dateStart, text: date },
      { offset: comment.start + sourceStart, length: sourceEnd - sourceStart, text: source },
    ];
  }
  return [];
}

export interface NewAttribute {
  name: string;
  exprText: string;
}

/**
 * Creates attributes in the synced section, in the order given: at the end of the existing
 * section (stamping its `Last synced` line), or in a new section at the end of the file.
 */
export function syncedSectionEdits(doc: TfvarsDocument, date: string, source: string, attributes: NewAttribute[]): Edit[] {
  const seen = new Set<string>();
  for (const { name } of attributes) {
    checkNewName(doc, name);
    if (seen.has(name)) throw new Error(`attribute "${name}" given twice`);
    seen.add(name);
  }
  const section = findSyncedSection(doc);
  if (section) {
    const inserts = attributes.flatMap((a) => insertAttribute(doc, a.name, a.exprText, { after: section.insertAt }));
    return [...updateLastSynced(doc, date, source), ...inserts];
  }
  const text = doc.text;
  const eol = lineEnding(text);
  const values = attributes.map((a) => withLineEnding(a.exprText, eol));
  const body = newSyncedSection(eol, date, source) + attributes.map((a, i) => `${a.name} = ${values[i]}${eol}`).join('');
  if (text.length === 0) return [{ offset: 0, length: 0, text: body }];
  if (!endsWithLineBreak(text)) {
    // Keep "no final newline": end the old last line instead, and leave the new one unterminated.
    const lastIsHeredoc = values.length > 0 && endsWithHeredoc(values[values.length - 1]!);
    return [{ offset: text.length, length: 0, text: eol + eol + (lastIsHeredoc ? body : body.slice(0, -eol.length)) }];
  }
  const blankLineBefore = /(?:^|\n)[ \t]*\r?\n$/.test(text);
  return [{ offset: text.length, length: 0, text: (blankLineBefore ? '' : eol) + body }];
}

// --- values as source text -------------------------------------------------------------------

/** A collection is written on one line when that line is no wider than this. */
const INLINE_WIDTH = 80;
const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Bare, these keys parse as literals rather than names; quoted, they are plainly strings. */
const KEYWORDS = new Set(['null', 'true', 'false']);

/**
 * A JSON value (in the official parser's JSON form) as HCL source that evaluates back to it.
 * Collections go on one line when short, else one item a line with two-space indentation.
 */
export function formatValue(value: JsonValue): string {
  return format(value, '');
}

function format(value: JsonValue, indent: string): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a JSON number: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return formatString(value);
  const inner = indent + '  ';
  if (Array.isArray(value)) return layout('[', ']', value.map((v) => format(v, inner)), ',', indent);
  const items = Object.entries(value).map(([k, v]) => `${formatKey(k)} = ${format(v, inner)}`);
  return layout('{', '}', items, '', indent);
}

function layout(open: string, close: string, items: string[], separator: string, indent: string): string {
  if (items.length === 0) return open + close;
  const pad = open === '{' ? ' ' : '';
  const oneLine = `${open}${pad}${items.join(', ')}${pad}${close}`;
  if (!oneLine.includes('\n') && indent.length + oneLine.length <= INLINE_WIDTH) return oneLine;
  const inner = indent + '  ';
  return `${open}\n${items.map((item) => `${inner}${item}${separator}\n`).join('')}${indent}${close}`;
}

function formatKey(key: string): string {
  return BARE_KEY.test(key) && !KEYWORDS.has(key) ? key : formatString(key);
}

function formatString(s: string): string {
  if (!/[$%]\{/.test(s)) return quoteString(s);
  const template = `"${templateBody(s)}"`;
  if (valueOf(template) === JSON.stringify(s)) return template;
  throw new TfsyncError(`cannot write ${JSON.stringify(s)} as HCL: its \${ or %{ is not a valid template`);
}

/**
 * In the JSON form a string is a template: `${...}` and `%{...}` are template syntax, and a literal
 * `${` or `%{` is written `$${` or `%%{` (see escapeTemplateMarkers). Written as a quoted template,
 * its literal text needs backslash escapes and its template sequences must stay as they are (a
 * `"` inside `${upper("a")}` is not escaped). The string is scanned as a heredoc body, which takes
 * literal text raw, to tell the two apart.
 */
function templateBody(s: string): string {
  let marker = 'EOT';
  while (s.includes(marker)) marker += '_';
  const heredoc = `<<${marker}\n${s}\n${marker}\n`;
  const bodyStart = marker.length + 3;
  const bodyEnd = bodyStart + s.length;
  const { tokens } = scan(heredoc);
  let out = '';
  let depth = 0;
  for (let i = 0; i < tokens.count; i++) {
    const start = Math.max(tokens.start(i), bodyStart);
    const end = Math.min(tokens.end(i), bodyEnd);
    if (start >= end) continue;
    const kind = tokens.kind(i);
    const piece = heredoc.slice(start, end);
    if (kind === T.Interp || kind === T.Control) depth++;
    else if (kind === T.InterpEnd) depth--;
    // quoteString doubles the `$${` escapes a literal already has; undoing exactly that keeps them.
    out += depth === 0 && kind === T.Literal ? quoteString(piece).slice(1, -1).replace(/([$%])\1\{/g, '$1{') : piece;
  }
  return out;
}

// --- helpers ----------------------------------------------------------------------------------

function attributeNode(doc: TfvarsDocument, name: string): TfvarsAttribute & { lineRange: Range } {
  if (doc.format !== 'hcl') throw new Error('set-attribute edits native-syntax files; use json-edits for .tfvars.json');
  const node = doc.byName.get(name);
  if (!node?.lineRange) throw new TfsyncError(`no variable "${name}" to edit`);
  return node as TfvarsAttribute & { lineRange: Range };
}

function checkNewName(doc: TfvarsDocument, name: string): void {
  if (doc.format !== 'hcl') throw new Error('set-attribute edits native-syntax files; use json-edits for .tfvars.json');
  if (!isIdentifier(name)) throw new TfsyncError(`"${name}" is not a valid variable name`);
  if (doc.byName.has(name)) throw new TfsyncError(`variable "${name}" is already set; update it instead`);
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

function endsWithLineBreak(text: string): boolean {
  return text.endsWith('\n') || text.endsWith('\r');
}

/** The one-line comments that are alone on their line, with their 1-based line numbers. */
function commentLines(doc: TfvarsDocument): Array<{ line: number; start: number; text: string }> {
  const tokens = doc.tokens;
  if (!tokens) return [];
  const out: Array<{ line: number; start: number; text: string }> = [];
  for (let i = 0; i < tokens.count; i++) {
    if (tokens.kind(i) !== T.Comment) continue;
    const before = i === 0 ? T.Newline : tokens.kind(i - 1);
    const beforeThat = i < 2 ? T.Newline : tokens.kind(i - 2);
    const startsLine = before === T.Newline || (before === T.Ws && beforeThat === T.Newline);
    const next = tokens.kind(i + 1);
    const endsLine = isLineEnd(next) || (next === T.Ws && isLineEnd(tokens.kind(i + 2)));
    if (!startsLine || !endsLine) continue;
    const start = tokens.start(i);
    const text = doc.text.slice(start, tokens.end(i));
    // A block comment over several lines is not a comment line.
    if (!text.includes('\n')) out.push({ line: doc.lines.position(start).line, start, text });
  }
  return out;
}

function isLineEnd(kind: number): boolean {
  return kind === T.Newline || kind === T.Eof;
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

/** The JSON text of an expression's value, or undefined if it does not parse. */
function valueOf(exprText: string): string | undefined {
  const file = parse(`x = ${exprText}\n`, { tfvars: true });
  const item = file.body.items[0];
  if (file.diagnostics.length > 0 || item?.type !== 'attribute') return undefined;
  return JSON.stringify(evaluate(item.expr, file.text));
}
