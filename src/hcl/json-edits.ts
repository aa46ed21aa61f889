/**
 * Update, insert and remove for `.tfvars.json` files, as edits that touch only the property
 * concerned. jsonc-parser's `modify` with formatting options reformats every line the edit touches
 * (inserting after `"b": [1, 2]` rewrites that list over four lines), and without them writes
 * everything on one line; so the edits are computed here from jsonc-parser's tree instead, in the
 * file's own indentation and line ending.
 */
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { TfsyncError } from '../errors.js';
import type { Edit } from './edits.js';
import type { JsonValue } from './evaluate.js';
import { stringifyJson } from './json-text.js';
import { lineEnding, type LineEnding } from './line-ending.js';
import type { TfvarsDocument } from './tfvars.js';

export interface Layout {
  root: JsonNode;
  eol: LineEnding;
  /** One level of indentation; '' when the object is written on one line. */
  unit: string;
}

/** Replaces the value of an existing property. */
export function updateJsonValue(doc: TfvarsDocument, name: string, value: JsonValue): Edit[] {
  const layout = layoutOf(doc);
  const property = findProperty(layout.root, name);
  const valueNode = property?.children?.[1];
  if (!property || !valueNode) throw new TfsyncError(`no variable "${name}" to edit`, { code: 'invalid-edit' });
  const indent = lineIndent(doc.text, property.offset);
  return [{ offset: valueNode.offset, length: valueNode.length, text: formatJson(value, layout, indent) }];
}

/** Adds a property after the last one. */
export function insertJsonAttribute(doc: TfvarsDocument, name: string, value: JsonValue): Edit[] {
  const layout = layoutOf(doc);
  if (findProperty(layout.root, name)) throw new TfsyncError(`variable "${name}" is already set; update it instead`, { code: 'invalid-edit' });
  return insertJsonProperty(doc.text, layout, layout.root, name, value);
}

/**
 * Adds a property after the last one of any object of the file, in the file's indentation; an
 * object written on one line stays on one line.
 */
export function insertJsonProperty(text: string, layout: Layout, object: JsonNode, name: string, value: JsonValue): Edit[] {
  const { eol } = layout;
  const properties = object.children ?? [];
  const first = properties[0];
  const unit = first && !text.slice(object.offset, first.offset).includes('\n') ? '' : layout.unit;
  const last = properties[properties.length - 1];
  if (!last) {
    const objectIndent = lineIndent(text, object.offset);
    const indent = objectIndent + (unit || '  ');
    const body = `${eol}${indent}${JSON.stringify(name)}: ${formatJson(value, { ...layout, unit: unit || '  ' }, indent)}${eol}${objectIndent}`;
    return [{ offset: object.offset + 1, length: object.length - 2, text: body }];
  }
  const end = last.offset + last.length;
  if (unit === '') return [{ offset: end, length: 0, text: `, ${JSON.stringify(name)}: ${formatJson(value, { ...layout, unit }, '')}` }];
  const indent = lineIndent(text, last.offset);
  return [{ offset: end, length: 0, text: `,${eol}${indent}${JSON.stringify(name)}: ${formatJson(value, layout, indent)}` }];
}

/** Removes a property, with its separator and, when it has a line of its own, that line. */
export function removeJsonAttribute(doc: TfvarsDocument, name: string): Edit[] {
  return removeJsonProperty(doc.text, layoutOf(doc).root, name);
}

/** Removes a property of any object of the file, as removeJsonAttribute does at the top level. */
export function removeJsonProperty(text: string, root: JsonNode, name: string): Edit[] {
  const properties = root.children ?? [];
  const index = properties.findIndex((p) => p.children?.[0]?.value === name);
  const property = properties[index];
  if (!property) throw new TfsyncError(`no variable "${name}" to edit`, { code: 'invalid-edit' });
  const end = property.offset + property.length;
  const next = properties[index + 1];
  const previous = properties[index - 1];
  if (next) {
    // Up to the next property: this one's comma and the white space after it go too.
    const ownLines = startsLine(text, property.offset) && startsLine(text, next.offset);
    const start = ownLines ? lineStart(text, property.offset) : property.offset;
    const stop = ownLines ? lineStart(text, next.offset) : next.offset;
    return [{ offset: start, length: stop - start, text: '' }];
  }
  if (previous) {
    // The last property: from the end of the one before, taking the comma that separated them.
    const start = previous.offset + previous.length;
    return [{ offset: start, length: end - start, text: '' }];
  }
  return [{ offset: root.offset + 1, length: end - root.offset - 1, text: '' }];
}

export function layoutOf(doc: TfvarsDocument): Layout {
  if (doc.format !== 'json') throw new Error('json-edits edits .tfvars.json files; use value-edits for native syntax');
  const root = parseTree(doc.text, [], { allowTrailingComma: false, disallowComments: true });
  if (root?.type !== 'object') throw new TfsyncError('a JSON variables file must hold one object', { code: 'invalid-edit' });
  return { root, eol: lineEnding(doc.text), unit: indentUnit(doc.text, root) };
}

/**
 * The file's indentation step: how much deeper than the `{` line its first property's line is
 * indented, or '' when that property shares the `{` line (a one-line object).
 */
function indentUnit(text: string, root: JsonNode): string {
  const first = root.children?.[0];
  if (!first) return '  ';
  if (!text.slice(root.offset, first.offset).includes('\n')) return '';
  const rootIndent = lineIndent(text, root.offset);
  const indent = lineIndent(text, first.offset);
  return indent.startsWith(rootIndent) && indent.length > rootIndent.length ? indent.slice(rootIndent.length) : '  ';
}

/** JSON text for a value whose first line continues a line indented by `indent`. */
export function formatJson(value: JsonValue, { unit, eol }: Layout, indent: string): string {
  if (unit === '') return stringifyJson(value);
  return stringifyJson(value, unit).replace(/\n/g, eol + indent);
}

function findProperty(root: JsonNode, name: string): JsonNode | undefined {
  return root.children?.find((p) => p.children?.[0]?.value === name);
}

function lineStart(text: string, offset: number): number {
  return Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
}

export function lineIndent(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset), offset))![0];
}

function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}
