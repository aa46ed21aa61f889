/**
 * A recursive-descent parser for the HCL native syntax, over the scanner's tokens. It builds the
 * concrete syntax tree of syntax.ts and never throws: errors become diagnostics, and the parser
 * recovers at the next line so that one mistake does not hide the rest of the file.
 *
 * Newlines matter in HCL only in some places: they end attributes and separate object items, but
 * are ignored inside parentheses, brackets and interpolations. A stack of contexts records which.
 */
import { diagnostic, type Diagnostic, type DiagnosticCode, type Range } from './diagnostics.js';
import { LineCounter } from './line-counter.js';
import { scan, T, type TokenKind, type Tokens } from './scanner.js';
import type {
  Attribute, Block, Body, BodyItem, DirectivePart, Expression, ObjectItem, SyntaxFile, TemplatePart,
} from './syntax.js';
import { cookTemplateLiteral } from './template-text.js';

export interface ParseOptions {
  /** A variables file: blocks are not allowed (Terraform rejects them). */
  tfvars?: boolean;
}

/** Nesting deeper than this is reported instead of risking the call stack. */
export const MAX_NESTING = 256;

const BINARY_OPERATORS = new Set<TokenKind>([
  T.Plus, T.Minus, T.Star, T.Slash, T.Percent, T.EqEq, T.NotEq, T.Lt, T.Gt, T.Le, T.Ge, T.And, T.Or,
]);

