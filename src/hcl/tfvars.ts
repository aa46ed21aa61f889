/**
 * A variables file as tfsync uses it: its attributes in order, each with its JSON value, the source
 * text of its expression and where it stands. Reads both the native syntax (`.tfvars`) and the JSON
 * syntax (`.tfvars.json`).
 */
import { parseTree, type Node as JsonNode, type ParseError, printParseErrorCode } from 'jsonc-parser';
import { diagnostic, type Diagnostic, type Range } from './diagnostics.js';
import { evaluate, setProperty, type JsonValue } from './evaluate.js';
import { LineCounter } from './line-counter.js';
import { parse } from './parser.js';
import type { Tokens } from './scanner.js';
import type { Attribute } from './syntax.js';

export interface TfvarsAttribute {
  name: string;
  value: JsonValue;
  /** The expression exactly as written (for JSON files, the JSON text of the value). */
  source: string;
  nameRange: Range;
  valueRange: Range;
  /** 1-based line of the name. */
  line: number;
  /** Native syntax: the whole lines the attribute occupies, through its newline (see Attribute). */
  lineRange?: Range;
  /** Native syntax: a comment after the value on the same line. */
  lineComment?: Range;
}

export interface TfvarsDocument {
  format: 'hcl' | 'json';
  text: string;
  attributes: TfvarsAttribute[];
  byName: Map<string, TfvarsAttribute>;
  diagnostics: Diagnostic[];
  lines: LineCounter;
  /** Native syntax: the tokens, every byte of the file (edits use them to find comments). */
  tokens?: Tokens;
}

export function isJsonVariablesFile(path: string): boolean {
  return path.toLowerCase().endsWith('.json');
}

/** Parses a variables file; `json` selects the JSON syntax. Never throws. */
export function parseTfvars(text: string, options: { json?: boolean } = {}): TfvarsDocument {
  return options.json ? parseJsonTfvars(text) : parseHclTfvars(text);
}

/**
 * Values are evaluated as the parser hands each attribute over, and only ranges are kept: holding
 * every expression tree of a large file cost more than parsing it.
 */
function parseHclTfvars(text: string): TfvarsDocument {
  const attributes: TfvarsAttribute[] = [];
  const byName = new Map<string, TfvarsAttribute>();
  const onAttribute = (item: Attribute) => {
    if (byName.has(item.name)) return;
    const attribute: TfvarsAttribute = {
      name: item.name,
      value: evaluate(item.expr, text),
      source: text.slice(item.expr.range.start, item.expr.range.end),
      nameRange: item.nameRange,
      valueRange: item.expr.range,
      line: 0,
      lineRange: item.lineRange,
    };
    if (item.lineComment) attribute.lineComment = item.lineComment;
    attributes.push(attribute);
    byName.set(item.name, attribute);
  };
  const syntax = parse(text, { tfvars: true, onAttribute });
  for (const attribute of attributes) attribute.line = syntax.lines.line(attribute.nameRange.start);
  return { format: 'hcl', text, attributes, byName, diagnostics: syntax.diagnostics, lines: syntax.lines, tokens: syntax.tokens };
}

function parseJsonTfvars(text: string): TfvarsDocument {
  const lines = new LineCounter(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const diagnostics: Diagnostic[] = errors.map((e) =>
    diagnostic('invalid-json', `Invalid JSON: ${describeJsonError(printParseErrorCode(e.error))}.`, e.offset, e.offset + e.length),
  );
  const attributes: TfvarsAttribute[] = [];
  const byName = new Map<string, TfvarsAttribute>();
  if (root && root.type !== 'object') {
    diagnostics.push(diagnostic('not-an-object', 'A JSON variables file must hold one object.', root.offset, root.offset + root.length));
  }
  for (const property of root?.type === 'object' ? (root.children ?? []) : []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode || typeof keyNode.value !== 'string') continue;
    const name = keyNode.value;
    const nameRange = { start: keyNode.offset, end: keyNode.offset + keyNode.length };
    if (byName.has(name)) {
      diagnostics.push(diagnostic('duplicate-attribute', `Attribute "${name}" is set twice.`, nameRange.start, nameRange.end));
      continue;
    }
    const attribute: TfvarsAttribute = {
      name,
      value: jsonValue(valueNode),
      source: text.slice(valueNode.offset, valueNode.offset + valueNode.length),
      nameRange,
      valueRange: { start: valueNode.offset, end: valueNode.offset + valueNode.length },
      line: lines.position(keyNode.offset).line,
    };
    attributes.push(attribute);
    byName.set(name, attribute);
  }
  return { format: 'json', text, attributes, byName, diagnostics, lines };
}

function jsonValue(node: JsonNode): JsonValue {
  switch (node.type) {
    case 'object': {
      const out: { [key: string]: JsonValue } = {};
      for (const property of node.children ?? []) {
        const [k, v] = property.children ?? [];
        if (k && v) setProperty(out, String(k.value), jsonValue(v));
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(jsonValue);
    default:
      return node.value as JsonValue;
  }
}

function describeJsonError(code: string): string {
  // "CloseBraceExpected" -> "close brace expected"
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
