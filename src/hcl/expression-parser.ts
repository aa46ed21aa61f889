/**
 * HCL expressions: conditionals, operators, traversals, calls, tuples, objects and for
 * expressions. Only what tfsync evaluates gets a node of its own (literals, templates, tuples,
 * objects, unary and binary operators, conditionals); everything else computed is an
 * `other` node that keeps its span, which is all an edit or an error message needs.
 *
 * Templates (quoted strings and heredocs) are left to template-parser.ts, the subclass.
 */
import { T } from './scanner.js';
import {
  BinaryNode, ConditionalNode, leaf, LiteralNode, ObjectItemNode, ObjectNode, ParensNode, TupleNode, UnaryNode,
} from './syntax-nodes.js';
import type { BinaryOperator, Expression, ObjectItem, TemplateExpr } from './syntax.js';
import { TokenCursor } from './token-cursor.js';

/** Binary operators and their precedence, as in hclsyntax (higher binds tighter; all left-associative). */
const BINARY_OPERATORS = new Map<number, readonly [BinaryOperator, number]>([
  [T.Star, ['*', 6]], [T.Slash, ['/', 6]], [T.Percent, ['%', 6]],
  [T.Plus, ['+', 5]], [T.Minus, ['-', 5]],
  [T.Gt, ['>', 4]], [T.Ge, ['>=', 4]], [T.Lt, ['<', 4]], [T.Le, ['<=', 4]],
  [T.EqEq, ['==', 3]], [T.NotEq, ['!=', 3]],
  [T.And, ['&&', 2]],
  [T.Or, ['||', 1]],
]);

export abstract class ExpressionParser extends TokenCursor {
  protected abstract parseTemplate(): TemplateExpr;
  protected abstract parseHeredoc(): Expression;

  /** Parses an expression with newlines significant or not, restoring the context after. */
  protected expressionIn(newlines: boolean): Expression {
    const saved = this.newlines;
    this.newlines = newlines;
    const expr = this.parseExpression();
    this.newlines = saved;
    return expr;
  }

  protected parseExpression(): Expression {
    const start = this.start((this.peek(), this.i));
    if (!this.enter()) return leaf('error', start, start);
    const condition = this.parseBinary();
    let expr = condition;
    if (!this.failed && this.peek() === T.Question) {
      this.consume();
      const whenTrue = this.parseExpression();
      if (!this.failed) this.expect(T.Colon, 'Expected ":" in the conditional expression');
      const whenFalse = this.failed ? whenTrue : this.parseExpression();
      expr = new ConditionalNode(start, this.lastEnd(), condition, whenTrue, whenFalse);
    }
    this.depth--;
    return expr;
  }

  /** Precedence climbing: operands bind to the operators of at least `minimum` precedence. */
  private parseBinary(minimum = 1): Expression {
    let expr = this.parseUnary();
    for (;;) {
      const operator = this.failed ? undefined : BINARY_OPERATORS.get(this.peek());
      if (!operator || operator[1] < minimum) return expr;
      this.consume();
      const right = this.parseBinary(operator[1] + 1);
      expr = new BinaryNode(expr.start, this.lastEnd(), operator[0], expr, right);
    }
  }

  private parseUnary(): Expression {
    const kind = this.peek();
    if (kind === T.Minus || kind === T.Bang) {
      const start = this.start(this.consume());
      if (!this.enter()) return leaf('error', start, start);
      const operand = this.parseUnary();
      this.depth--;
      return new UnaryNode(start, this.lastEnd(), kind === T.Minus ? '-' : '!', operand);
    }
    return this.parsePostfix(this.parseTerm());
  }

  /** Attribute access, indexes and splats after a term: `a.b`, `a[0]`, `a[*].b`, `a.*.b`. */
  private parsePostfix(base: Expression): Expression {
    let expr = base;
    const start = base.start;
    while (!this.failed) {
      const kind = this.peek();
      let traversal = expr.type === 'traversal';
      if (kind === T.Dot) {
        this.consume();
        const step = this.next();
        const stepKind = this.kinds[step];
        if (stepKind === T.Star) traversal = false;
        else if (stepKind !== T.Ident && stepKind !== T.Number) {
          this.fail('expected-name', 'An attribute name is required after a dot.', step);
          return expr;
        }
      } else if (kind === T.LBracket) {
        this.consume();
        const saved = this.newlines;
        this.newlines = false;
        if (this.peek() === T.Star && this.peekSecond() === T.RBracket) {
          this.consume();
          traversal = false;
        } else {
          this.parseExpression();
        }
        if (!this.failed) this.expect(T.RBracket, 'Expected "]" to close the index');
        this.newlines = saved;
      } else {
        return expr;
      }
      expr = leaf(traversal ? 'traversal' : 'other', start, this.lastEnd());
    }
    return expr;
  }

  private parseTerm(): Expression {
    const kind = this.peek();
    const at = this.i;
    switch (kind) {
      case T.Number:
        this.consume();
        return new LiteralNode(this.start(at), this.end(at), Number(this.textAt(at)));
      case T.Ident:
        return this.parseIdentTerm();
      case T.OQuote:
        return this.parseTemplate();
      case T.OHeredoc:
        return this.parseHeredoc();
      case T.LBracket:
        return this.parseTupleOrFor();
      case T.LBrace:
        return this.parseObjectOrFor();
      case T.LParen: {
        this.consume();
        const inner = this.expressionIn(false);
        if (!this.failed) {
          const saved = this.newlines;
          this.newlines = false;
          this.expect(T.RParen, 'Expected ")" to close the parentheses');
          this.newlines = saved;
        }
        return new ParensNode(this.start(at), this.lastEnd(), inner);
      }
      default:
        this.fail('expected-expression', `Expected the start of an expression, but found ${this.describe(at)}.`, at);
        return leaf('error', this.start(at), this.start(at));
    }
  }

