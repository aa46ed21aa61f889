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

/**
 * Where an expression or template part stands: offsets into the text. `range` is the same as an
 * object, built on each read (prefer start/end in loops): a list item is then one object, not two,
 * which is most of the tree's memory on long lists.
 */
export interface Span {
  start: number;
  end: number;
  readonly range: Range;
}

export type Expression =
  | LiteralExpr
  | TemplateExpr
  | HeredocExpr
  | TupleExpr
  | ObjectExpr
  | UnaryExpr
  | BinaryExpr
  | ParensExpr
  | TraversalExpr
  | ConditionalExpr
  | OtherExpr
  | ErrorExpr;

/** A number, `true`, `false` or `null`. */
export interface LiteralExpr extends Span {
  type: 'literal';
  value: number | boolean | null;
}

/** A quoted template: `"..."`. */
export interface TemplateExpr extends Span {
  type: 'template';
  parts: TemplatePart[];
}

export interface HeredocExpr extends Span {
  type: 'heredoc';
  marker: string;
  /** `<<-`: the common leading whitespace of the lines is removed. */
  indented: boolean;
  parts: TemplatePart[];
}

export interface TupleExpr extends Span {
  type: 'tuple';
  items: Expression[];
}

/** An item of an object, with its comments kept apart as an attribute's are (hclwrite does the same). */
export interface ObjectItem extends Span {
  key: Expression;
  value: Expression;
  /** The comment lines directly above the key. */
  leadComments?: Range;
  /** A comment after the value (or its comma) on the same line. */
  lineComment?: Range;
}

export interface ObjectExpr extends Span {
  type: 'object';
  items: ObjectItem[];
}

export interface UnaryExpr extends Span {
  type: 'unary';
  operator: '-' | '!';
  operand: Expression;
}

export type BinaryOperator = '*' | '/' | '%' | '+' | '-' | '>' | '>=' | '<' | '<=' | '==' | '!=' | '&&' | '||';

/** `a + b`, `a == b`, `a && b`: built with hclsyntax's precedence. */
export interface BinaryExpr extends Span {
  type: 'binary';
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
}

export interface ParensExpr extends Span {
  type: 'parens';
  inner: Expression;
}

/** A bare name with optional attribute and index steps: `var.x`, `local.list[0]`. */
export interface TraversalExpr extends Span {
  type: 'traversal';
}

/** `cond ? a : b`. */
export interface ConditionalExpr extends Span {
  type: 'conditional';
  condition: Expression;
  whenTrue: Expression;
  whenFalse: Expression;
}

/** Anything else computed: calls, for expressions, splats, indexes of computed values. */
export interface OtherExpr extends Span {
  type: 'other';
}

/** Where an expression should have been but could not be parsed. */
export interface ErrorExpr extends Span {
  type: 'error';
}

export type TemplatePart = LiteralPart | InterpolationPart | DirectivePart;

/** Literal text of a template, as written (escapes included): the span is the text. */
export interface LiteralPart extends Span {
  type: 'literal';
}

export interface InterpolationPart extends Span {
  type: 'interpolation';
  expr: Expression;
  stripBefore: boolean;
  stripAfter: boolean;
}

/** `%{ if c }`, `%{ else }`, `%{ endif }`, `%{ for k, v in c }`, `%{ endfor }`. */
export interface DirectivePart extends Span {
  type: 'directive';
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
