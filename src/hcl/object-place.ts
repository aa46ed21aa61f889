/**
 * Values that live inside an object of a file rather than at its top level: a Terragrunt
 * `terragrunt.hcl`'s `inputs = { ... }` (beside `terraform`, `include`, `dependency` and `locals`
 * blocks), or one entry of a map-valued attribute (`environments = { prod = { ... } }` in a
 * `.tfvars` or `.tfvars.json`). The object's items read as a TfvarsDocument's attributes, with
 * their ranges in the whole file, so everything that reads documents reads these too.
 *
 * An item that is not a constant (`dependency.vpc.outputs.id`, `local.z`, `upper("a")`) is
 * `computed`: its value is its source as `${...}`, as the official parser gives it, and tfsync
 * never evaluates, compares as a constant or promotes it.
 */
import { diagnostic, type Diagnostic, type Range } from './diagnostics.js';
import { evaluate, type JsonValue } from './evaluate.js';
import { parseKeyPath, type KeyPath } from './key-path.js';
import { LineCounter } from './line-counter.js';
import { parse } from './parser.js';
import { itemKey, jsonProperty, locateInExpression, locateInJson, unwrap } from './path-locate.js';
import { scan, type Tokens } from './scanner.js';
import type { Expression, ObjectExpr, ObjectItem } from './syntax.js';
import { jsoncParser, type TfvarsAttribute, type TfvarsDocument } from './tfvars.js';

/** `inputs` or `environments.{env}` with the environment's name put in, as a key path. */
export function placePath(at: string, env: string | undefined): KeyPath {
  // `{env}` is read as a quoted key and then replaced, so that any environment name is one key.
  const path = parseKeyPath(at.replaceAll('{env}', '"{env}"'));
  if (env === undefined) return path;
  return { name: path.name, parts: path.parts.map((p) => (p.kind === 'key' && p.key === '{env}' ? { kind: 'key', key: env } : p)) };
}

/** The items of the object at `path` as a document; an absent place is an empty one (found: false). */
export function parsePlaceDocument(text: string, path: KeyPath, options: { json?: boolean } = {}): TfvarsDocument {
  return options.json ? jsonPlace(text, path) : hclPlace(text, path);
}

function hclPlace(text: string, path: KeyPath): TfvarsDocument {
  // Not in tfvars mode: blocks (terraform, include, dependency, locals) are allowed beside it.
  const syntax = parse(text);
  const lines = syntax.lines;
  const diagnostics: Diagnostic[] = [...syntax.diagnostics];
  let object: ObjectExpr | undefined;
  let top: Expression | undefined;
  for (const item of syntax.body.items) if (item.type === 'attribute' && item.name === path.name) top ??= item.expr;
  if (top) {
    const located = locateInExpression(top, text, path.parts);
    if (located.found) {
      const node = unwrap(located.node);
      if (node.type === 'object') object = node;
      else diagnostics.push(diagnostic('place-not-object', `${placeName(path)} must be an object of values.`, located.node.start, located.node.end));
    }
  }
  const attributes: TfvarsAttribute[] = [];
  const byName = new Map<string, TfvarsAttribute>();
  for (const item of object?.items ?? []) {
    const name = itemKey(item, text);
    if (name === undefined) continue;
    if (byName.has(name)) {
      diagnostics.push(diagnostic('duplicate-attribute', `"${name}" is set twice in ${placeName(path)}.`, item.key.start, item.key.end));
      continue;
    }
    const attribute: TfvarsAttribute = {
      name,
      value: evaluate(item.value, text),
      source: text.slice(item.value.start, item.value.end),
      nameRange: { start: item.key.start, end: item.key.end },
      valueRange: { start: item.value.start, end: item.value.end },
      line: lines.position(item.key.start).line,
      lineRange: itemLines(text, item),
      ...(item.lineComment ? { lineComment: item.lineComment } : {}),
      ...(isConstant(item.value) ? {} : { computed: true }),
    };
    attributes.push(attribute);
    byName.set(name, attribute);
  }
  let tokens: Tokens | undefined;
  return {
    format: 'hcl',
    text,
    attributes,
    byName,
    diagnostics,
    lines,
    get tokens() {
      return (tokens ??= scan(text).tokens);
    },
    place: { path, found: object !== undefined },
  };
}

