/**
 * A recursive-descent parser for the HCL native syntax, over the scanner's tokens. It builds the
 * concrete syntax tree of syntax.ts and never throws: errors become diagnostics, and the parser
 * recovers at the next line so that one mistake does not hide the rest of the file.
 *
 * Newlines matter in HCL only in some places: they end attributes and separate object items, but
 * are ignored inside parentheses, brackets and interpolations; `newlines` records which applies.
 *
 * Tokens are addressed by index into the scanner's typed arrays: the parser allocates nothing per
 * token, only the tree itself, which is what keeps it fast on large files.
 */
import { diagnostic, type Diagnostic, type DiagnosticCode, type Range } from './diagnostics.js';
import { LineCounter } from './line-counter.js';
import { scan, T, type TokenKind, type Tokens } from './scanner.js';
import type {
  Attribute, Block, Body, BodyItem, DirectivePart, Expression, ObjectItem, SyntaxFile, TemplateExpr, TemplatePart,
} from './syntax.js';
import { cookTemplateLiteral } from './template-text.js';

export interface ParseOptions {
  /** A variables file: blocks are not allowed (Terraform rejects them). */
  tfvars?: boolean;
  /**
   * Receives each top-level attribute as soon as it is parsed; it is then not kept in the body.
   * A caller that needs only values evaluates it there and lets the expression tree go, so a large
   * file is never held as one tree (that retention, not parsing, dominated loading large repos).
   */
  onAttribute?: (attribute: Attribute) => void;
}

/** Nesting deeper than this is reported instead of risking the call stack. */
export const MAX_NESTING = 256;

const BINARY_OPERATORS = new Set<number>([
  T.Plus, T.Minus, T.Star, T.Slash, T.Percent, T.EqEq, T.NotEq, T.Lt, T.Gt, T.Le, T.Ge, T.And, T.Or,
]);

const DIRECTIVES = new Set(['if', 'else', 'endif', 'for', 'endfor']);

export function parse(text: string, options: ParseOptions = {}): SyntaxFile {
  const scanned = scan(text);
  const parser = new Parser(text, scanned.tokens, options);
  const body = parser.parseBody(false);
  const diagnostics = mergeDiagnostics(scanned.diagnostics, parser.diagnostics);
  return { text, tokens: scanned.tokens, body, diagnostics, lines: parser.lines };
}

/** One expression on its own, such as a value's source text; offsets are into `text`. */
export function parseExpression(text: string): { expr: Expression; diagnostics: Diagnostic[] } {
  const scanned = scan(text);
  const parser = new Parser(text, scanned.tokens, {});
  const expr = parser.parseStandaloneExpression();
  return { expr, diagnostics: mergeDiagnostics(scanned.diagnostics, parser.diagnostics) };
}

