/**
 * A plan as edits: for each planned file, the `{ offset, length, text }` edits against its text
 * and the text they give. Pure; the shell verifies the new texts and writes them.
 *
 * - An update replaces the value expression where the variable stands (updateValue: the name, the
 *   spacing, the trailing comment stay; a comment after a value that becomes a heredoc moves above).
 * - A delete (`--prune`) removes the attribute's lines (removeAttribute; lead comments stay).
 * - Creates go to the end of the `SYNCED FEATURES` section, or into a new such section at the end
 *   of an environment file (syncedSectionEdits). The shared file is all synced features: without
 *   such a section, its creates go to the end of the file.
 * - The `Last synced: <date> from: <source>` line is stamped only in a file that changes
 *   otherwise: the one in the synced section's banner or, in a file without a section, one in the
 *   header comment (the comments before the first attribute, as in the shared file).
 * - A shared file that does not exist yet is created with a short header comment.
 * - `.tfvars.json` files are edited with json-edits, one change at a time.
 */
import { applyEdits, type Edit } from '../hcl/edits.js';
import type { JsonValue } from '../hcl/evaluate.js';
import { insertJsonAttribute, lineIndent, removeJsonAttribute, updateJsonValue } from '../hcl/json-edits.js';
import { setPathsInSource } from '../hcl/path-edits.js';
import { withValueAt } from '../hcl/path-locate.js';
import { T } from '../hcl/scanner.js';
import { endsWithHeredoc, insertAttribute, removeAttribute, updateValue } from '../hcl/value-edits.js';
import { findSyncedSection, syncedSectionEdits, updateLastSynced } from '../hcl/synced-section.js';
import { lineEnding, type LineEnding } from '../hcl/line-ending.js';
import type { KeyPath } from '../hcl/key-path.js';
import { editPlace, type PlaceChange } from '../hcl/place-edits.js';
import { parseTfvars, type TfvarsDocument } from '../hcl/tfvars.js';
import type { Plan, PlannedChange, PlannedFile } from './plan.js';

export interface RewriteContext {
  /** YYYY-MM-DD, for the `Last synced` line. */
  date: string;
  /** The name stamped after `from:`: the source environment (or `@shared`). */
  source: string;
  /** The line ending of a file created from nothing (default LF). */
  newFileEol?: LineEnding;
}

export interface FileRewrite {
  file: PlannedFile;
  /** The text before ('' for a file that does not exist yet). */
  before: string;
  after: string;
  /** The edits against `before` that give `after`. */
  edits: Edit[];
  /** Every attribute's value after the rewrite: what a verification must read back. */
  expected: Map<string, JsonValue>;
  /** The file's bytes change (or it is created). */
  changed: boolean;
  /** The file does not exist yet. */
  created: boolean;
}

export function rewritePlan(plan: Plan, context: RewriteContext): FileRewrite[] {
  return plan.files.map((file) => rewriteFile(file, context));
}

export function rewriteFile(file: PlannedFile, context: RewriteContext): FileRewrite {
  const { layer } = file;
  const doc = layer.doc;
  const before = layer.exists ? doc.text : '';
  const active = mergeLeafChanges(doc, file.changes.filter((c) => c.op !== 'noop'));
  const expected = expectedValues(doc, active);
  if (active.length === 0) return { file, before, after: before, edits: [], expected, changed: false, created: false };
  const edits = doc.place
    ? [replacement(before, placeText(doc, doc.place.path, layer.exists ? before : undefined, active, context))]
    : !layer.exists
    ? newFileEdits(doc.format, active, context, file.role)
    : doc.format === 'json'
      ? jsonEdits(doc, active)
      : hclEdits(doc, active, file.role, context);
  const after = applyEdits(before, edits);
  return { file, before, after, edits, expected, changed: !layer.exists || after !== before, created: !layer.exists };
}

/**
 * A variable's leaf changes (leaf-plan.ts) as one change of its whole value: the value's source
 * with each leaf set in it (path-edits.ts: only those bytes change, new keys go in their objects,
 * comments inside stay), or, where the file does not set the variable, its base with the leaves.
 * JSON files get the new value, which json-edits writes in the file's layout.
 */
export function mergeLeafChanges(doc: TfvarsDocument, changes: readonly PlannedChange[]): PlannedChange[] {
  const out: PlannedChange[] = [];
  const leaves = new Map<string, PlannedChange[]>();
  for (const change of changes) {
    if (!change.path) {
      out.push(change);
      continue;
    }
    const list = leaves.get(change.name);
    if (list) list.push(change);
    else {
      leaves.set(change.name, [change]);
      // Its place in the order: where the first of its leaves was.
      out.push(change);
    }
  }
  return out.map((change) => {
    const list = change.path ? leaves.get(change.name)! : undefined;
    if (!list) return change;
    const existing = doc.byName.get(change.name);
    const base = existing ? { value: existing.value, exprText: existing.source } : list[0]!.base!;
    const to = list.reduce((value, leaf) => withValueAt(value, leaf.path!.parts, leaf.to!), base.value);
    const sensitive = list.some((leaf) => leaf.sensitive);
    const exprText =
      doc.format === 'json'
        ? JSON.stringify(to)
        : setPathsInSource(base.exprText, existing ? lineIndent(doc.text, existing.nameRange.start) : '', list.map((leaf) => ({ parts: leaf.path!.parts, exprText: leaf.exprText! })));
    return existing
      ? { name: change.name, op: 'update' as const, from: existing.value, to, sensitive, exprText }
      : { name: change.name, op: 'create' as const, from: undefined, to, sensitive, exprText };
  });
}

