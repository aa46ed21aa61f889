/**
 * Following a key path (key-path.ts) into a value: through the object and tuple nodes of a parsed
 * native-syntax expression, through jsonc-parser's tree of a JSON file, or through a plain JSON
 * value. Any object expression node will do, not only a tfvars attribute's: Terragrunt `inputs`
 * and a map of environments are objects too.
 */
import type { Node as JsonNode } from 'jsonc-parser';
import { TfsyncError } from '../errors.js';
import { constantValue, evaluate, setProperty, type JsonValue } from './evaluate.js';
import { stringifyJson } from './json-text.js';
import { formatKeyPath, formatPart, type KeyPath, type PathPart } from './key-path.js';
import { parse } from './parser.js';
import type { Attribute, Expression, ObjectExpr, ObjectItem } from './syntax.js';
import type { TfvarsDocument } from './tfvars.js';

/** Where a walk along a path ended. */
export type Located<N> =
  | { found: true; node: N }
  /** `parts[missing]` does not exist in `parent`, the node the parts before it lead to. */
  | { found: false; missing: number; parent: N };

/** The key an object item stands for: a bare name is its own text, a quoted key its string. */
export function itemKey(item: ObjectItem, text: string): string | undefined {
  const key = item.key;
  if (key.type === 'traversal' || (key.type === 'literal' && typeof key.value !== 'number')) return text.slice(key.start, key.end);
  const value = evaluate(key, text);
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** The last item with the key wins, as in Terraform (which rejects duplicates anyway). */
export function findItem(object: ObjectExpr, key: string, text: string): ObjectItem | undefined {
  let found: ObjectItem | undefined;
  for (const item of object.items) if (itemKey(item, text) === key) found = item;
  return found;
}

export function locateInExpression(expr: Expression, text: string, parts: readonly PathPart[]): Located<Expression> {
  let node = expr;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next = stepInto(unwrap(node), part, text);
    if (!next) return { found: false, missing: i, parent: node };
    node = next;
  }
  return { found: true, node };
}

function stepInto(node: Expression, part: PathPart, text: string): Expression | undefined {
  if (part.kind === 'key' && node.type === 'object') return findItem(node, part.key, text)?.value;
  if (part.kind === 'index' && node.type === 'tuple') return node.items[part.index];
  return undefined;
}

/** `(expr)` is the expression inside. */
export function unwrap(node: Expression): Expression {
  let out = node;
  while (out.type === 'parens') out = out.inner;
  return out;
}

export function locateInJson(node: JsonNode, parts: readonly PathPart[]): Located<JsonNode> {
  let at = node;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    let next: JsonNode | undefined;
    if (part.kind === 'key' && at.type === 'object') next = jsonProperty(at, part.key)?.children?.[1];
    else if (part.kind === 'index' && at.type === 'array') next = at.children?.[part.index];
    if (!next) return { found: false, missing: i, parent: at };
    at = next;
  }
  return { found: true, node: at };
}

export function jsonProperty(object: JsonNode, key: string): JsonNode | undefined {
  let found: JsonNode | undefined;
  for (const property of object.children ?? []) if (property.children?.[0]?.value === key) found = property;
  return found;
}

/** The value at a path inside a value, or undefined where it has none. */
export function valueAt(value: JsonValue | undefined, parts: readonly PathPart[]): JsonValue | undefined {
  let at = value;
  for (const part of parts) {
    if (at === undefined || at === null || typeof at !== 'object') return undefined;
    if (part.kind === 'index') at = Array.isArray(at) ? at[part.index] : undefined;
    else if (part.kind === 'key') at = !Array.isArray(at) && Object.hasOwn(at, part.key) ? at[part.key] : undefined;
    else return undefined;
  }
  return at;
}

/**
 * The error for a path whose part `missing` does not exist: it names the first missing part and
 * what is there instead, at the node it should have been in.
 */
