/**
 * Variable declarations from `.tf` files: `variable "name" { type, default, description,
 * sensitive, nullable, validation { ... } }`.
 */
import type { Diagnostic, Range } from './diagnostics.js';
import { constantValue, evaluate, type JsonValue } from './evaluate.js';
import { parse } from './parser.js';
import type { Attribute, Block, SyntaxFile } from './syntax.js';

export interface VariableDeclaration {
  name: string;
  /** The type expression as written (`list(string)`), or undefined when the type is `any`/absent. */
  type?: string;
  /** The type expression's syntax, for turning it into a JSON Schema. */
  typeExpr?: Attribute['expr'];
  hasDefault: boolean;
  /** The default as Terraform computes it (constantValue: `24 * 60` is 1440). */
  default?: JsonValue;
  /** The default in the official parser's form (evaluate), for comparing with that parser. */
  officialDefault?: JsonValue;
  description?: string;
  sensitive: boolean;
  nullable: boolean;
  validations: number;
  range: Range;
  line: number;
}

export interface VariablesFile {
  variables: VariableDeclaration[];
  diagnostics: Diagnostic[];
  syntax: SyntaxFile;
}

export function parseVariables(text: string): VariablesFile {
  const syntax = parse(text);
  const variables: VariableDeclaration[] = [];
  for (const item of syntax.body.items) {
    if (item.type === 'block' && item.blockType === 'variable' && item.labels.length === 1) {
      variables.push(declaration(item, syntax));
    }
  }
  return { variables, diagnostics: syntax.diagnostics, syntax };
}

function declaration(block: Block, syntax: SyntaxFile): VariableDeclaration {
  const attrs = new Map<string, Attribute>();
  let validations = 0;
  for (const item of block.body.items) {
    if (item.type === 'attribute') attrs.set(item.name, item);
    else if (item.blockType === 'validation') validations++;
  }
  const valueOf = (name: string) => {
    const a = attrs.get(name);
    return a ? evaluate(a.expr, syntax.text) : undefined;
  };
  const typeAttr = attrs.get('type');
  const description = valueOf('description');
  const decl: VariableDeclaration = {
    name: block.labels[0]!,
    hasDefault: attrs.has('default'),
    sensitive: valueOf('sensitive') === true,
    nullable: valueOf('nullable') !== false,
    validations,
    range: block.range,
    line: syntax.lines.position(block.range.start).line,
  };
  if (typeAttr) {
    decl.type = syntax.text.slice(typeAttr.expr.start, typeAttr.expr.end);
    decl.typeExpr = typeAttr.expr;
  }
  if (decl.hasDefault) {
    const expr = attrs.get('default')!.expr;
    decl.default = constantValue(expr, syntax.text).value;
    decl.officialDefault = evaluate(expr, syntax.text);
  }
  if (typeof description === 'string') decl.description = description;
  return decl;
}