function expectedValues(doc: TfvarsDocument, changes: PlannedChange[]): Map<string, JsonValue> {
  const expected = new Map(doc.attributes.map((a) => [a.name, a.value]));
  for (const change of changes) {
    if (change.op === 'delete') expected.delete(change.name);
    else expected.set(change.name, change.to!);
  }
  return expected;
}

function hclEdits(doc: TfvarsDocument, changes: PlannedChange[], role: PlannedFile['role'], context: RewriteContext): Edit[] {
  const edits: Edit[] = [];
  const tail = tailRun(doc, new Set(changes.filter((c) => c.op === 'delete').map((c) => c.name)));
  for (const change of changes) {
    if (change.op === 'update') edits.push(...updateValue(doc, change.name, change.exprText!));
    else if (change.op === 'delete' && !tail?.names.has(change.name)) edits.push(...removeAttribute(doc, change.name));
  }
  const creates = changes.filter((c) => c.op === 'create').map((c) => ({ name: c.name, exprText: c.exprText! }));
  const section = findSyncedSection(doc);
  // One by one, not push(...more): there is an edit per created variable, and spreading a few
  // hundred thousand arguments overflows the stack.
  const add = (more: Edit[]) => more.forEach((edit) => edits.push(edit));
  if (section) {
    // syncedSectionEdits stamps the banner itself.
    add(creates.length > 0 ? syncedSectionEdits(doc, context.date, context.source, creates) : updateLastSynced(doc, context.date, context.source));
  } else {
    add(headerStamp(doc, context.date, context.source));
    if (creates.length > 0) add(role === 'target' ? syncedSectionEdits(doc, context.date, context.source, creates) : appendAttributes(doc, creates));
  }
  if (tail) edits.push(tailDeletion(doc, tail.start, edits));
  return edits;
}

/**
 * In a file without a final newline, the deleted attributes at its very end (only white space
 * between them). removeAttribute takes the line break before a last attribute with it, so that
 * the file keeps ending without one; for several such attributes, or when the line before changes
 * too, those edits would overlap, so the run is deleted as one edit instead (tailDeletion).
 */
function tailRun(doc: TfvarsDocument, deleted: ReadonlySet<string>): { names: Set<string>; start: number } | undefined {
  const text = doc.text;
  if (text === '' || text.endsWith('\n') || text.endsWith('\r')) return undefined;
  const attributes = doc.attributes;
  let i = attributes.length - 1;
  const last = attributes[i]?.lineRange;
  if (!last || last.end !== text.length || !deleted.has(attributes[i]!.name)) return undefined;
  const names = new Set<string>();
  for (; i >= 0; i--) {
    const current = attributes[i]!;
    names.add(current.name);
    const previous = attributes[i - 1];
    if (!previous?.lineRange || !deleted.has(previous.name) || text.slice(previous.lineRange.end, current.lineRange!.start).trim() !== '') break;
  }
  return { names, start: attributes[i]!.lineRange!.start };
}

/**
 * Deletes from the end of the content before the run to the end of the file, so that the new last
 * line has no line break either; but not into another edit, and not the line break after a
 * heredoc's closing marker (which must end its line).
 */
function tailDeletion(doc: TfvarsDocument, runStart: number, others: readonly Edit[]): Edit {
  const text = doc.text;
  let start = text.slice(0, runStart).trimEnd().length;
  for (const edit of others) {
    const end = edit.offset + edit.length;
    if (edit.offset < runStart && end > start) start = Math.min(end, runStart);
  }
  const before = others.filter((e) => e.offset + e.length <= start && e.offset < start);
  if (endsWithHeredoc(applyEdits(text.slice(0, start), before))) {
    const lineBreak = /^(?:\r\n|\n|\r)/.exec(text.slice(start, runStart))?.[0] ?? '';
    start += lineBreak.length;
  }
  return { offset: start, length: text.length - start, text: '' };
}

/**
 * New attributes at the end of the file, in order. Each insertAttribute at the end of a file
 * without a final newline ends the old last line and leaves its own unterminated (a heredoc's
 * excepted), so for several only the last one may stay unterminated.
 */
