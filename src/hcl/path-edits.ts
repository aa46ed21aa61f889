/**
 * Setting a value at a key path, as edits computed from the syntax tree: an existing entry gets
 * exactly its value bytes replaced; a key its object lacks is inserted as the object's last item,
 * with the indentation of its siblings and, where their `=` align, the same alignment (as
 * `terraform fmt` would); with `createParents`, objects on the way that do not exist are created.
 * Works on any object node of a parsed file (native syntax or JSON), so a Terragrunt `inputs`
 * object or a map of environments is edited the same way as a tfvars attribute.
 */
import type { Node as JsonNode } from 'jsonc-parser';
import { TfsyncError } from '../errors.js';
import { applyEdits, type Edit } from './edits.js';
import type { JsonValue } from './evaluate.js';
import { formatJson, insertJsonProperty, layoutOf, lineIndent } from './json-edits.js';
import { formatKeyPath, type KeyPath, type PathPart } from './key-path.js';
import { lineEnding, type LineEnding } from './line-ending.js';
import {
  hclAttribute, jsonProperty, kindOfExpression, kindOfJson, locateInExpression, locateInJson, missingPartError, unwrap,
} from './path-locate.js';
import { endOfLine, endsWithHeredoc, lineStartAtOrAfter, withLineEnding } from './value-edits.js';
import { parseExpression } from './parser.js';
import type { Expression, ObjectExpr } from './syntax.js';
import type { TfvarsDocument } from './tfvars.js';

export interface PathValue {
  /** The new value as native-syntax source (used in .tfvars files). */
  exprText: string;
  /** The same value as JSON (used in .tfvars.json files). */
  value: JsonValue;
}

export interface PathEditOptions {
  /** Create objects on the way that do not exist (promotion); else a missing parent is an error. */
  createParents?: boolean;
  /** The file as errors name it. */
  file?: string;
}

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const KEYWORDS = new Set(['null', 'true', 'false']);

/**
 * Edits that set `path` (which names an attribute the document has) to a new value. The path's
 * steps must all be keys or indexes: globs name sets of paths, never one place to write.
 */
export function setPathEdits(doc: TfvarsDocument, path: KeyPath, replacement: PathValue, options: PathEditOptions = {}): Edit[] {
  if (path.parts.some((p) => p.kind === 'any')) throw new TfsyncError(`cannot set ${formatKeyPath(path)}: "*" names many places`, { code: 'invalid-edit' });
  if (doc.format === 'json') {
    const layout = layoutOf(doc);
    const property = jsonProperty(layout.root, path.name);
    const node = property?.children?.[1];
    if (!node) throw new TfsyncError(`no variable "${path.name}" to edit`, { code: 'invalid-edit' });
    return setInJson(doc.text, node, path, replacement.value, options);
  }
  const attribute = hclAttribute(doc.text, path.name);
  if (!attribute) throw new TfsyncError(`no variable "${path.name}" to edit`, { code: 'invalid-edit' });
  return setInExpression(doc.text, attribute.expr, path, replacement.exprText, options);
}

/**
 * A value's source with several paths set in it, one after the other (each edit is computed from
 * the text the ones before gave, so two new keys of one new object make one object). `indent` is
 * the indentation of the attribute's line: new items are indented relative to it.
 */
export function setPathsInSource(source: string, indent: string, sets: ReadonlyArray<{ parts: readonly PathPart[]; exprText: string }>): string {
  let text = indent + source;
  for (const set of sets) {
    const { expr } = parseExpression(text);
    text = applyEdits(text, setInExpression(text, expr, { name: '_', parts: [...set.parts] }, set.exprText, { createParents: true }));
  }
  return text.slice(indent.length);
}

/** Sets `path.parts` inside `root`, an expression of `text`. */
export function setInExpression(text: string, root: Expression, path: KeyPath, exprText: string, options: PathEditOptions = {}): Edit[] {
  const eol = lineEnding(text);
  const located = locateInExpression(root, text, path.parts);
  if (located.found) return replaceNode(text, located.node, withLineEnding(exprText, eol), eol);
  const { missing } = located;
  const parent = unwrap(located.parent);
  const part = path.parts[missing]!;
  const lastStep = missing === path.parts.length - 1;
  if (parent.type !== 'object' || part.kind !== 'key' || (!lastStep && !options.createParents)) {
    const where = { file: options.file ?? '', text, start: located.parent.start, end: located.parent.end };
    throw missingPartError(path, missing, kindOfExpression(parent), options.file ? where : undefined);
  }
  return insertItem(text, parent, part.key, path.parts.slice(missing + 1), exprText, eol);
}

function replaceNode(text: string, node: Expression, value: string, eol: LineEnding): Edit[] {
  // A heredoc's closing marker must end its line: what followed the value moves to the next one.
  const lineEnd = endOfLine(text, node.end);
  const rest = text.slice(node.end, lineEnd);
  const after = endsWithHeredoc(value) && (rest.trim() !== '' || lineEnd === text.length) ? eol : '';
  return [{ offset: node.start, length: node.end - node.start, text: value + after }];
}

