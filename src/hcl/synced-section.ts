/**
 * The synced section: the part of a file under a `SYNCED FEATURES` banner comment where promotion
 * creates the values an environment did not set before, with its `Last synced: <date> from: <src>`
 * line. Pure edits, like value-edits.ts, on which it builds.
 */
import type { Edit } from './edits.js';
import { lineEnding, type LineEnding } from './line-ending.js';
import { T } from './scanner.js';
import type { TfvarsDocument } from './tfvars.js';
import { checkNewName, endsWithHeredoc, endsWithLineBreak, insertAttribute, withLineEnding } from './value-edits.js';

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
