/**
 * The parser's position in the scanner's tokens, and what every part of the grammar shares: token
 * access, trivia skipping, nesting depth and error reporting. The grammar itself is layered on top
 * (expression-parser.ts, template-parser.ts, body-parser.ts).
 *
 * Newlines matter in HCL only in some places: they end attributes and separate object items, but
 * are ignored inside parentheses, brackets and interpolations; `newlines` records which applies.
 *
 * Tokens are addressed by index into the scanner's typed arrays: the parser allocates nothing per
 * token, only the tree itself, which is what keeps it fast on large files.
 */
import { diagnostic, type Diagnostic, type DiagnosticCode, type Range } from './diagnostics.js';
import { T, type TokenKind, type Tokens } from './scanner.js';

/** Nesting deeper than this is reported instead of risking the call stack. */
export const MAX_NESTING = 256;

export class TokenCursor {
  readonly diagnostics: Diagnostic[] = [];
  protected readonly kinds: Uint8Array;
  protected readonly starts: Int32Array;
  /** Index of the next token. */
  protected i = 0;
  /** Index of the last significant token consumed. */
  protected last = -1;
  /** Whether newlines are significant in the current context. */
  protected newlines = true;
  protected depth = 0;
  /** Set on the first error of an item; parsing unwinds to the item level and recovers there. */
  protected failed = false;

  constructor(
    protected readonly text: string,
    tokens: Tokens,
  ) {
    this.kinds = tokens.kinds;
    this.starts = tokens.starts;
  }

  protected isTrivia(kind: number): boolean {
    return kind === T.Ws || kind === T.Comment || (kind === T.Newline && !this.newlines);
  }

  /** The kind of the next significant token (skipping trivia for the current context). */
  protected peek(): number {
    while (this.isTrivia(this.kinds[this.i]!)) this.i++;
    return this.kinds[this.i]!;
  }

  /** The kind of the significant token after the next one, consuming nothing. */
  protected peekSecond(): number {
    this.peek();
    let j = this.i + 1;
    while (j < this.kinds.length && this.isTrivia(this.kinds[j]!)) j++;
    return this.kinds[Math.min(j, this.kinds.length - 1)]!;
  }

  /** Consumes the next significant token and returns its index. Never moves past Eof. */
  protected next(): number {
    this.peek();
    return this.consume();
  }

  /** Consumes the very next token, trivia or not (inside templates whitespace is content). */
  protected consume(): number {
    const at = this.i;
    if (this.kinds[at] !== T.Eof) {
      this.last = at;
      this.i++;
    }
    return at;
  }

  protected start(i: number): number {
    return this.starts[i]!;
  }

  protected end(i: number): number {
    return this.starts[i + 1]!;
  }

  protected textAt(i: number): string {
    return this.text.slice(this.starts[i], this.starts[i + 1]);
  }

  protected lastEnd(): number {
    return this.last >= 0 ? this.end(this.last) : 0;
  }

  protected isKeyword(i: number, word: string): boolean {
    return this.kinds[i] === T.Ident && this.end(i) - this.start(i) === word.length && this.text.startsWith(word, this.start(i));
  }

  protected fail(code: DiagnosticCode, message: string, at: number | Range): void {
    if (this.failed) return;
    this.failed = true;
    const range = typeof at === 'number' ? { start: this.start(at), end: this.end(at) } : at;
    this.diagnostics.push(diagnostic(code, message, range.start, range.end));
  }

  protected describe(i: number): string {
    switch (this.kinds[i]) {
      case T.Eof: return 'the end of the file';
      case T.Newline: return 'a newline';
      case T.OQuote: case T.OHeredoc: return 'a string';
      default: return JSON.stringify(this.textAt(i));
    }
  }

  protected expect(kind: TokenKind, message: string): number {
    const t = this.next();
    if (this.kinds[t] !== kind) {
      const closing = kind === T.RParen || kind === T.RBracket || kind === T.RBrace;
      this.fail(closing ? 'expected-closing' : 'expected-separator', `${message}, but found ${this.describe(t)}.`, t);
    }
    return t;
  }

  /** Counts a level of nesting; false (and an error) past MAX_NESTING, before the stack is at risk. */
  protected enter(): boolean {
    if (this.depth >= MAX_NESTING) {
      this.fail('too-deep', `Nesting deeper than ${MAX_NESTING} levels is not supported.`, (this.peek(), this.i));
      return false;
    }
    this.depth++;
    return true;
  }

  /** A comment after token `lastIndex` on the same line, alone up to the line's end. */
  protected lineCommentAfter(lastIndex: number): Range | undefined {
    let k = lastIndex + 1;
    while (this.kinds[k] === T.Ws) k++;
    if (this.kinds[k] !== T.Comment || this.spansLines(k)) return undefined;
    let m = k + 1;
    while (this.kinds[m] === T.Ws) m++;
    const kind = this.kinds[m];
    return kind === T.Newline || kind === T.Eof ? { start: this.start(k), end: this.end(k) } : undefined;
  }

  /** Whether token i holds a line break (only a block comment can, among comments). */
  protected spansLines(i: number): boolean {
    for (let at = this.start(i); at < this.end(i); at++) {
      const c = this.text.charCodeAt(at);
      if (c === 10 || c === 13) return true;
    }
    return false;
  }

  /** Comment lines directly above token `nameIndex` (each line: indentation, one comment, newline). */
  protected leadCommentsBefore(nameIndex: number): Range | undefined {
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
}
