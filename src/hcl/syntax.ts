/**
 * The concrete syntax tree. The tokens (see scanner.ts) hold every byte; the nodes here point into
 * them by offset, so the tree never has to store text of its own and printing is lossless by
 * construction. Like Go's hclwrite, an attribute keeps its name, expression, lead comments and line
 * comment apart, which is what in-place edits need.
 */
import type { Diagnostic, Range } from './diagnostics.js';
import type { LineCounter } from './line-counter.js';
import type { Tokens } from './scanner.js';

export interface SyntaxFile {
  text: string;
  tokens: Tokens;
  body: Body;
  diagnostics: Diagnostic[];
  lines: LineCounter;
}

export interface Body {
  items: BodyItem[];
  range: Range;
}

export type BodyItem = Attribute | Block;

export interface Attribute {
  type: 'attribute';
  name: string;
  nameRange: Range;
  expr: Expression;
  /** From the name to the end of the expression. */
  range: Range;
  /** A comment after the expression on the same line (`# ...`, `// ...` or a one-line block comment). */
  lineComment?: Range;
  /** Comment lines directly above the attribute, with no blank line between. */
  leadComments?: Range;
  /** The whole lines the attribute occupies: indentation, line comment and the final newline. */
  lineRange: Range;
}

export interface Block {
  type: 'block';
  blockType: string;
  labels: string[];
  body: Body;
  range: Range;
}

export type Expression =
  | LiteralExpr
  | TemplateExpr
  | HeredocExpr
  | TupleExpr
  | ObjectExpr
  | UnaryExpr
  | ParensExpr
  | TraversalExpr
  | ConditionalExpr
  | OtherExpr
  | ErrorExpr;

/** A number, `true`, `false` or `null`. */
export interface LiteralExpr {
  type: 'literal';
  range: Range;
  value: number | boolean | null;
}

/** A quoted template: `"..."`. */
export interface TemplateExpr {
  type: 'template';
  range: Range;
  parts: TemplatePart[];
}

export interface HeredocExpr {
  type: 'heredoc';
  range: Range;
  marker: string;
  /** `<<-`: the common leading whitespace of the lines is removed. */
  indented: boolean;
  parts: TemplatePart[];
}

export interface TupleExpr {
  type: 'tuple';
  range: Range;
  items: Expression[];
}

export interface ObjectItem {
  key: Expression;
  value: Expression;
  range: Range;
}

export interface ObjectExpr {
  type: 'object';
  range: Range;
  items: ObjectItem[];
}

export interface UnaryExpr {
  type: 'unary';
  range: Range;
  operator: '-' | '!';
  operand: Expression;
}

export interface ParensExpr {
  type: 'parens';
  range: Range;
  inner: Expression;
}

/** A bare name with optional attribute and index steps: `var.x`, `local.list[0]`. */
export interface TraversalExpr {
  type: 'traversal';
  range: Range;
}

/** `cond ? a : b`. */
export interface ConditionalExpr {
  type: 'conditional';
  range: Range;
  condition: Expression;
  whenTrue: Expression;
  whenFalse: Expression;
}

/** Anything else computed: calls, operators, for expressions, splats. */
export interface OtherExpr {
  type: 'other';
  range: Range;
}

/** Where an expression should have been but could not be parsed. */
export interface ErrorExpr {
  type: 'error';
  range: Range;
}

export type TemplatePart = LiteralPart | InterpolationPart | DirectivePart;

export interface LiteralPart {
  type: 'literal';
  /** The text as written, escapes included. */
  range: Range;
}

export interface InterpolationPart {
  type: 'interpolation';
  range: Range;
  expr: Expression;
  stripBefore: boolean;
  stripAfter: boolean;
}

/** `%{ if c }`, `%{ else }`, `%{ endif }`, `%{ for k, v in c }`, `%{ endfor }`. */
export interface DirectivePart {
  type: 'directive';
  range: Range;
  keyword: 'if' | 'else' | 'endif' | 'for' | 'endfor';
  /** for: the loop variables. */
  keyVar?: string;
  valueVar?: string;
  /** if: the condition; for: the collection. */
  expr?: Expression;
  stripBefore: boolean;
  stripAfter: boolean;
}

export function sourceOf(text: string, range: Range): string {
  return text.slice(range.start, range.end);
}