function appendAttributes(doc: TfvarsDocument, creates: Array<{ name: string; exprText: string }>): Edit[] {
  const inserts = creates.flatMap((c) => insertAttribute(doc, c.name, c.exprText));
  const text = doc.text;
  if (text === '' || text.endsWith('\n') || text.endsWith('\r')) return inserts;
  const eol = lineEnding(text);
  const body = inserts.map((edit, i) => {
    const line = edit.text.slice(eol.length);
    return i < inserts.length - 1 && !line.endsWith(eol) ? line + eol : line;
  });
  return [{ offset: text.length, length: 0, text: eol + body.join('') }];
}

/** JSON edits are computed from the object's current shape, so they compose only in sequence. */
function jsonEdits(doc: TfvarsDocument, changes: PlannedChange[]): Edit[] {
  let current = doc;
  for (const change of changes) {
    const edits =
      change.op === 'delete'
        ? removeJsonAttribute(current, change.name)
        : change.op === 'update'
          ? updateJsonValue(current, change.name, change.to!)
          : insertJsonAttribute(current, change.name, change.to!);
    current = parseTfvars(applyEdits(current.text, edits), { json: true });
  }
  return [replacement(doc.text, current.text)];
}

/** The header of a shared file tfsync creates. */
export function newSharedHeader(eol: LineEnding, date: string, source: string): string {
  return [
    '# Shared features: the syncable values every environment takes (layer 2, between the',
    '# defaults in the variables file and each environment\'s terraform.tfvars).',
    '# Written by `tfsync promote <env> @shared`; compare environments with `tfsync diff`.',
    `# Last synced: ${date} from: ${source}`,
    '',
    '',
  ].join(eol);
}

/**
 * The values at an object place (a Terragrunt `inputs`, an entry of a map of environments) edited
 * there: place-edits.ts keeps every block, comment and other entry. A file that does not exist
 * yet starts empty (`{}` for JSON).
 */
function placeText(doc: TfvarsDocument, place: KeyPath, existing: string | undefined, changes: PlannedChange[], context: RewriteContext): string {
  const json = doc.format === 'json';
  const start = existing ?? (json ? `{}${context.newFileEol ?? '\n'}` : '');
  return editPlace(start, place, changes.map((c): PlaceChange => (c.op === 'delete' ? { op: 'delete', name: c.name } : { op: 'set', name: c.name, exprText: c.exprText!, value: c.to! })), json);
}

/** The header of an environment's layer file that a promotion creates (general form, `promoteTo`). */
export function newLayerHeader(eol: LineEnding, date: string, source: string): string {
  return [
    '# Synced features of this environment, written by `tfsync promote` (see "promoteTo" in tfsync.json).',
    `# Last synced: ${date} from: ${source}`,
    '',
    '',
  ].join(eol);
}

function newFileEdits(format: TfvarsDocument['format'], changes: PlannedChange[], context: RewriteContext, role: PlannedFile['role'] = 'shared'): Edit[] {
  const eol = context.newFileEol ?? '\n';
  let text: string;
  if (format === 'json') {
    let current = parseTfvars(`{}${eol}`, { json: true });
    for (const change of changes) current = parseTfvars(applyEdits(current.text, insertJsonAttribute(current, change.name, change.to!)), { json: true });
    text = current.text;
  } else {
    const header = parseTfvars((role === 'target' ? newLayerHeader : newSharedHeader)(eol, context.date, context.source));
    text = applyEdits(header.text, changes.flatMap((c) => insertAttribute(header, c.name, c.exprText!)));
  }
  return [{ offset: 0, length: 0, text }];
}

const LAST_SYNCED = /Last synced:[ \t]*(.*?)[ \t]+from:[ \t]*(.*?)[ \t]*$/di;

/**
 * Stamps a `Last synced: <date> from: <source>` line among the one-line comments before the
 * first attribute (the header), if there is one.
 */
export function headerStamp(doc: TfvarsDocument, date: string, source: string): Edit[] {
  const tokens = doc.tokens;
  if (!tokens) return [];
  const limit = doc.attributes[0]?.nameRange.start ?? doc.text.length;
  for (let i = 0; i < tokens.count && tokens.start(i) < limit; i++) {
    if (tokens.kind(i) !== T.Comment) continue;
    const start = tokens.start(i);
    const text = doc.text.slice(start, tokens.end(i));
    if (text.startsWith('/*')) continue;
    const match = LAST_SYNCED.exec(text);
    if (!match?.indices) continue;
    const [dateStart, dateEnd] = match.indices[1]!;
    const [sourceStart, sourceEnd] = match.indices[2]!;
    return [
      { offset: start + dateStart, length: dateEnd - dateStart, text: date },
      { offset: start + sourceStart, length: sourceEnd - sourceStart, text: source },
    ];
  }
  return [];
}

/** One edit that turns `before` into `after`: the span between their common prefix and suffix. */
function replacement(before: string, after: string): Edit {
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  return { offset: prefix, length: before.length - prefix - suffix, text: after.slice(prefix, after.length - suffix) };
}
