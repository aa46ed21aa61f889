/**
 * The classes behind the expression nodes of syntax.ts. A node keeps its offsets as two plain
 * fields and builds its `range` object only when someone reads it: with a `{ start, end }` object
 * per node, every list item cost two objects instead of one, and long lists were mostly ranges.
 *
 * Fields are `declare`d and assigned in constructors rather than written as class fields: with
 * this project's target, class fields compile to a per-instance initializer that took a fifth of
 * the parse time on large files.
 */
import type { Range } from './diagnostics.js';
import type {
  BinaryOperator, DirectivePart, Expression, HeredocExpr, InterpolationPart, ObjectItem, TemplatePart,
} from './syntax.js';

class Node<K extends string> {
  declare readonly type: K;
  declare start: number;
  declare end: number;

  constructor(type: K, start: number, end: number) {
    this.type = type;
    this.start = start;
    this.end = end;
  }

  get range(): Range {
    return { start: this.start, end: this.end };
  }
}

/** Nodes that are only a kind and a span: traversals, other computed expressions, errors, literal text. */
export function leaf<K extends 'traversal' | 'other' | 'error' | 'literal'>(type: K, start: number, end: number): Node<K> {
  return new Node(type, start, end);
}

export class LiteralNode extends Node<'literal'> {
  declare value: number | boolean | null;
  constructor(start: number, end: number, value: number | boolean | null) {
    super('literal', start, end);
    this.value = value;
  }
}

export class TemplateNode extends Node<'template'> {
  declare parts: TemplatePart[];
  constructor(start: number, end: number, parts: TemplatePart[]) {
    super('template', start, end);
    this.parts = parts;
  }
}

/**
 * A quoted string of plain text (no interpolation, no directive), the most common node of all. Its
 * one literal part is made when `parts` is read, so that a long list of strings costs one object
 * per item; evaluate.ts reads the text straight from the offsets.
 */
export class PlainTemplateNode extends Node<'template'> {
  constructor(start: number, end: number) {
    super('template', start, end);
  }

  get parts(): TemplatePart[] {
    return [leaf('literal', this.start + 1, this.end - 1)];
  }
}

export class HeredocNode extends Node<'heredoc'> implements HeredocExpr {
  declare marker: string;
  declare indented: boolean;
  declare parts: TemplatePart[];
  constructor(start: number, end: number, marker: string, indented: boolean, parts: TemplatePart[]) {
    super('heredoc', start, end);
    this.marker = marker;
    this.indented = indented;
    this.parts = parts;
  }
}

export class TupleNode extends Node<'tuple'> {
  declare items: Expression[];
  constructor(start: number, end: number, items: Expression[]) {
    super('tuple', start, end);
    this.items = items;
  }
}

export class ObjectItemNode implements ObjectItem {
  declare key: Expression;
  declare value: Expression;
  declare leadComments?: Range;
  declare lineComment?: Range;
  constructor(key: Expression, value: Expression) {
    this.key = key;
    this.value = value;
  }

  get start(): number {
    return this.key.start;
  }

  get end(): number {
    return this.value.end;
  }

  get range(): Range {
    return { start: this.start, end: this.end };
  }
}

export class ObjectNode extends Node<'object'> {
  declare items: ObjectItem[];
  constructor(start: number, end: number, items: ObjectItem[]) {
    super('object', start, end);
    this.items = items;
  }
}

export class UnaryNode extends Node<'unary'> {
  declare operator: '-' | '!';
  declare operand: Expression;
  constructor(start: number, end: number, operator: '-' | '!', operand: Expression) {
    super('unary', start, end);
    this.operator = operator;
    this.operand = operand;
  }
}

export class BinaryNode extends Node<'binary'> {
  declare operator: BinaryOperator;
  declare left: Expression;
  declare right: Expression;
  constructor(start: number, end: number, operator: BinaryOperator, left: Expression, right: Expression) {
    super('binary', start, end);
    this.operator = operator;
    this.left = left;
    this.right = right;
  }
}

export class ParensNode extends Node<'parens'> {
  declare inner: Expression;
  constructor(start: number, end: number, inner: Expression) {
    super('parens', start, end);
    this.inner = inner;
  }
}

export class ConditionalNode extends Node<'conditional'> {
  declare condition: Expression;
  declare whenTrue: Expression;
  declare whenFalse: Expression;
  constructor(start: number, end: number, condition: Expression, whenTrue: Expression, whenFalse: Expression) {
    super('conditional', start, end);
    this.condition = condition;
    this.whenTrue = whenTrue;
    this.whenFalse = whenFalse;
  }
}

export class InterpolationNode extends Node<'interpolation'> implements InterpolationPart {
  declare expr: Expression;
  declare stripBefore: boolean;
  declare stripAfter: boolean;
  constructor(start: number, end: number, expr: Expression, stripBefore: boolean) {
    super('interpolation', start, end);
    this.expr = expr;
    this.stripBefore = stripBefore;
    this.stripAfter = false;
  }
}

export class DirectiveNode extends Node<'directive'> implements DirectivePart {
  declare keyword: DirectivePart['keyword'];
  declare stripBefore: boolean;
  declare stripAfter: boolean;
  /** for: the loop variables. */
  declare keyVar?: string;
  declare valueVar?: string;
  /** if: the condition; for: the collection. */
  declare expr?: Expression;
  constructor(start: number, end: number, keyword: DirectivePart['keyword'], stripBefore: boolean) {
    super('directive', start, end);
    this.keyword = keyword;
    this.stripBefore = stripBefore;
    this.stripAfter = false;
  }
}