export function parse(text: string, options: ParseOptions = {}): SyntaxFile {
  const scanned = scan(text);
  const parser = new Parser(text, scanned.tokens, options);
  const body = parser.parseFileBody();
  // The scanner and the parser can both notice an unterminated string; report it once.
  const seen = new Set<string>();
  const diagnostics = [...scanned.diagnostics, ...parser.diagnostics]
    .sort((a, b) => a.range.start - b.range.start)
    .filter((d) => {
      const key = `${d.code}:${d.range.start}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
  return { text, tokens: scanned.tokens, body, diagnostics, lines: parser.lines };
}

/** A view of one token; short-lived, made only for the tokens the parser looks at. */
interface Token {
  kind: TokenKind;
  start: number;
  end: number;
}

class Parser {
  readonly diagnostics: Diagnostic[] = [];
  private i = 0;
  /** Index of the last significant token consumed. */
  private last = -1;
  /** true: newlines are significant here. */
  private readonly newlineContexts: boolean[] = [true];
  private depth = 0;
  private lineCounter?: LineCounter;
  /** Set on the first error of an item; parsing unwinds to the item level and recovers there. */
  private failed = false;

  constructor(
    private readonly text: string,
    private readonly tokens: Tokens,
    private readonly options: ParseOptions,
  ) {}

  get lines(): LineCounter {
    return (this.lineCounter ??= new LineCounter(this.text));
  }

  // --- token access -------------------------------------------------------------------------

  private skipTrivia(): void {
    const newlinesMatter = this.newlineContexts[this.newlineContexts.length - 1];
    for (;;) {
      const kind = this.tokens.kind(this.i);
      if (kind === T.Ws || kind === T.Comment || (kind === T.Newline && !newlinesMatter)) this.i++;
      else return;
    }
  }

  private tok(i: number): Token {
    return { kind: this.tokens.kind(i), start: this.tokens.start(i), end: this.tokens.end(i) };
  }

  private peek(): Token {
    this.skipTrivia();
    return this.tok(this.i);
  }

  /** The significant token after the next one (same trivia rules), without consuming anything. */
  private peekSecond(): Token {
    this.skipTrivia();
    const newlinesMatter = this.newlineContexts[this.newlineContexts.length - 1];
    let j = this.i + 1;
    for (;;) {
      const kind = this.tokens.kind(j);
      if (kind === T.Ws || kind === T.Comment || (kind === T.Newline && !newlinesMatter)) j++;
      else return this.tok(j);
    }
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== T.Eof) {
      this.last = this.i;
      this.i++;
    }
    return t;
  }

  /** Consumes the very next token, trivia or not (inside templates whitespace is content). */
  private nextRaw(): Token {
    const t = this.tok(this.i);
    if (t.kind !== T.Eof) {
      this.last = this.i;
      this.i++;
    }
    return t;
  }

  private lastEnd(): number {
    return this.last >= 0 ? this.tokens.end(this.last) : 0;
  }

  private textOf(t: Token): string {
    return this.text.slice(t.start, t.end);
  }

  private withNewlines<T>(significant: boolean, f: () => T): T {
    this.newlineContexts.push(significant);
    try {
      return f();
    } finally {
      this.newlineContexts.pop();
    }
  }

  private fail(code: DiagnosticCode, message: string, at: Token | Range): void {
    if (this.failed) return;
    this.failed = true;
    this.diagnostics.push(diagnostic(code, message, at.start, Math.max(at.end, at.start)));
  }

  private describe(t: Token): string {
    if (t.kind === T.Eof) return 'the end of the file';
    if (t.kind === T.Newline) return 'a newline';
    if (t.kind === T.OQuote || t.kind === T.OHeredoc) return 'a string';
    return JSON.stringify(this.textOf(t));
  }

  // --- bodies --------------------------------------------------------------------------------

  parseFileBody(): Body {
    return this.parseBody(false);
  }

  private parseBody(inBlock: boolean): Body {
    const items: BodyItem[] = [];
    const seen = new Map<string, Attribute>();
    const start = this.peek().start;
    for (;;) {
      let t = this.peek();
      while (t.kind === T.Newline) {
        this.next();
        t = this.peek();
      }
      if (t.kind === T.Eof || (inBlock && t.kind === T.RBrace)) break;
      const itemStart = this.i;
      const item = this.parseItem(inBlock);
      if (this.failed) {
        this.recover(itemStart);
        this.failed = false;
        continue;
      }
      if (!item) continue;
      items.push(item);
      if (item.type === 'attribute') {
        const earlier = seen.get(item.name);
        if (earlier) {
          const { line } = this.lines.position(earlier.nameRange.start);
          this.diagnostics.push(
            diagnostic(
              'duplicate-attribute',
              `Attribute "${item.name}" is set twice; it was already set on line ${line}.`,
              item.nameRange.start,
              item.nameRange.end,
            ),
          );
        } else {
          seen.set(item.name, item);
        }
      } else if (this.options.tfvars && !inBlock) {
        this.diagnostics.push(
          diagnostic('block-in-tfvars', `A variables file holds attributes only; found a "${item.blockType}" block.`, item.range.start, item.range.start + item.blockType.length),
        );
      }
    }
    return { items, range: { start, end: this.lastEnd() } };
  }

  private parseItem(inBlock: boolean): BodyItem | undefined {
    const nameToken = this.next();
    if (nameToken.kind !== T.Ident) {
      this.fail('expected-name', `Expected an attribute or block definition, but found ${this.describe(nameToken)}.`, nameToken);
      return undefined;
    }
    const nameIndex = this.last;
    const after = this.peek();
    if (after.kind === T.Equals) {
      this.next();
      return this.parseAttribute(nameToken, nameIndex, inBlock);
    }
    if (after.kind === T.LBrace || after.kind === T.OQuote || after.kind === T.Ident) {
      return this.parseBlock(nameToken, inBlock);
    }
    this.fail(
      'expected-equals',
      `Expected "=" after the attribute name "${this.textOf(nameToken)}", but found ${this.describe(after)}.`,
      after,
    );
    return undefined;
  }

  private parseAttribute(nameToken: Token, nameIndex: number, inBlock: boolean): Attribute | undefined {
    const expr = this.parseExpression();
    if (this.failed) return undefined;
    const end = this.peek();
    if (end.kind !== T.Newline && end.kind !== T.Eof && !(inBlock && end.kind === T.RBrace)) {
      this.fail('expected-newline', 'Missing newline after argument: an argument definition must end with a newline.', end);
      return undefined;
    }
    const lastIndex = this.last;
    if (end.kind === T.Newline) this.next();
    const name = this.textOf(nameToken);
    const attribute: Attribute = {
      type: 'attribute',
      name,
      nameRange: { start: nameToken.start, end: nameToken.end },
      expr,
      range: { start: nameToken.start, end: expr.range.end },
      lineRange: this.lineRange(nameIndex, lastIndex),
    };
    const lineComment = this.lineCommentAfter(lastIndex);
    if (lineComment) attribute.lineComment = lineComment;
    const lead = this.leadCommentsBefore(nameIndex);
    if (lead) attribute.leadComments = lead;
    return attribute;
  }

  private parseBlock(typeToken: Token, inBlock: boolean): Block | undefined {
    const labels: string[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === T.Ident) {
        this.next();
        labels.push(this.textOf(t));
      } else if (t.kind === T.OQuote) {
        const label = this.parseTemplate();
        if (this.failed) return undefined;
        labels.push(label.parts.map((p) => (p.type === 'literal' ? cookTemplateLiteral(this.text.slice(p.range.start, p.range.end)) : '')).join(''));
      } else {
        break;
      }
    }
    const open = this.next();
    if (open.kind !== T.LBrace) {
      this.fail('expected-closing', `Expected "{" to open the block, but found ${this.describe(open)}.`, open);
      return undefined;
    }
    const body = this.withNewlines(true, () => this.parseBody(true));
    if (this.failed) return undefined;
    const close = this.next();
    if (close.kind !== T.RBrace) {
      this.fail('expected-closing', `Expected "}" to close the "${this.textOf(typeToken)}" block, but found ${this.describe(close)}.`, close);
      return undefined;
    }
    const end = this.peek();
    if (end.kind !== T.Newline && end.kind !== T.Eof && !(inBlock && end.kind === T.RBrace)) {
      this.fail('expected-newline', 'Missing newline after block definition.', end);
      return undefined;
    }
    return { type: 'block', blockType: this.textOf(typeToken), labels, body, range: { start: typeToken.start, end: close.end } };
  }

  /**
   * After an error, skip to the end of the line on which the item's brackets are balanced again,
   * so the next item starts clean.
   */
  private recover(itemStart: number): void {
    let depth = 0;
    let j = itemStart;
    const failedAt = this.i;
    for (; j < this.tokens.count; j++) {
      const kind = this.tokens.kind(j);
      if (kind === T.Eof) break;
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

  private lineRange(firstIndex: number, lastIndex: number): Range {
    let start = this.tokens.start(firstIndex);
    let j = firstIndex - 1;
    while (j >= 0 && this.tokens.kind(j) === T.Ws) j--;
    if (j < 0 || this.tokens.kind(j) === T.Newline) start = j + 1 < firstIndex ? this.tokens.start(j + 1) : start;
    let k = lastIndex + 1;
    while (this.tokens.kind(k) === T.Ws || this.tokens.kind(k) === T.Comment) k++;
    const end = this.tokens.kind(k) === T.Newline ? this.tokens.end(k) : this.tokens.end(lastIndex);
    return { start, end };
  }

  private lineCommentAfter(lastIndex: number): Range | undefined {
    let k = lastIndex + 1;
    while (this.tokens.kind(k) === T.Ws) k++;
    const comment = this.tok(k);
    if (comment.kind !== T.Comment || /[\r\n]/.test(this.textOf(comment))) return undefined;
    let m = k + 1;
    while (this.tokens.kind(m) === T.Ws) m++;
    const kind = this.tokens.kind(m);
    return kind === T.Newline || kind === T.Eof ? { start: comment.start, end: comment.end } : undefined;
  }

  /** Comment lines directly above the attribute (each line: indentation, one comment, newline). */
  private leadCommentsBefore(nameIndex: number): Range | undefined {
    let j = nameIndex - 1;
    while (j >= 0 && this.tokens.kind(j) === T.Ws) j--;
    let first: Token | undefined;
    let lastComment: Token | undefined;
    while (j >= 0 && this.tokens.kind(j) === T.Newline) {
      let k = j - 1;
      while (k >= 0 && this.tokens.kind(k) === T.Ws) k--;
      if (k < 0 || this.tokens.kind(k) !== T.Comment) break;
      const t = this.tok(k);
      let m = k - 1;
      while (m >= 0 && this.tokens.kind(m) === T.Ws) m--;
      if (m >= 0 && this.tokens.kind(m) !== T.Newline) break;
      first = t;
      lastComment ??= t;
      j = m;
    }
    return first && lastComment ? { start: first.start, end: lastComment.end } : undefined;
  }

  // --- expressions ---------------------------------------------------------------------------

  private parseExpression(): Expression {
    if (++this.depth > MAX_NESTING) {
      const t = this.peek();
      this.fail('too-deep', `Expressions nested deeper than ${MAX_NESTING} levels are not supported.`, t);
      this.depth--;
      return { type: 'error', range: { start: t.start, end: t.start } };
    }
    try {
      const start = this.peek().start;
      const condition = this.parseBinary();
      if (this.failed || this.peek().kind !== T.Question) return condition;
      this.next();
      const whenTrue = this.parseExpression();
      if (this.failed) return condition;
      this.expect(T.Colon, 'Expected ":" in the conditional expression');
      if (this.failed) return condition;
      const whenFalse = this.parseExpression();
      return { type: 'conditional', condition, whenTrue, whenFalse, range: { start, end: this.lastEnd() } };
    } finally {
      this.depth--;
    }
  }

  private parseBinary(): Expression {
    const start = this.peek().start;
    let expr = this.parseUnary();
    while (!this.failed && BINARY_OPERATORS.has(this.peek().kind)) {
      this.next();
      this.parseUnary();
      expr = { type: 'other', range: { start, end: this.lastEnd() } };
    }
    return expr;
  }

  private parseUnary(): Expression {
    const t = this.peek();
    if (t.kind === T.Minus || t.kind === T.Bang) {
      this.next();
      const operand = this.parseUnary();
      return { type: 'unary', operator: t.kind === T.Minus ? '-' : '!', operand, range: { start: t.start, end: this.lastEnd() } };
    }
    return this.parsePostfix(this.parseTerm());
  }

  private parsePostfix(base: Expression): Expression {
    let expr = base;
    const start = base.range.start;
    for (;;) {
      if (this.failed) return expr;
      const t = this.peek();
      if (t.kind === T.Dot) {
        this.next();
        const step = this.next();
        if (step.kind === T.Star) {
          expr = { type: 'other', range: { start, end: step.end } };
        } else if (step.kind === T.Ident || step.kind === T.Number) {
          expr = expr.type === 'traversal' ? { type: 'traversal', range: { start, end: step.end } } : { type: 'other', range: { start, end: step.end } };
        } else {
          this.fail('expected-name', 'An attribute name is required after a dot.', step);
        }
      } else if (t.kind === T.LBracket) {
        this.next();
        const splat = this.peek().kind === T.Star && this.peekSecond().kind === T.RBracket;
        if (splat) this.next();
        else this.withNewlines(false, () => this.parseExpression());
        if (this.failed) return expr;
        this.withNewlines(false, () => this.expect(T.RBracket, 'Expected "]" to close the index'));
        const step = { start, end: this.lastEnd() };
        expr = expr.type === 'traversal' && !splat ? { type: 'traversal', range: step } : { type: 'other', range: step };
      } else {
        return expr;
      }
    }
  }

  private parseTerm(): Expression {
    const t = this.peek();
    switch (t.kind) {
      case T.Number:
        this.next();
        return { type: 'literal', range: { start: t.start, end: t.end }, value: Number(this.textOf(t)) };
      case T.Ident:
        return this.parseIdentTerm(t);
      case T.OQuote:
        return this.parseTemplate();
      case T.OHeredoc:
        return this.parseHeredoc();
      case T.LBracket:
        return this.parseTupleOrFor();
      case T.LBrace:
        return this.parseObjectOrFor();
      case T.LParen: {
        this.next();
        const inner = this.withNewlines(false, () => {
          const e = this.parseExpression();
          if (!this.failed) this.expect(T.RParen, 'Expected ")" to close the parentheses');
          return e;
        });
        return { type: 'parens', inner, range: { start: t.start, end: this.lastEnd() } };
      }
      default:
        this.fail('expected-expression', `Expected the start of an expression, but found ${this.describe(t)}.`, t);
        return { type: 'error', range: { start: t.start, end: t.start } };
    }
  }

  private parseIdentTerm(t: Token): Expression {
    const name = this.textOf(t);
    this.next();
    if (name === 'true' || name === 'false' || name === 'null') {
      return { type: 'literal', range: { start: t.start, end: t.end }, value: name === 'null' ? null : name === 'true' };
    }
    // Provider functions are namespaced: provider::aws::arn_parse(...)
    while (this.peek().kind === T.Colon && this.peekSecond().kind === T.Colon) {
      this.next();
      this.next();
      const part = this.next();
      if (part.kind !== T.Ident) {
        this.fail('expected-name', 'Expected a function name after "::".', part);
        return { type: 'error', range: { start: t.start, end: part.start } };
      }
    }
    if (this.peek().kind === T.LParen) {
      this.next();
      this.withNewlines(false, () => this.parseList(T.RParen, 'Missing argument separator: expected a comma', true));
      return { type: 'other', range: { start: t.start, end: this.lastEnd() } };
    }
    return { type: 'traversal', range: { start: t.start, end: t.end } };
  }

  /** Comma-separated expressions up to `close` (call arguments and tuples). */
  private parseList(close: typeof T.RParen | typeof T.RBracket, separatorMessage: string, allowEllipsis: boolean): Expression[] {
    const items: Expression[] = [];
    for (;;) {
      if (this.peek().kind === close) break;
      items.push(this.parseExpression());
      if (this.failed) return items;
      let t = this.peek();
      if (allowEllipsis && t.kind === T.Ellipsis) {
        this.next();
        t = this.peek();
      }
      if (t.kind === T.Comma) {
        this.next();
        continue;
      }
      if (t.kind !== close) {
        this.fail('expected-separator', `${separatorMessage}, but found ${this.describe(t)}.`, t);
        return items;
      }
    }
    this.next();
    return items;
  }

  private isForKeyword(): boolean {
    const t = this.peek();
    return t.kind === T.Ident && this.textOf(t) === 'for' && this.peekSecond().kind === T.Ident;
  }

  private parseTupleOrFor(): Expression {
    const open = this.next();
    return this.withNewlines(false, (): Expression => {
      if (this.isForKeyword()) {
        this.parseForClauses(T.RBracket, false);
        return { type: 'other', range: { start: open.start, end: this.lastEnd() } };
      }
      const items = this.parseList(T.RBracket, 'Missing item separator: expected a comma', false);
      return { type: 'tuple', items, range: { start: open.start, end: this.lastEnd() } };
    });
  }

  private parseObjectOrFor(): Expression {
    const open = this.next();
    if (this.withNewlines(false, () => this.isForKeyword())) {
      return this.withNewlines(false, (): Expression => {
        this.parseForClauses(T.RBrace, true);
        return { type: 'other', range: { start: open.start, end: this.lastEnd() } };
      });
    }
    return this.withNewlines(true, (): Expression => {
      const items: ObjectItem[] = [];
      for (;;) {
        let t = this.peek();
        while (t.kind === T.Newline) {
          this.next();
          t = this.peek();
        }
        if (t.kind === T.RBrace) break;
        const key = this.parseExpression();
        if (this.failed) break;
        const separator = this.next();
        if (separator.kind !== T.Equals && separator.kind !== T.Colon) {
          this.fail('expected-equals', `Missing key/value separator: expected "=" or ":", but found ${this.describe(separator)}.`, separator);
          break;
        }
        const value = this.parseExpression();
        if (this.failed) break;
        items.push({ key, value, range: { start: key.range.start, end: value.range.end } });
        const after = this.peek();
        if (after.kind === T.Comma || after.kind === T.Newline) {
          this.next();
        } else if (after.kind !== T.RBrace) {
          this.fail('expected-separator', `Missing attribute separator: expected a newline or comma, but found ${this.describe(after)}.`, after);
          break;
        }
      }
      if (!this.failed) this.next();
      return { type: 'object', items, range: { start: open.start, end: this.lastEnd() } };
    });
  }

  /** `for k, v in coll : expr [=> expr] [...] [if cond]` up to the closing bracket. */
  private parseForClauses(close: typeof T.RBracket | typeof T.RBrace, isObject: boolean): void {
    this.next(); // for
    this.expect(T.Ident, 'Expected a variable name after "for"');
    if (!this.failed && this.peek().kind === T.Comma) {
      this.next();
      this.expect(T.Ident, 'Expected a second variable name');
    }
    if (this.failed) return;
    const keyword = this.next();
    if (keyword.kind !== T.Ident || this.textOf(keyword) !== 'in') {
      this.fail('expected-name', `Expected "in" in the for expression, but found ${this.describe(keyword)}.`, keyword);
      return;
    }
    this.parseExpression();
    if (!this.failed) this.expect(T.Colon, 'Expected ":" in the for expression');
    if (!this.failed) this.parseExpression();
    if (!this.failed && isObject) {
      this.expect(T.Arrow, 'Expected "=>" in the object for expression');
      if (!this.failed) this.parseExpression();
      if (!this.failed && this.peek().kind === T.Ellipsis) this.next();
    }
    const t = this.peek();
    if (!this.failed && t.kind === T.Ident && this.textOf(t) === 'if') {
      this.next();
      this.parseExpression();
    }
    if (!this.failed) this.expect(close, `Expected "${close === T.RBrace ? '}' : ']'}" to close the for expression`);
  }

  private expect(kind: TokenKind, message: string): void {
    const t = this.next();
    if (t.kind !== kind) this.fail(kind === T.RParen || kind === T.RBracket || kind === T.RBrace ? 'expected-closing' : 'expected-separator', `${message}, but found ${this.describe(t)}.`, t);
  }

  // --- templates -----------------------------------------------------------------------------

  private parseTemplate(): Expression & { type: 'template' } {
    const open = this.next();
    const parts = this.parseTemplateParts(T.CQuote);
    const close = this.tok(this.i);
    if (!this.failed) {
      if (close.kind === T.CQuote) this.nextRaw();
      else this.fail('unterminated-string', 'Unterminated string: no closing quote was found.', close);
    }
    return { type: 'template', parts, range: { start: open.start, end: this.lastEnd() } };
  }

  private parseHeredoc(): Expression {
    const open = this.next();
    const opener = this.textOf(open);
    const indented = opener.charCodeAt(2) === 45; // <<-
    const marker = opener.slice(indented ? 3 : 2).trimEnd();
    const parts = this.parseTemplateParts(T.CHeredoc);
    const close = this.tok(this.i);
    if (!this.failed) {
      if (close.kind === T.CHeredoc) this.nextRaw();
      else this.fail('unterminated-heredoc', `Unterminated heredoc: no closing "${marker}" line was found.`, close);
    }
    return { type: 'heredoc', marker, indented, parts, range: { start: open.start, end: this.lastEnd() } };
  }

  private parseTemplateParts(end: typeof T.CQuote | typeof T.CHeredoc): TemplatePart[] {
    const parts: TemplatePart[] = [];
    for (;;) {
      if (this.failed) return parts;
      const t = this.tok(this.i);
      if (t.kind === end || t.kind === T.Eof || t.kind === T.Newline) return parts;
      if (t.kind === T.Literal) {
        this.nextRaw();
        parts.push({ type: 'literal', range: { start: t.start, end: t.end } });
      } else if (t.kind === T.Interp || t.kind === T.Control) {
        const part = this.parseTemplateSequence();
        if (part) parts.push(part);
      } else {
        // Only reachable through scanner recovery (e.g. an unterminated string); stop here.
        return parts;
      }
    }
  }

  private parseTemplateSequence(): TemplatePart | undefined {
    const open = this.nextRaw();
    const stripBefore = this.tokens.kind(this.i) === T.Strip;
    if (stripBefore) this.nextRaw();
    return this.withNewlines(false, (): TemplatePart | undefined => {
      let part: TemplatePart | undefined;
      if (open.kind === T.Interp) {
        const expr = this.parseExpression();
        part = { type: 'interpolation', expr, range: { start: open.start, end: 0 }, stripBefore, stripAfter: false };
      } else {
        part = this.parseDirective(open, stripBefore);
      }
      if (this.failed || !part) return undefined;
      let close = this.next();
      if (close.kind === T.Strip) {
        part.stripAfter = true;
        close = this.next();
      }
      if (close.kind !== T.InterpEnd) {
        this.fail('expected-closing', `Expected "}" to close the template sequence, but found ${this.describe(close)}.`, close);
        return undefined;
      }
      part.range.end = close.end;
      return part;
    });
  }

  private parseDirective(open: Token, stripBefore: boolean): DirectivePart | undefined {
    const keywordToken = this.next();
    const keyword = this.textOf(keywordToken);
    const part: DirectivePart = { type: 'directive', keyword: 'if', range: { start: open.start, end: 0 }, stripBefore, stripAfter: false };
    if (keywordToken.kind !== T.Ident || !['if', 'else', 'endif', 'for', 'endfor'].includes(keyword)) {
      this.fail('expected-name', `Expected a template directive (if, else, endif, for, endfor), but found ${this.describe(keywordToken)}.`, keywordToken);
      return undefined;
    }
    part.keyword = keyword as DirectivePart['keyword'];
    if (keyword === 'if') {
      part.expr = this.parseExpression();
    } else if (keyword === 'for') {
      const first = this.next();
      if (first.kind !== T.Ident) {
        this.fail('expected-name', 'Expected a variable name after "for".', first);
        return undefined;
      }
      part.valueVar = this.textOf(first);
      if (this.peek().kind === T.Comma) {
        this.next();
        const second = this.next();
        if (second.kind !== T.Ident) {
          this.fail('expected-name', 'Expected a second variable name.', second);
          return undefined;
        }
        part.keyVar = part.valueVar;
        part.valueVar = this.textOf(second);
      }
      const inToken = this.next();
      if (inToken.kind !== T.Ident || this.textOf(inToken) !== 'in') {
        this.fail('expected-name', `Expected "in" in the for directive, but found ${this.describe(inToken)}.`, inToken);
        return undefined;
      }
      part.expr = this.parseExpression();
    }
    return part;
  }
}