function jsonPlace(text: string, path: KeyPath): TfvarsDocument {
  const { parseTree, printParseErrorCode } = jsoncParser();
  const lines = new LineCounter(text);
  const errors: Array<{ error: number; offset: number; length: number }> = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const diagnostics: Diagnostic[] = errors.map((e) => diagnostic('invalid-json', `Invalid JSON: ${printParseErrorCode(e.error as never)}.`, e.offset, e.offset + e.length));
  const top = root?.type === 'object' ? jsonProperty(root, path.name)?.children?.[1] : undefined;
  const located = top ? locateInJson(top, path.parts) : undefined;
  const object = located?.found && located.node.type === 'object' ? located.node : undefined;
  if (located?.found && !object) diagnostics.push(diagnostic('place-not-object', `${placeName(path)} must be an object of values.`, located.node.offset, located.node.offset + located.node.length));
  const attributes: TfvarsAttribute[] = [];
  const byName = new Map<string, TfvarsAttribute>();
  for (const property of object?.children ?? []) {
    const [key, value] = property.children ?? [];
    if (!key || !value || typeof key.value !== 'string' || byName.has(key.value)) continue;
    const source = text.slice(value.offset, value.offset + value.length);
    const attribute: TfvarsAttribute = {
      name: key.value,
      value: JSON.parse(source) as JsonValue,
      source,
      nameRange: { start: key.offset, end: key.offset + key.length },
      valueRange: { start: value.offset, end: value.offset + value.length },
      line: lines.position(key.offset).line,
    };
    attributes.push(attribute);
    byName.set(attribute.name, attribute);
  }
  return { format: 'json', text, attributes, byName, diagnostics, lines, place: { path, found: object !== undefined } };
}

/** How messages name a place: `inputs`, `environments.prod`. */
export function placeName(path: KeyPath): string {
  return [path.name, ...path.parts.map((p) => (p.kind === 'key' ? p.key : p.kind === 'index' ? `[${p.index}]` : '*'))].join('.');
}

/**
 * Literal values all the way down: numbers, strings without interpolation, booleans, null, and
 * tuples and objects of them. Anything else needs Terragrunt or Terraform to have a value.
 */
export function isConstant(expr: Expression): boolean {
  switch (expr.type) {
    case 'literal':
      return true;
    case 'unary':
      return expr.operand.type === 'literal';
    case 'parens':
      return isConstant(expr.inner);
    case 'template':
    case 'heredoc':
      return expr.parts.every((p) => p.type === 'literal');
    case 'tuple':
      return expr.items.every(isConstant);
    case 'object':
      return expr.items.every((item) => (item.key.type === 'traversal' || isConstant(item.key)) && isConstant(item.value));
    default:
      return false;
  }
}

/** The whole lines an item stands on, when nothing else does (its comma and its line comment may follow). */
function itemLines(text: string, item: ObjectItem): Range {
  let lineStart = item.start;
  while (lineStart > 0 && (text[lineStart - 1] === ' ' || text[lineStart - 1] === '\t')) lineStart--;
  const alone = lineStart === 0 || text[lineStart - 1] === '\n';
  const after = item.lineComment?.end ?? item.end;
  const rest = (item.lineComment ? /^[ \t]*(?:\r\n|\n|\r|$)/ : /^[ \t]*,?[ \t]*(?:\r\n|\n|\r|$)/).exec(text.slice(after));
  if (!alone || !rest) return { start: item.start, end: item.end };
  return { start: lineStart, end: after + rest[0].length };
}
