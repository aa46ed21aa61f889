/**
 * A variables file as tfsync uses it: its attributes in order, each with its value (as Terraform
 * computes it: see evaluate.ts's constantValue), the source text of its expression and where it
 * stands. Reads both the native syntax (`.tfvars`) and the JSON syntax (`.tfvars.json`, whose
 * strings Terraform takes literally: `"${x}"` there is the text `${x}`, never a template).
 *
 * Terraform's rule for variables files is kept too: a reference or a function call is an error
 * (tfvars-validity.ts), which every command reading the file reports.
 */
import { createRequire } from 'node:module';
import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import { diagnostic, type Diagnostic, type Range } from './diagnostics.js';
import { exactNumber } from './constant-ops.js';
import { constantValue, evaluate, exactDecimal, setProperty, type JsonValue } from './evaluate.js';
import { LineCounter } from './line-counter.js';
import { duplicateAttribute } from './body-parser.js';
import { parse } from './parser.js';
import { scan, type Tokens } from './scanner.js';
import type { Attribute } from './syntax.js';
import type { KeyPath } from './key-path.js';
import { nonConstantDiagnostics } from './tfvars-validity.js';

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
  /**
   * An item of an object place (object-place.ts) whose value is not a constant: a reference
   * (`dependency.vpc.outputs.id`, `local.x`), a function call, an operator. Its value is its source.
   */
  computed?: boolean;
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
  /**
   * The values are the items of an object inside the file (a Terragrunt `inputs`, one entry of a
   * map of environments), not its top-level attributes: see object-place.ts.
   */
  place?: { path: KeyPath; found: boolean };
}

export function isJsonVariablesFile(path: string): boolean {
  return path.toLowerCase().endsWith('.json');
}

/** Parses a variables file; `json` selects the JSON syntax. Never throws. */
export function parseTfvars(text: string, options: { json?: boolean } = {}): TfvarsDocument {
  return options.json ? parseJsonTfvars(text) : parseHclTfvars(text);
}

/**
 * Values are evaluated as the parser hands each attribute over, and only offsets are kept: holding
 * every expression tree of a large file cost more than parsing it.
 */
function parseHclTfvars(text: string): TfvarsDocument {
  const handed: HclAttribute[] = [];
  const refused: Diagnostic[] = [];
  const syntax = parse(text, {
    tfvars: true,
    onAttribute: (item) => {
      const { value, constant } = constantValue(item.expr, text);
      if (!constant) refused.push(...nonConstantDiagnostics(item.expr, text));
      handed.push(new HclAttribute(text, item, value));
    },
  });
  const lines = syntax.lines;
  // Attributes come in file order, so one walk along the line starts numbers them all.
  let line = 1;
  for (const attribute of handed) {
    while (line < lines.lineStarts.length && lines.lineStarts[line]! <= attribute.nameStart) line++;
    attribute.line = line;
  }
  // Names set twice are found here, once the file is read (see ParseOptions.onAttribute): each is
  // an error, and the first value is the one read.
  const byName = new Map<string, HclAttribute>();
  const duplicates: Diagnostic[] = [];
  for (const attribute of handed) {
    const earlier = byName.get(attribute.name);
    if (earlier) duplicates.push(duplicateAttribute(attribute.name, attribute.nameRange, earlier.line));
    else byName.set(attribute.name, attribute);
  }
  const attributes = duplicates.length === 0 ? handed : handed.filter((a) => byName.get(a.name) === a);
  const extra = refused.length === 0 ? duplicates : [...duplicates, ...refused];
  const diagnostics = extra.length === 0 ? syntax.diagnostics : [...syntax.diagnostics, ...extra].sort((a, b) => a.range.start - b.range.start);
  let tokens: Tokens | undefined;
  return {
    format: 'hcl',
    text,
    attributes,
    byName,
    diagnostics,
    lines,
    // Only edits need the tokens. Scanning again for the few files written costs less than keeping
    // them on every document read (a fifth of the memory of a repository's documents).
    get tokens() {
      return (tokens ??= scan(text).tokens);
    },
  };
}