/** A new last item of `object`: `key = value`, the value nested in new objects for `rest`. */
function insertItem(text: string, object: ObjectExpr, key: string, rest: readonly PathPart[], exprText: string, eol: LineEnding): Edit[] {
  const keyText = BARE_KEY.test(key) && !KEYWORDS.has(key) ? key : JSON.stringify(key);
  const items = object.items;
  const last = items[items.length - 1];
  const open = object.start + 1;
  const close = object.end - 1;
  const multiLine = last ? text.slice(open, items[0]!.start).includes('\n') && text.slice(last.end, close).includes('\n') : text.slice(open, close).includes('\n');
  if (!multiLine) {
    const value = nested(rest, withLineEnding(exprText, eol), undefined, eol);
    if (!last) return [{ offset: open, length: close - open, text: ` ${keyText} = ${value} ` }];
    return [{ offset: last.end, length: 0, text: `, ${keyText} = ${value}` }];
  }
  if (!last) {
    const indent = lineIndent(text, object.start) + '  ';
    const offset = lineStartAtOrAfter(text, open);
    const value = nested(rest, withLineEnding(exprText, eol), indent, eol);
    return [{ offset, length: 0, text: `${indent}${keyText} = ${value}${eol}` }];
  }
  const indent = lineIndent(text, last.start);
  const value = nested(rest, withLineEnding(exprText, eol), indent, eol);
  const comma = /^[ \t]*,/.test(text.slice(last.end)) ? ',' : '';
  const column = alignedColumn(text, object, indent);
  const pad = column !== undefined && indent.length + keyText.length < column ? ' '.repeat(column - indent.length - keyText.length) : ' ';
  const offset = lineStartAtOrAfter(text, last.end);
  // The last item may be the file's last line, without a line ending.
  const before = offset === text.length && !/[\r\n]$/.test(text.slice(0, offset)) ? eol : '';
  return [{ offset, length: 0, text: `${before}${indent}${keyText}${pad}= ${value}${comma}${eol}` }];
}

/** The value source for the steps still missing under a new key: objects inside objects. */
function nested(rest: readonly PathPart[], exprText: string, indent: string | undefined, eol: LineEnding): string {
  if (rest.length === 0) return exprText;
  const part = rest[0]!;
  if (part.kind !== 'key') throw new TfsyncError('a list that does not exist cannot be created at an index', { code: 'invalid-edit' });
  const keyText = BARE_KEY.test(part.key) && !KEYWORDS.has(part.key) ? part.key : JSON.stringify(part.key);
  if (indent === undefined) return `{ ${keyText} = ${nested(rest.slice(1), exprText, undefined, eol)} }`;
  const inner = `${indent}  `;
  return `{${eol}${inner}${keyText} = ${nested(rest.slice(1), exprText, inner, eol)}${eol}${indent}}`;
}

/**
 * The column of `=` when the object's last run of one-line items (consecutive lines, as
 * `terraform fmt` aligns them) all have it there and at least one key is padded to it.
 */
function alignedColumn(text: string, object: ObjectExpr, indent: string): number | undefined {
  const run: Array<{ keyEnd: number; eq: number }> = [];
  for (let i = object.items.length - 1; i >= 0; i--) {
    const item = object.items[i]!;
    const lineStart = item.start - indent.length;
    if (text.slice(lineStart, item.start) !== indent || text.slice(item.start, item.end).includes('\n')) break;
    const next = object.items[i + 1];
    if (next && text.slice(item.end, next.start).split('\n').length > 2) break;
    const eq = text.slice(item.key.end, item.value.start).search(/[=:]/);
    if (eq < 0) break;
    run.push({ keyEnd: item.key.end - lineStart, eq: item.key.end - lineStart + eq });
  }
  if (run.length < 2) return undefined;
  const column = run[0]!.eq;
  if (!run.every((r) => r.eq === column) || !run.some((r) => r.eq - r.keyEnd > 1)) return undefined;
  return column;
}

/** Sets `path.parts` inside `root`, a value node of jsonc-parser's tree of `text`. */
export function setInJson(text: string, root: JsonNode, path: KeyPath, value: JsonValue, options: PathEditOptions = {}): Edit[] {
  const layout = layoutOf({ format: 'json', text } as TfvarsDocument);
  const located = locateInJson(root, path.parts);
  if (located.found) {
    const node = located.node;
    const indent = lineIndent(text, node.parent?.type === 'property' ? node.parent.offset : node.offset);
    return [{ offset: node.offset, length: node.length, text: formatJson(value, layout, indent) }];
  }
  const { missing, parent } = located;
  const part = path.parts[missing]!;
  const lastStep = missing === path.parts.length - 1;
  if (parent.type !== 'object' || part.kind !== 'key' || (!lastStep && !options.createParents)) {
    const where = options.file ? { file: options.file, text, start: parent.offset, end: parent.offset + parent.length } : undefined;
    throw missingPartError(path, missing, kindOfJson(parent), where);
  }
  let nestedValue = value;
  for (const step of [...path.parts.slice(missing + 1)].reverse()) {
    if (step.kind !== 'key') throw new TfsyncError('a list that does not exist cannot be created at an index', { code: 'invalid-edit' });
    nestedValue = { [step.key]: nestedValue };
  }
  return insertJsonProperty(text, layout, parent, part.key, nestedValue);
}
