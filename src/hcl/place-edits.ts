/**
 * Edits of the values at an object place (object-place.ts): a Terragrunt `inputs`, one entry of a
 * map of environments. Only value bytes change for an update; a new value is the object's last
 * item (path-edits.ts: siblings' indentation and `=` alignment); a removed one takes its lines.
 * Blocks, comments and the other entries stay. A place that does not exist yet is created: the
 * entry inside its map, or the attribute at the end of the file.
 */
import type { Node as JsonNode } from 'jsonc-parser';
import { applyEdits, type Edit } from './edits.js';
import type { JsonValue } from './evaluate.js';
import { insertJsonProperty, layoutOf, removeJsonProperty } from './json-edits.js';
import type { KeyPath } from './key-path.js';
import { lineEnding } from './line-ending.js';
import { parsePlaceDocument } from './object-place.js';
import { parse } from './parser.js';
import { jsonProperty, locateInJson } from './path-locate.js';
import { setInExpression, setInJson } from './path-edits.js';
import type { Expression } from './syntax.js';
import type { TfvarsDocument } from './tfvars.js';

export type PlaceChange =
  | { op: 'set'; name: string; exprText: string; value: JsonValue }
  | { op: 'delete'; name: string };

/** The text with every change made at the place, one after another (each on the text the last left). */
export function editPlace(text: string, place: KeyPath, changes: readonly PlaceChange[], json: boolean): string {
  let current = text;
  for (const change of changes) current = applyEdits(current, json ? jsonEdits(current, place, change) : hclEdits(current, place, change));
  return current;
}

function hclEdits(text: string, place: KeyPath, change: PlaceChange): Edit[] {
  if (change.op === 'delete') return removeItem(parsePlaceDocument(text, place), change.name);
  const path: KeyPath = { name: place.name, parts: [...place.parts, { kind: 'key', key: change.name }] };
  const top = topExpression(text, place.name);
  if (top) return setInExpression(text, top, path, change.exprText, { createParents: true });
  // No such attribute yet: `inputs = {}` at the end of the file, with the value inside it.
  const eol = lineEnding(text);
  const before = text === '' ? '' : /[\r\n]$/.test(text) ? eol : `${eol}${eol}`;
  const added = `${place.name} = {${eol}}${eol}`;
  const appended = `${text}${before}${added}`;
  const inner = applyEdits(appended, setInExpression(appended, topExpression(appended, place.name)!, path, change.exprText, { createParents: true }));
  return [{ offset: text.length, length: 0, text: inner.slice(text.length) }];
}

function topExpression(text: string, name: string): Expression | undefined {
  // Not in tfvars mode: a Terragrunt file has blocks beside its inputs.
  for (const item of parse(text).body.items) if (item.type === 'attribute' && item.name === name) return item.expr;
  return undefined;
}

/** The item's whole lines when it stands alone on them; else the item and a comma after it. */
function removeItem(doc: TfvarsDocument, name: string): Edit[] {
  const attribute = doc.byName.get(name);
  if (!attribute) return [];
  const range = attribute.lineRange ?? attribute.nameRange;
  const start = Math.min(range.start, attribute.nameRange.start);
  let end = Math.max(range.end, attribute.valueRange.end);
  if (end === attribute.valueRange.end) end += /^[ \t]*,?/.exec(doc.text.slice(end))![0].length;
  return [{ offset: start, length: end - start, text: '' }];
}

function jsonEdits(text: string, place: KeyPath, change: PlaceChange): Edit[] {
  const doc = { format: 'json', text } as TfvarsDocument;
  const layout = layoutOf(doc);
  const top = jsonProperty(layout.root, place.name)?.children?.[1];
  if (change.op === 'delete') {
    const located = top ? locateInJson(top, place.parts) : undefined;
    return located?.found ? removeJsonProperty(text, located.node as JsonNode, change.name) : [];
  }
  if (!top) {
    let value: JsonValue = { [change.name]: change.value };
    for (const part of [...place.parts].reverse()) if (part.kind === 'key') value = { [part.key]: value };
    return insertJsonProperty(text, layout, layout.root, place.name, value);
  }
  return setInJson(text, top, { name: place.name, parts: [...place.parts, { kind: 'key', key: change.name }] }, change.value, { createParents: true });
}