/** In position order; the scanner and the parser can both notice an unterminated string: once. */
function mergeDiagnostics(a: Diagnostic[], b: Diagnostic[]): Diagnostic[] {
  if (a.length + b.length === 0) return [];
  const seen = new Set<string>();
  return [...a, ...b]
    .sort((x, y) => x.range.start - y.range.start)
    .filter((d) => {
      const key = `${d.code}:${d.range.start}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
}

class Parser {
  readonly diagnostics: Diagnostic[] = [];
  private readonly kinds: Uint8Array;
  private readonly starts: Int32Array;
  /** Index of the next token. */
  private i = 0;
  /** Index of the last significant token consumed. */
  private last = -1;
  /** Whether newlines are significant in the current context. */
  private newlines = true;
  private depth = 0;
  private lineCounter?: LineCounter;
  /** Set on the first error of an item; parsing unwinds to the item level and recovers there. */
  private failed = false;

  constructor(
    private readonly text: string,
    tokens: Tokens,
    private readonly options: ParseOptions,
  ) {
    this.kinds = tokens.kinds;
    this.starts = tokens.starts;
  }

  get lines(): LineCounter {
    return (this.lineCounter ??= new LineCounter(this.text));
  }

  // --- token access -------------------------------------------------------------------------

  private isTrivia(kind: number): boolean {
    return kind === T.Ws || kind === T.Comment || (kind === T.Newline && !this.newlines);
  }

  /** The kind of the next significant token (skipping trivia for the current context). */
  private peek(): number {
    while (this.isTrivia(this.kinds[this.i]!)) this.i++;
    return this.kinds[this.i]!;
  }

  /** The kind of the significant token after the next one, consuming nothing. */
  private peekSecond(): number {
    this.peek();
    let j = this.i + 1;
    while (j < this.kinds.length && this.isTrivia(this.kinds[j]!)) j++;
    return this.kinds[Math.min(j, this.kinds.length - 1)]!;
  }

  /** Consumes the next significant token and returns its index. Never moves past Eof. */
  private next(): number {
    this.peek();
    return this.consume();
  }

  /** Consumes the very next token, trivia or not (inside templates whitespace is content). */
  private consume(): number {
    const at = this.i;
    if (this.kinds[at] !== T.Eof) {
      this.last = at;
      this.i++;
    }
    return at;
  }

  private start(i: number): number {
    return this.starts[i]!;
  }

  private end(i: number): number {
    return this.starts[i + 1]!;
  }

  private textAt(i: number): string {
    return this.text.slice(this.starts[i], this.starts[i + 1]);
  }

  private lastEnd(): number {
    return this.last >= 0 ? this.end(this.last) : 0;
  }

  private isKeyword(i: number, word: string): boolean {
    return this.kinds[i] === T.Ident && this.textAt(i) === word;
  }

  private fail(code: DiagnosticCode, message: string, at: number | Range): void {
    if (this.failed) return;
    this.failed = true;
    const range = typeof at === 'number' ? { start: this.start(at), end: this.end(at) } : at;
    this.diagnostics.push(diagnostic(code, message, range.start, range.end));
  }

  private describe(i: number): string {
    switch (this.kinds[i]) {
      case T.Eof: return 'the end of the file';
      case T.Newline: return 'a newline';
      case T.OQuote: case T.OHeredoc: return 'a string';
      default: return JSON.stringify(this.textAt(i));
    }
  }

  private expect(kind: TokenKind, message: string): number {
    const t = this.next();
    if (this.kinds[t] !== kind) {
      const closing = kind === T.RParen || kind === T.RBracket || kind === T.RBrace;
      this.fail(closing ? 'expected-closing' : 'expected-separator', `${message}, but found ${this.describe(t)}.`, t);
    }
    return t;
  }

  /** Counts a level of nesting; false (and an error) past MAX_NESTING, before the stack is at risk. */
  private enter(): boolean {
    if (this.depth >= MAX_NESTING) {
      this.fail('too-deep', `Nesting deeper than ${MAX_NESTING} levels is not supported.`, (this.peek(), this.i));
      return false;
    }
    this.depth++;
    return true;
  }

  parseStandaloneExpression(): Expression {
    const expr = this.parseExpression();
    let kind = this.peek();
    while (kind === T.Newline) {
      this.consume();
      kind = this.peek();
    }
    if (!this.failed && kind !== T.Eof) {
      this.fail('expected-newline', `Expected the end of the expression, but found ${this.describe(this.i)}.`, this.i);
    }
    return expr;
  }

  // --- bodies --------------------------------------------------------------------------------

  parseBody(inBlock: boolean): Body {
    const items: BodyItem[] = [];
    const handOff = inBlock ? undefined : this.options.onAttribute;
    /** Where each name was first set, for duplicates (offsets, so that no tree is kept alive). */
    const seen = new Map<string, number>();
    const start = this.start(this.i);
    for (;;) {
      let kind = this.peek();
      while (kind === T.Newline) {
        this.consume();
        kind = this.peek();
      }
      if (kind === T.Eof || (inBlock && kind === T.RBrace)) break;
      const itemStart = this.i;
      const item = this.parseItem();
      if (this.failed || !item) {
        this.recover(itemStart);
        this.failed = false;
        continue;
      }
      if (item.type === 'attribute') {
        const earlier = seen.get(item.name);
        if (earlier !== undefined) this.reportDuplicate(item, earlier);
        else seen.set(item.name, item.nameRange.start);
        if (handOff) handOff(item);
        else items.push(item);
        continue;
      }
      items.push(item);
      if (this.options.tfvars && !inBlock) {
        const at = item.range.start;
        this.diagnostics.push(
          diagnostic('block-in-tfvars', `A variables file holds attributes only; found a "${item.blockType}" block.`, at, at + item.blockType.length),
        );
      }
    }
    return { items, range: { start, end: this.lastEnd() } };
  }

  private reportDuplicate(item: Attribute, earlierAt: number): void {
    const { line } = this.lines.position(earlierAt);
    const message = `Attribute "${item.name}" is set twice; it was already set on line ${line}.`;
    this.diagnostics.push(diagnostic('duplicate-attribute', message, item.nameRange.start, item.nameRange.end));
  }

  private parseItem(): BodyItem | undefined {
    const name = this.next();
    if (this.kinds[name] !== T.Ident) {
      this.fail('expected-name', `Expected an attribute or block definition, but found ${this.describe(name)}.`, name);
      return undefined;
    }
    const after = this.peek();
    if (after === T.Equals) {
      this.consume();
      return this.parseAttribute(name, false);
    }
    if (after === T.LBrace || after === T.OQuote || after === T.Ident) return this.parseBlock(name);
    this.fail('expected-equals', `Expected "=" after the attribute name "${this.textAt(name)}", but found ${this.describe(this.i)}.`, this.i);
    return undefined;
  }

  /** After an attribute or block: a newline or the end of the file. */
  private expectItemEnd(what: string): boolean {
    const kind = this.peek();
    if (kind === T.Newline || kind === T.Eof) return true;
    this.fail('expected-newline', `Missing newline after ${what}: a definition must end with a newline.`, this.i);
    return false;
  }

  /** `name = expr`, the name consumed; in a single-line block it ends at the block's `}`. */
  private parseAttribute(nameIndex: number, singleLine: boolean): Attribute | undefined {
    const expr = this.parseExpression();
    if (this.failed) return undefined;
    const lastIndex = this.last;
    if (singleLine) {
      if (this.peek() !== T.RBrace) {
        this.fail('expected-closing', `A single-line block must close on the same line, but found ${this.describe(this.i)}.`, this.i);
        return undefined;
      }
    } else if (!this.expectItemEnd('argument')) {
      return undefined;
    }
    if (this.kinds[this.i] === T.Newline) this.consume();
    const nameStart = this.start(nameIndex);
    const attribute: Attribute = {
      type: 'attribute',
      name: this.textAt(nameIndex),
      nameRange: { start: nameStart, end: this.end(nameIndex) },
      expr,
      range: { start: nameStart, end: expr.range.end },
      lineRange: this.lineRange(nameIndex, lastIndex),
    };
    const lineComment = this.lineCommentAfter(lastIndex);
    if (lineComment) attribute.lineComment = lineComment;
    const lead = this.leadCommentsBefore(nameIndex);
    if (lead) attribute.leadComments = lead;
    return attribute;
  }

  private parseBlock(typeIndex: number): Block | undefined {
    const labels: string[] = [];
    for (let kind = this.peek(); kind === T.Ident || kind === T.OQuote; kind = this.peek()) {
      if (kind === T.Ident) {
        labels.push(this.textAt(this.consume()));
        continue;
      }
      const label = this.parseTemplate();
      if (this.failed) return undefined;
      labels.push(this.labelText(label));
    }
    const open = this.next();
    if (this.kinds[open] !== T.LBrace) {
      this.fail('expected-closing', `Expected "{" to open the block, but found ${this.describe(open)}.`, open);
      return undefined;
    }
    if (!this.enter()) return undefined;
    const saved = this.newlines;
    this.newlines = true;
    // HCL's two block forms: `{` then a newline opens a multi-line body; otherwise the block holds
    // at most one attribute and closes on the same line.
    const body = this.peek() === T.Newline ? this.parseBody(true) : this.parseSingleLineBody();
    this.newlines = saved;
    this.depth--;
    if (this.failed) return undefined;
    const close = this.expect(T.RBrace, `Expected "}" to close the "${this.textAt(typeIndex)}" block`);
    if (this.failed || !this.expectItemEnd('block definition')) return undefined;
    const blockType = this.textAt(typeIndex);
    return { type: 'block', blockType, labels, body, range: { start: this.start(typeIndex), end: this.end(close) } };
  }

  private parseSingleLineBody(): Body {
    const start = this.start(this.i);
    const items: BodyItem[] = [];
    if (this.peek() !== T.RBrace) {
      const name = this.next();
      if (this.kinds[name] !== T.Ident || this.peek() !== T.Equals) {
        this.fail('expected-newline', 'A single-line block holds at most one attribute and no blocks; put its contents on their own lines.', name);
        return { items, range: { start, end: start } };
      }
      this.consume();
      const attribute = this.parseAttribute(name, true);
      if (attribute) items.push(attribute);
    }
    return { items, range: { start, end: this.lastEnd() } };
  }

  private labelText(label: TemplateExpr): string {
    return label.parts
      .map((p) => (p.type === 'literal' ? cookTemplateLiteral(this.text.slice(p.range.start, p.range.end)) : ''))
      .join('');
  }

  /**
   * After an error, skip to the end of the line on which the item's brackets are balanced again,
   * so the next item starts clean.
   */
  private recover(itemStart: number): void {
    const failedAt = this.i;
    let depth = 0;
    let j = itemStart;
    for (; this.kinds[j] !== T.Eof; j++) {
      const kind = this.kinds[j];
      if (kind === T.LBrace || kind === T.LBracket || kind === T.LParen || kind === T.Interp || kind === T.Control) depth++;
      else if (kind === T.RBrace || kind === T.RBracket || kind === T.RParen || kind === T.InterpEnd) depth--;
      else if (kind === T.Newline && j >= failedAt && depth <= 0) {
        j++;
        break;
      }
    }
    this.i = Math.max(j, failedAt);
    this.last = this.i - 1;
  }

  // --- attribute surroundings ----------------------------------------------------------------

  /** From the start of the name's line (if only indentation precedes it) through the newline. */
  private lineRange(firstIndex: number, lastIndex: number): Range {
    let start = this.start(firstIndex);
    let j = firstIndex - 1;
    while (j >= 0 && this.kinds[j] === T.Ws) j--;
    if (j < 0 || this.kinds[j] === T.Newline) start = this.start(j + 1);
    let k = lastIndex + 1;
    while (this.kinds[k] === T.Ws || this.kinds[k] === T.Comment) k++;
    // Through the newline; on the last line of a file without one, through its comment.
    const end = this.kinds[k] === T.Newline ? this.end(k) : this.kinds[k] === T.Eof ? this.start(k) : this.end(lastIndex);
    return { start, end };
  }

  private lineCommentAfter(lastIndex: number): Range | undefined {
    let k = lastIndex + 1;
    while (this.kinds[k] === T.Ws) k++;
    if (this.kinds[k] !== T.Comment || /[\r\n]/.test(this.textAt(k))) return undefined;
    let m = k + 1;
    while (this.kinds[m] === T.Ws) m++;
    const kind = this.kinds[m];
    return kind === T.Newline || kind === T.Eof ? { start: this.start(k), end: this.end(k) } : undefined;
  }

  /** Comment lines directly above the attribute (each line: indentation, one comment, newline). */
  private leadCommentsBefore(nameIndex: number): Range | undefined {
    let j = nameIndex - 1;
    while (j >= 0 && this.kinds[j] === T.Ws) j--;
    let first = -1;
    let lastComment = -1;
    while (j >= 0 && this.kinds[j] === T.Newline) {
      let k = j - 1;
      while (k >= 0 && this.kinds[k] === T.Ws) k--;
      if (k < 0 || this.kinds[k] !== T.Comment) break;
      let m = k - 1;
      while (m >= 0 && this.kinds[m] === T.Ws) m--;
      if (m >= 0 && this.kinds[m] !== T.Newline) break;
      first = k;
      if (lastComment < 0) lastComment = k;
      j = m;
    }
    return first >= 0 ? { start: this.start(first), end: this.end(lastComment) } : undefined;
  }

  // --- expressions ---------------------------------------------------------------------------

  /** Parses an expression with newlines significant or not, restoring the context after. */
  private expressionIn(newlines: boolean): Expression {
    const saved = this.newlines;
    this.newlines = newlines;
    const expr = this.parseExpression();
    this.newlines = saved;
    return expr;
  }

  private parseExpression(): Expression {
    const start = this.start((this.peek(), this.i));
    if (!this.enter()) return { type: 'error', range: { start, end: start } };
    const condition = this.parseBinary();
    let expr = condition;
    if (!this.failed && this.peek() === T.Question) {
      this.consume();
      const whenTrue = this.parseExpression();
      if (!this.failed) this.expect(T.Colon, 'Expected ":" in the conditional expression');
      const whenFalse = this.failed ? whenTrue : this.parseExpression();
      expr = { type: 'conditional', condition, whenTrue, whenFalse, range: { start, end: this.lastEnd() } };
    }
    this.depth--;
    return expr;
  }

  private parseBinary(): Expression {
    let expr = this.parseUnary();
    while (!this.failed && BINARY_OPERATORS.has(this.peek())) {
      this.consume();
      this.parseUnary();
      expr = { type: 'other', range: { start: expr.range.start, end: this.lastEnd() } };
    }
    return expr;
  }

  private parseUnary(): Expression {
    const kind = this.peek();
    if (kind === T.Minus || kind === T.Bang) {
      const start = this.start(this.consume());
      if (!this.enter()) return { type: 'error', range: { start, end: start } };
      const operand = this.parseUnary();
      this.depth--;
      return { type: 'unary', operator: kind === T.Minus ? '-' : '!', operand, range: { start, end: this.lastEnd() } };
    }
    return this.parsePostfix(this.parseTerm());
  }

  /** Attribute access, indexes and splats after a term: `a.b`, `a[0]`, `a[*].b`, `a.*.b`. */
  private parsePostfix(base: Expression): Expression {
    let expr = base;
    const start = base.range.start;
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
      const range = { start, end: this.lastEnd() };
      expr = traversal ? { type: 'traversal', range } : { type: 'other', range };
    }
    return expr;
  }

  private parseTerm(): Expression {
    const kind = this.peek();
    const at = this.i;
    switch (kind) {
      case T.Number:
        this.consume();
        return { type: 'literal', range: { start: this.start(at), end: this.end(at) }, value: Number(this.textAt(at)) };
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
        return { type: 'parens', inner, range: { start: this.start(at), end: this.lastEnd() } };
      }
      default:
        this.fail('expected-expression', `Expected the start of an expression, but found ${this.describe(at)}.`, at);
        return { type: 'error', range: { start: this.start(at), end: this.start(at) } };
    }
  }

  private parseIdentTerm(): Expression {
    const at = this.consume();
    const range = { start: this.start(at), end: this.end(at) };
    const name = this.textAt(at);
    if (name === 'true' || name === 'false' || name === 'null') {
      return { type: 'literal', range, value: name === 'null' ? null : name === 'true' };
    }
    // Provider functions are namespaced: provider::aws::arn_parse(...)
    while (this.peek() === T.Colon && this.peekSecond() === T.Colon) {
      this.consume();
      this.next();
      const part = this.next();
      if (this.kinds[part] !== T.Ident) {
        this.fail('expected-name', 'Expected a function name after "::".', part);
        return { type: 'error', range };
      }
    }
    if (this.peek() !== T.LParen) return { type: 'traversal', range };
    this.consume();
    const saved = this.newlines;
    this.newlines = false;
    this.parseList(T.RParen, 'Missing argument separator: expected a comma', true);
    this.newlines = saved;
    return { type: 'other', range: { start: range.start, end: this.lastEnd() } };
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
      expr = { type: 'other', range: { start, end: this.lastEnd() } };
    } else {
      const items = this.parseList(T.RBracket, 'Missing item separator: expected a comma', false);
      expr = { type: 'tuple', items, range: { start, end: this.lastEnd() } };
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
      return { type: 'other', range: { start, end: this.lastEnd() } };
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
      const key = this.parseExpression();
      if (this.failed) break;
      const separator = this.next();
      if (this.kinds[separator] !== T.Equals && this.kinds[separator] !== T.Colon) {
        this.fail('expected-equals', `Missing key/value separator: expected "=" or ":", but found ${this.describe(separator)}.`, separator);
        break;
      }
      const value = this.parseExpression();
      if (this.failed) break;
      items.push({ key, value, range: { start: key.range.start, end: value.range.end } });
      const after = this.peek();
      if (after === T.Comma || after === T.Newline) this.consume();
      else if (after !== T.RBrace) {
        this.fail('expected-separator', `Missing attribute separator: expected a newline or comma, but found ${this.describe(this.i)}.`, this.i);
        break;
      }
    }
    this.newlines = saved;
    return { type: 'object', items, range: { start, end: this.lastEnd() } };
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

  // --- templates -----------------------------------------------------------------------------

  private parseTemplate(): TemplateExpr {
    const start = this.start(this.next());
    const parts = this.parseTemplateParts(T.CQuote);
    this.checkDirectives(parts);
    if (!this.failed) {
      if (this.kinds[this.i] === T.CQuote) this.consume();
      else this.fail('unterminated-string', 'Unterminated string: no closing quote was found.', this.i);
    }
    return { type: 'template', parts, range: { start, end: this.lastEnd() } };
  }

  private parseHeredoc(): Expression {
    const open = this.next();
    const opener = this.textAt(open);
    const indented = opener.charCodeAt(2) === 45; // <<-
    const marker = opener.slice(indented ? 3 : 2).trimEnd();
    const parts = this.parseTemplateParts(T.CHeredoc);
    this.checkDirectives(parts);
    if (!this.failed) {
      if (this.kinds[this.i] === T.CHeredoc) this.consume();
      else this.fail('unterminated-heredoc', `Unterminated heredoc: no closing "${marker}" line was found.`, this.i);
    }
    return { type: 'heredoc', marker, indented, parts, range: { start: this.start(open), end: this.lastEnd() } };
  }

  private parseTemplateParts(end: number): TemplatePart[] {
    const parts: TemplatePart[] = [];
    while (!this.failed) {
      const kind = this.kinds[this.i];
      if (kind === T.Literal) {
        const at = this.consume();
        parts.push({ type: 'literal', range: { start: this.start(at), end: this.end(at) } });
      } else if (kind === T.Interp || kind === T.Control) {
        const part = this.parseTemplateSequence();
        if (part) parts.push(part);
      } else {
        // The closing quote or marker, or where the scanner gave up (an unterminated string).
        break;
      }
    }
    return parts;
  }

  /** `%{ if }` / `%{ else }` / `%{ endif }` and `%{ for }` / `%{ endfor }` must pair up. */
  private checkDirectives(parts: TemplatePart[]): void {
    const open: { keyword: 'if' | 'for'; sawElse: boolean; part: DirectivePart }[] = [];
    for (const part of parts) {
      if (this.failed) return;
      if (part.type !== 'directive') continue;
      const top = open[open.length - 1];
      const misplaced = () => this.fail('expected-closing', `Unexpected "%{ ${part.keyword} }": no open ${part.keyword === 'endfor' ? 'for' : 'if'} directive to pair it with.`, part.range);
      switch (part.keyword) {
        case 'if':
        case 'for':
          open.push({ keyword: part.keyword, sawElse: false, part });
          break;
        case 'else':
          if (top?.keyword !== 'if' || top.sawElse) misplaced();
          else top.sawElse = true;
          break;
        case 'endif':
        case 'endfor':
          if (top?.keyword !== (part.keyword === 'endif' ? 'if' : 'for')) misplaced();
          else open.pop();
          break;
      }
    }
    const unclosed = open[open.length - 1];
    if (unclosed) {
      this.fail('expected-closing', `Unterminated "%{ ${unclosed.keyword} }" directive: no matching "%{ end${unclosed.keyword} }".`, unclosed.part.range);
    }
  }

  private parseTemplateSequence(): TemplatePart | undefined {
    const open = this.consume();
    const stripBefore = this.kinds[this.i] === T.Strip;
    if (stripBefore) this.consume();
    const saved = this.newlines;
    this.newlines = false;
    const range = { start: this.start(open), end: this.start(open) };
    const part: TemplatePart | undefined =
      this.kinds[open] === T.Interp
        ? { type: 'interpolation', expr: this.parseExpression(), range, stripBefore, stripAfter: false }
        : this.parseDirective(range, stripBefore);
    let close = this.failed ? this.i : this.next();
    if (!this.failed && this.kinds[close] === T.Strip) {
      if (part) part.stripAfter = true;
      close = this.next();
    }
    if (!this.failed && this.kinds[close] !== T.InterpEnd) {
      this.fail('expected-closing', `Expected "}" to close the template sequence, but found ${this.describe(close)}.`, close);
    }
    this.newlines = saved;
    if (this.failed || !part) return undefined;
    range.end = this.end(close);
    return part;
  }

  private parseDirective(range: Range, stripBefore: boolean): DirectivePart | undefined {
    const at = this.next();
    const keyword = this.textAt(at);
    if (this.kinds[at] !== T.Ident || !DIRECTIVES.has(keyword)) {
      this.fail('expected-name', `Expected a template directive (if, else, endif, for, endfor), but found ${this.describe(at)}.`, at);
      return undefined;
    }
    const part: DirectivePart = { type: 'directive', keyword: keyword as DirectivePart['keyword'], range, stripBefore, stripAfter: false };
    if (keyword === 'if') {
      part.expr = this.parseExpression();
    } else if (keyword === 'for') {
      const first = this.expect(T.Ident, 'Expected a variable name after "for"');
      if (this.failed) return undefined;
      part.valueVar = this.textAt(first);
      if (this.peek() === T.Comma) {
        this.consume();
        const second = this.expect(T.Ident, 'Expected a second variable name');
        if (this.failed) return undefined;
        part.keyVar = part.valueVar;
        part.valueVar = this.textAt(second);
      }
      const inWord = this.next();
      if (!this.isKeyword(inWord, 'in')) {
        this.fail('expected-name', `Expected "in" in the for directive, but found ${this.describe(inWord)}.`, inWord);
        return undefined;
      }
      part.expr = this.parseExpression();
    }
    return part;
  }
}