/**
 * An attribute of a native-syntax file. It keeps offsets, and makes the ranges and the source text
 * when they are read: a document keeps every attribute alive, and one object per attribute instead
 * of up to six (four ranges and a string besides) made documents a third smaller, and parsing
 * faster (the garbage collector copies every object that outlives the parse).
 */
class HclAttribute implements TfvarsAttribute {
  declare name: string;
  declare value: JsonValue;
  declare line: number;
  declare readonly nameStart: number;
  declare private readonly text: string;
  declare private readonly nameEnd: number;
  declare private readonly valueStart: number;
  declare private readonly valueEnd: number;
  declare private readonly lineStart: number;
  declare private readonly lineEnd: number;
  /** -1 without a line comment. */
  declare private readonly commentStart: number;
  declare private readonly commentEnd: number;

  // Fields are assigned here rather than declared with initializers: see syntax-nodes.ts.
  constructor(text: string, item: Attribute, value: JsonValue) {
    this.name = item.name;
    this.value = value;
    this.line = 0;
    this.text = text;
    this.nameStart = item.nameRange.start;
    this.nameEnd = item.nameRange.end;
    this.valueStart = item.expr.start;
    this.valueEnd = item.expr.end;
    this.lineStart = item.lineRange.start;
    this.lineEnd = item.lineRange.end;
    this.commentStart = item.lineComment?.start ?? -1;
    this.commentEnd = item.lineComment?.end ?? -1;
  }

  get source(): string {
    return this.text.slice(this.valueStart, this.valueEnd);
  }

  get nameRange(): Range {
    return { start: this.nameStart, end: this.nameEnd };
  }

  get valueRange(): Range {
    return { start: this.valueStart, end: this.valueEnd };
  }

  get lineRange(): Range {
    return { start: this.lineStart, end: this.lineEnd };
  }

  get lineComment(): Range | undefined {
    return this.commentStart < 0 ? undefined : { start: this.commentStart, end: this.commentEnd };
  }
}

/**
 * jsonc-parser, loaded on first use: it takes ~10 ms to load (a CommonJS bundle), a fifth of
 * `tfsync diff`'s own time, and most repositories have no `.tfvars.json` file.
 */
let jsonc: typeof import('jsonc-parser') | undefined;
export function jsoncParser(): typeof import('jsonc-parser') {
  return (jsonc ??= createRequire(import.meta.url)('jsonc-parser') as typeof import('jsonc-parser'));
}

function parseJsonTfvars(text: string): TfvarsDocument {
  const { parseTree, printParseErrorCode } = jsoncParser();
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
      value: jsonValue(valueNode, text),
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

function jsonValue(node: JsonNode, text: string): JsonValue {
  switch (node.type) {
    case 'object': {
      const out: { [key: string]: JsonValue } = {};
      for (const property of node.children ?? []) {
        const [k, v] = property.children ?? [];
        if (k && v) setProperty(out, String(k.value), jsonValue(v, text));
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map((item) => jsonValue(item, text));
    case 'number': {
      // An integer beyond 2^53 is read exactly from its text, as Terraform's JSON parser does.
      const source = () => text.slice(node.offset, node.offset + node.length);
      return exactNumber(node.value as number, () => {
        const literal = source();
        return literal.startsWith('-') ? `-${exactDecimal(literal.slice(1))}` : exactDecimal(literal);
      });
    }
    default:
      return node.value as JsonValue;
  }
}

/**
 * The values of a native-syntax file in the official parser's form (evaluate.ts's `evaluate`):
 * what a second opinion from that parser is compared with. The first of a name set twice counts.
 */
export function officialFormValues(text: string): Map<string, JsonValue> {
  const values = new Map<string, JsonValue>();
  parse(text, { tfvars: true, onAttribute: (item) => values.has(item.name) || values.set(item.name, evaluate(item.expr, text)) });
  return values;
}

function describeJsonError(code: string): string {
  // "CloseBraceExpected" -> "close brace expected"
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