  private parseIdentTerm(): Expression {
    const at = this.consume();
    const start = this.start(at);
    const end = this.end(at);
    if (this.isKeyword(at, 'true') || this.isKeyword(at, 'false')) return new LiteralNode(start, end, this.isKeyword(at, 'true'));
    if (this.isKeyword(at, 'null')) return new LiteralNode(start, end, null);
    // Provider functions are namespaced: provider::aws::arn_parse(...)
    while (this.peek() === T.Colon && this.peekSecond() === T.Colon) {
      this.consume();
      this.next();
      const part = this.next();
      if (this.kinds[part] !== T.Ident) {
        this.fail('expected-name', 'Expected a function name after "::".', part);
        return leaf('error', start, end);
      }
    }
    if (this.peek() !== T.LParen) return leaf('traversal', start, end);
    this.consume();
    const saved = this.newlines;
    this.newlines = false;
    this.parseList(T.RParen, 'Missing argument separator: expected a comma', true);
    this.newlines = saved;
    return leaf('other', start, this.lastEnd());
  }

  /** Comma-separated expressions up to `close` (call arguments and tuples). Newlines ignored. */
  private parseList(close: number, separatorMessage: string, allowEllipsis: boolean): Expression[] {
    const items: Expression[] = [];
    while (this.peek() !== close) {
      items.push(this.parseExpression());
      if (this.failed) return items;
      let kind = this.peek();
      if (allowEllipsis && kind === T.Ellipsis) {
        this.consume();
        kind = this.peek();
      }
      if (kind === T.Comma) this.consume();
      else if (kind !== close) {
        this.fail('expected-separator', `${separatorMessage}, but found ${this.describe(this.i)}.`, this.i);
        return items;
      }
    }
    this.consume();
    return items;
  }

  /** `for` first in brackets always opens a for expression, as in HCL (`[for]` is an error). */
  private atForKeyword(): boolean {
    return this.isKeyword((this.peek(), this.i), 'for');
  }

  private parseTupleOrFor(): Expression {
    const start = this.start(this.consume());
    const saved = this.newlines;
    this.newlines = false;
    let expr: Expression;
    if (this.atForKeyword()) {
      this.parseForClauses(T.RBracket, false);
      expr = leaf('other', start, this.lastEnd());
    } else {
      const items = this.parseList(T.RBracket, 'Missing item separator: expected a comma', false);
      expr = new TupleNode(start, this.lastEnd(), items);
    }
    this.newlines = saved;
    return expr;
  }

  private parseObjectOrFor(): Expression {
    const start = this.start(this.consume());
    const saved = this.newlines;
    this.newlines = false;
    if (this.atForKeyword()) {
      this.parseForClauses(T.RBrace, true);
      this.newlines = saved;
      return leaf('other', start, this.lastEnd());
    }
    // Object items are separated by newlines or commas, so here newlines count.
    this.newlines = true;
    const items: ObjectItem[] = [];
    for (;;) {
      let kind = this.peek();
      while (kind === T.Newline) {
        this.consume();
        kind = this.peek();
      }
      if (kind === T.RBrace) {
        this.consume();
        break;
      }
      const keyIndex = this.i;
      const key = this.parseExpression();
      if (this.failed) break;
      const separator = this.next();
      if (this.kinds[separator] !== T.Equals && this.kinds[separator] !== T.Colon) {
        this.fail('expected-equals', `Missing key/value separator: expected "=" or ":", but found ${this.describe(separator)}.`, separator);
        break;
      }
      const value = this.parseExpression();
      if (this.failed) break;
      const item = new ObjectItemNode(key, value);
      items.push(item);
      const lead = this.leadCommentsBefore(keyIndex);
      if (lead) item.leadComments = lead;
      const after = this.peek();
      // `key = value, # why`: the comment after the comma is the item's too.
      const lineComment = this.lineCommentAfter(after === T.Comma ? this.i : this.last);
      if (lineComment) item.lineComment = lineComment;
      if (after === T.Comma || after === T.Newline) this.consume();
      else if (after !== T.RBrace) {
        this.fail('expected-separator', `Missing attribute separator: expected a newline or comma, but found ${this.describe(this.i)}.`, this.i);
        break;
      }
    }
    this.newlines = saved;
    return new ObjectNode(start, this.lastEnd(), items);
  }

  /** `for k, v in coll : expr [=> expr [...]] [if cond]` up to the closing bracket. */
  private parseForClauses(close: typeof T.RBracket | typeof T.RBrace, isObject: boolean): void {
    this.consume(); // for
    this.expect(T.Ident, 'Expected a variable name after "for"');
    if (!this.failed && this.peek() === T.Comma) {
      this.consume();
      this.expect(T.Ident, 'Expected a second variable name');
    }
    if (this.failed) return;
    const keyword = this.next();
    if (!this.isKeyword(keyword, 'in')) {
      this.fail('expected-name', `Expected "in" in the for expression, but found ${this.describe(keyword)}.`, keyword);
      return;
    }
    this.parseExpression();
    if (!this.failed) this.expect(T.Colon, 'Expected ":" in the for expression');
    if (!this.failed) this.parseExpression();
    if (!this.failed && isObject) {
      this.expect(T.Arrow, 'Expected "=>" in the object for expression');
      if (!this.failed) this.parseExpression();
      if (!this.failed && this.peek() === T.Ellipsis) this.consume();
    }
    if (!this.failed && this.isKeyword((this.peek(), this.i), 'if')) {
      this.consume();
      this.parseExpression();
    }
    if (!this.failed) this.expect(close, `Expected "${close === T.RBrace ? '}' : ']'}" to close the for expression`);
  }
}