export function missingPartError(path: KeyPath, missing: number, parentKind: string, location?: { file: string; text: string; start: number; end: number }): TfsyncError {
  const before = formatKeyPath({ name: path.name, parts: path.parts.slice(0, missing) });
  const part = path.parts[missing]!;
  const what = parentKind === 'object' ? `has no key ${formatPart(part).replace(/^\./, '')}` : parentKind === 'tuple' ? `has no ${formatPart(part)}` : `is ${article(parentKind)}, not ${part.kind === 'index' ? 'a list' : 'an object'}`;
  return new TfsyncError(`${before} ${what} (in ${formatKeyPath(path)})`, { ...(location ? { location: { file: location.file, text: location.text, range: { start: location.start, end: location.end } } } : {}), code: 'unknown-key-path' });
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

/** What a node holds, in words for errors. */
export function kindOfExpression(node: Expression): string {
  const inner = unwrap(node);
  if (inner.type === 'literal') return inner.value === null ? 'null' : typeof inner.value;
  if (inner.type === 'template' || inner.type === 'heredoc') return 'string';
  return inner.type === 'other' || inner.type === 'traversal' || inner.type === 'binary' ? 'computed expression' : inner.type;
}

export function kindOfJson(node: JsonNode): string {
  return node.type === 'array' ? 'tuple' : node.type;
}

/** The top-level attribute of a native-syntax file, with its expression tree. */
export function hclAttribute(text: string, name: string): Attribute | undefined {
  let found: Attribute | undefined;
  for (const item of parse(text, { tfvars: true }).body.items) if (item.type === 'attribute' && item.name === name) found ??= item;
  return found;
}

/**
 * The value at a key path of a variables file, with its source as written (for a JSON file, the
 * JSON text of the value). A part that does not exist is an error at the node it should be in,
 * naming `within` (a longer path this one leads to) when given.
 */
export function readPath(doc: TfvarsDocument, path: KeyPath, file: string, within: KeyPath = path): { value: JsonValue; source: string } {
  const attribute = doc.byName.get(path.name);
  if (!attribute) throw new TfsyncError(`no variable "${path.name}" in ${file}`, { code: 'unknown-variable' });
  if (path.parts.length === 0) return { value: attribute.value, source: attribute.source };
  if (doc.format === 'json') {
    const value = valueAt(attribute.value, path.parts);
    if (value !== undefined) return { value, source: stringifyJson(value) };
    let missing = 0;
    while (valueAt(attribute.value, path.parts.slice(0, missing + 1)) !== undefined) missing++;
    const parent = valueAt(attribute.value, path.parts.slice(0, missing));
    const kind = Array.isArray(parent) ? 'tuple' : parent === null ? 'null' : typeof parent;
    const { start, end } = attribute.valueRange;
    throw missingPartError(within, missing, kind, { file, text: doc.text, start, end });
  }
  const expr = hclAttribute(doc.text, path.name)!.expr;
  const located = locateInExpression(expr, doc.text, path.parts);
  if (!located.found) {
    const { start, end } = located.parent;
    throw missingPartError(within, located.missing, kindOfExpression(located.parent), { file, text: doc.text, start, end });
  }
  const node = located.node;
  return { value: constantValue(node, doc.text).value, source: doc.text.slice(node.start, node.end) };
}

/** A copy of `value` with the value at `parts` replaced (or added), objects created on the way. */
export function withValueAt(value: JsonValue | undefined, parts: readonly PathPart[], replacement: JsonValue): JsonValue {
  if (parts.length === 0) return replacement;
  const [part, ...rest] = parts as [PathPart, ...PathPart[]];
  if (part.kind === 'index' && Array.isArray(value)) {
    return value.map((item, i) => (i === part.index ? withValueAt(item, rest, replacement) : item));
  }
  if (part.kind !== 'key') throw new TfsyncError(`cannot set ${formatPart(part)} here`, { code: 'invalid-edit' });
  const object = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(object)) setProperty(out, k, v);
  setProperty(out, part.key, withValueAt(Object.hasOwn(object, part.key) ? object[part.key] : undefined, rest, replacement));
  return out;
}
