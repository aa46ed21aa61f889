/**
 * The HCL native-syntax scanner: one pass over char codes producing tokens that cover every byte of
 * the input, trivia included, so that concatenating the tokens' text gives the input back exactly.
 *
 * Templates make the lexical grammar context dependent (inside `"..."` a `${` opens an
 * interpolation whose `}` returns to the string), so the scanner keeps a stack of modes, the way
 * HCL's own scanner does. It never throws: a character it cannot place becomes an `invalid` token
 * and a diagnostic.
 */
import { diagnostic, type Diagnostic } from './diagnostics.js';

/** Token kinds, as small integers so that a token costs two array slots and no object. */
export const T = {
  Ws: 1, // spaces and tabs
  Newline: 2, // \n or \r\n
  Comment: 3, // # ..., // ... (without the newline) or a block comment
  Ident: 4,
  Number: 5,
  OQuote: 6, // opening " of a quoted template
  CQuote: 7, // closing "
  Literal: 8, // literal text inside a template or heredoc, escapes included as written
  Interp: 9, // ${
  Control: 10, // %{
  InterpEnd: 11, // } closing an interpolation or directive
  Strip: 12, // ~ after ${ / %{ or before }
  OHeredoc: 13, // <<EOT or <<-EOT, with its newline
  CHeredoc: 14, // the closing marker line's indentation and marker (its newline is a Newline)
  Invalid: 15,
  Eof: 16,
  LBrace: 17, RBrace: 18, LBracket: 19, RBracket: 20, LParen: 21, RParen: 22,
  Equals: 23, Colon: 24, Comma: 25, Dot: 26, Ellipsis: 27, Question: 28, Bang: 29,
  Arrow: 30, EqEq: 31, NotEq: 32, Lt: 33, Gt: 34, Le: 35, Ge: 36, And: 37, Or: 38,
  Plus: 39, Minus: 40, Star: 41, Slash: 42, Percent: 43,
} as const;

export type TokenKind = (typeof T)[keyof typeof T];

/** Length in characters of each punctuation kind. */
const PUNCT_LENGTH = new Uint8Array(64).fill(1);
PUNCT_LENGTH[T.Ellipsis] = 3;
for (const kind of [T.Arrow, T.EqEq, T.NotEq, T.Le, T.Ge, T.And, T.Or]) PUNCT_LENGTH[kind] = 2;

/**
 * The tokens of a text, struct-of-arrays. Tokens are contiguous and cover the whole text, so a
 * token's end is the next token's start; the last token is always Eof (empty, at text.length).
 */
export class Tokens {
  constructor(
    /** Number of tokens, the final Eof included. */
    readonly count: number,
    /** kinds[i] is token i's kind. */
    readonly kinds: Uint8Array,
    /** starts[i] is token i's start offset; starts[count] is the text's length, so end(i) = starts[i + 1]. */
    readonly starts: Int32Array,
  ) {}

  kind(i: number): TokenKind {
    return this.kinds[Math.min(i, this.count - 1)] as TokenKind;
  }

  start(i: number): number {
    return this.starts[Math.min(i, this.count - 1)]!;
  }

  end(i: number): number {
    return this.starts[Math.min(i + 1, this.count)]!;
  }
}

export interface ScanResult {
  tokens: Tokens;
  diagnostics: Diagnostic[];
}

type Mode =
  | { type: 'normal'; braces: number; interpolation: boolean }
  | { type: 'quoted' }
  | { type: 'heredoc'; marker: string; atLineStart: boolean };

const enum C {
  Tab = 9, LF = 10, CR = 13, Space = 32, Bang = 33, Quote = 34, Hash = 35, Dollar = 36,
  Percent = 37, Amp = 38, LParen = 40, RParen = 41, Star = 42, Plus = 43, Comma = 44, Minus = 45,
  Dot = 46, Slash = 47, D0 = 48, D9 = 57, Colon = 58, Lt = 60, Eq = 61, Gt = 62, Question = 63,
  UA = 65, UE = 69, UZ = 90, LBracket = 91, Backslash = 92, RBracket = 93, Underscore = 95,
  La = 97, Le = 101, Lz = 122, LBrace = 123, Pipe = 124, RBrace = 125, Tilde = 126,
}

const ID_START = /\p{ID_Start}/u;
const ID_CONTINUE = /\p{ID_Continue}/u;

function isAsciiIdStart(c: number): boolean {
  return (c >= C.La && c <= C.Lz) || (c >= C.UA && c <= C.UZ) || c === C.Underscore;
}

function isDigit(c: number): boolean {
  return c >= C.D0 && c <= C.D9;
}

/**
 * HCL reads numbers as arbitrary-precision floats whose binary exponent is a 32-bit integer:
 * larger magnitudes (1e700000000) are errors there, so they are here. Tiny ones round to zero.
 */
function exponentOutOfRange(literal: string, exponent: number): boolean {
  if (exponent < -0x80000000) return true;
  const mantissa = parseFloat(literal.replace(/[eE].*$/, '')) || 1;
  return Math.log2(mantissa) + exponent * Math.log2(10) > 0x7fffffff;
}

/** Scans `text` into tokens. */
export function scan(text: string): ScanResult {
  return new Scanner(text).run();
}

class Scanner {
  private pos = 0;
  private count = 0;
  private kinds: Uint8Array;
  private starts: Int32Array;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly modes: Mode[] = [{ type: 'normal', braces: 0, interpolation: false }];

  constructor(private readonly text: string) {
    // Roughly one token per 4 characters in real files; grown on demand.
    const capacity = Math.max(64, text.length >> 2);
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
  }

  run(): ScanResult {
    const len = this.text.length;
    while (this.pos < len) {
      const depth = this.modes.length;
      const mode = this.modes[depth - 1]!;
      if (mode.type === 'normal') {
        // Most tokens are in this mode: stay until a token opens or closes another (a normal-mode
        // token pushes or pops at most one mode, so an unchanged depth means the same mode).
        do this.scanNormal(mode);
        while (this.pos < len && this.modes.length === depth);
      } else if (mode.type === 'quoted') {
        this.scanQuoted();
      } else {
        this.scanHeredoc(mode);
      }
    }
    const open = this.modes[this.modes.length - 1]!;
    if (open.type === 'quoted') {
      this.diagnostics.push(diagnostic('unterminated-string', 'Unterminated string: no closing quote was found.', len));
    } else if (open.type === 'heredoc') {
      this.diagnostics.push(
        diagnostic('unterminated-heredoc', `Unterminated heredoc: no closing "${open.marker}" line was found.`, len),
      );
    }
    this.push(T.Eof, len, len);
    this.push(T.Eof, len, len); // the sentinel: starts[count] = len, so every token has an end
    const count = this.count - 1;
    return {
      tokens: new Tokens(count, this.kinds.subarray(0, count), this.starts.subarray(0, count + 1)),
      diagnostics: this.diagnostics,
    };
  }

  private push(kind: TokenKind, start: number, end: number): void {
    if (this.count === this.kinds.length) {
      const kinds = new Uint8Array(this.count * 2);
      kinds.set(this.kinds);
      this.kinds = kinds;
      const starts = new Int32Array(this.count * 2);
      starts.set(this.starts);
      this.starts = starts;
    }
    this.kinds[this.count] = kind;
    this.starts[this.count] = start;
    this.count++;
    this.pos = end;
  }

  private code(at: number): number {
    return this.text.charCodeAt(at);
  }

  private scanNormal(mode: Extract<Mode, { type: 'normal' }>): void {
    const start = this.pos;
    const c = this.code(start);
    const next = this.code(start + 1);

    if (c === C.Space || c === C.Tab) {
      let i = start + 1;
      while (i < this.text.length && (this.code(i) === C.Space || this.code(i) === C.Tab)) i++;
      return this.push(T.Ws, start, i);
    }
    if (c === C.LF) return this.push(T.Newline, start, start + 1);
    if (c === C.CR) {
      if (next === C.LF) return this.push(T.Newline, start, start + 2);
      // A lone CR is not a line ending in HCL.
      return this.invalid(start, 'A carriage return must be followed by a line feed.');
    }
    if (c === C.Hash || (c === C.Slash && next === C.Slash)) {
      // To the line ending (LF or CRLF); a lone CR stays in the comment. indexOf skips the text
      // far faster than a loop, and comments are a good part of real files.
      let end = this.text.indexOf('\n', start + 1);
      if (end < 0) end = this.text.length;
      else if (this.code(end - 1) === C.CR && end - 1 > start) end--;
      return this.push(T.Comment, start, end);
    }
    if (c === C.Slash && next === C.Star) {
      const close = this.text.indexOf('*/', start + 2);
      if (close < 0) {
        this.diagnostics.push(
          diagnostic('unterminated-comment', 'Unterminated comment: no closing "*/" was found.', start, start + 2),
        );
        return this.push(T.Comment, start, this.text.length);
      }
      return this.push(T.Comment, start, close + 2);
    }
    if (isAsciiIdStart(c) || (c >= 0x80 && this.isUnicodeIdStart(start))) return this.scanIdent(start);
    if (isDigit(c)) return this.scanNumber(start);
    if (c === C.Quote) {
      this.modes.push({ type: 'quoted' });
      return this.push(T.OQuote, start, start + 1);
    }
    if (c === C.Lt && next === C.Lt && this.tryHeredoc(start)) return;

    if (mode.interpolation) {
      if (c === C.Tilde && this.code(start + 1) === C.RBrace && mode.braces === 0) {
        return this.push(T.Strip, start, start + 1);
      }
      if (c === C.RBrace && mode.braces === 0) {
        this.modes.pop();
        return this.push(T.InterpEnd, start, start + 1);
      }
    }
    if (c === C.LBrace) mode.braces++;
    else if (c === C.RBrace && mode.braces > 0) mode.braces--;

    const punct = this.punct(c, next);
    if (punct) return this.push(punct, start, start + PUNCT_LENGTH[punct]!);
    return this.invalid(start, `Unexpected character ${JSON.stringify(String.fromCodePoint(this.text.codePointAt(start)!))}.`);
  }

  /** The punctuation token at the current position, or 0. */
  private punct(c: number, next: number): TokenKind | 0 {
    switch (c) {
      case C.LBrace: return T.LBrace;
      case C.RBrace: return T.RBrace;
      case C.LBracket: return T.LBracket;
      case C.RBracket: return T.RBracket;
      case C.LParen: return T.LParen;
      case C.RParen: return T.RParen;
      case C.Comma: return T.Comma;
      case C.Colon: return T.Colon;
      case C.Question: return T.Question;
      case C.Plus: return T.Plus;
      case C.Minus: return T.Minus;
      case C.Star: return T.Star;
      case C.Slash: return T.Slash;
      case C.Percent: return T.Percent;
      case C.Dot:
        return next === C.Dot && this.code(this.pos + 2) === C.Dot ? T.Ellipsis : T.Dot;
      case C.Eq:
        return next === C.Gt ? T.Arrow : next === C.Eq ? T.EqEq : T.Equals;
      case C.Bang:
        return next === C.Eq ? T.NotEq : T.Bang;
      case C.Lt:
        return next === C.Eq ? T.Le : T.Lt;
      case C.Gt:
        return next === C.Eq ? T.Ge : T.Gt;
      case C.Amp:
        return next === C.Amp ? T.And : 0;
      case C.Pipe:
        return next === C.Pipe ? T.Or : 0;
      default:
        return 0;
    }
  }

  private invalid(start: number, message: string): void {
    const cp = this.text.codePointAt(start)!;
    const end = start + (cp > 0xffff ? 2 : 1);
    this.diagnostics.push(diagnostic('unexpected-character', message, start, end));
    this.push(T.Invalid, start, end);
  }

  private isUnicodeIdStart(at: number): boolean {
    return ID_START.test(String.fromCodePoint(this.text.codePointAt(at)!));
  }

  private scanIdent(start: number): void {
    let i = start;
    const len = this.text.length;
    while (i < len) {
      const c = this.code(i);
      if (isAsciiIdStart(c) || isDigit(c) || c === C.Minus) {
        i++;
        continue;
      }
      if (c >= 0x80) {
        const cp = this.text.codePointAt(i)!;
        if (ID_CONTINUE.test(String.fromCodePoint(cp))) {
          i += cp > 0xffff ? 2 : 1;
          continue;
        }
      }
      break;
    }
    this.push(T.Ident, start, i);
  }

  /**
   * HCL numbers: digits, an optional fraction, an optional exponent; no sign, no hex. The fraction
   * may be empty when an exponent follows (`1.e5`), as in HCL.
   */
  private scanNumber(start: number): void {
    let i = start;
    while (isDigit(this.code(i))) i++;
    const exponentAt = (at: number) => {
      const e = this.code(at);
      if (e !== C.Le && e !== C.UE) return -1;
      const sign = this.code(at + 1);
      const digits = sign === C.Plus || sign === C.Minus ? at + 2 : at + 1;
      return isDigit(this.code(digits)) ? digits : -1;
    };
    if (this.code(i) === C.Dot && (isDigit(this.code(i + 1)) || exponentAt(i + 1) >= 0)) {
      i++;
      while (isDigit(this.code(i))) i++;
    }
    const digits = exponentAt(i);
    if (digits >= 0) {
      i = digits;
      while (isDigit(this.code(i))) i++;
      if (exponentOutOfRange(this.text.slice(start, i), parseInt(this.text.slice(start, i).replace(/^.*[eE]/, ''), 10))) {
        this.diagnostics.push(diagnostic('unexpected-character', 'Number out of range: the exponent is too large.', start, i));
      }
    }
    this.push(T.Number, start, i);
  }

  /** `<<EOT` or `<<-EOT` followed by a newline opens a heredoc; anything else is not one. */
  private tryHeredoc(start: number): boolean {
    let i = start + 2;
    if (this.code(i) === C.Minus) i++;
    const markerStart = i;
    if (!isAsciiIdStart(this.code(i))) return false;
    while (isAsciiIdStart(this.code(i)) || isDigit(this.code(i)) || this.code(i) === C.Minus) i++;
    const marker = this.text.slice(markerStart, i);
    if (this.code(i) === C.CR && this.code(i + 1) === C.LF) i += 2;
    else if (this.code(i) === C.LF) i += 1;
    else return false;
    this.modes.push({ type: 'heredoc', marker, atLineStart: true });
    this.push(T.OHeredoc, start, i);
    return true;
  }

  private scanQuoted(): void {
    const start = this.pos;
    const c = this.code(start);
    if (c === C.Quote) {
      this.modes.pop();
      return this.push(T.CQuote, start, start + 1);
    }
    if (this.tryTemplateOpen(start)) return;
    if (c === C.LF || c === C.CR) {
      // Quoted strings end at the line (a lone CR included); report it and carry on in normal
      // mode so the rest of the file still parses.
      this.diagnostics.push(
        diagnostic('unterminated-string', 'Unterminated string: a quoted string cannot span lines.', start),
      );
      this.modes.pop();
      return;
    }
    let i = start;
    const len = this.text.length;
    while (i < len) {
      const d = this.code(i);
      if (d === C.Quote || d === C.LF || d === C.CR) break;
      if (d === C.Backslash) {
        i = this.scanEscape(i);
        continue;
      }
      if ((d === C.Dollar || d === C.Percent) && this.code(i + 1) === C.LBrace) break;
      if ((d === C.Dollar || d === C.Percent) && this.code(i + 1) === d && this.code(i + 2) === C.LBrace) {
        i += 3; // $${ and %%{ are literal ${ and %{
        continue;
      }
      i++;
    }
    this.push(T.Literal, start, i);
  }

  /** Returns the offset after the escape at `at`, reporting escapes HCL does not know. */
  private scanEscape(at: number): number {
    const sel = this.code(at + 1);
    switch (sel) {
      case 110: case 114: case 116: case C.Quote: case C.Backslash: // n r t " \
        return at + 2;
      case 117: // u
        return this.scanHexEscape(at, 4);
      case 85: // U
        return this.scanHexEscape(at, 8);
      default: {
        if (Number.isNaN(sel) || sel === C.LF || sel === C.CR) {
          this.diagnostics.push(diagnostic('invalid-escape', 'Incomplete escape sequence at the end of the line.', at, at + 1));
          return at + 1;
        }
        const shown = String.fromCodePoint(this.text.codePointAt(at + 1)!);
        this.diagnostics.push(
          diagnostic('invalid-escape', `Invalid escape sequence "\\${shown}".`, at, at + 1 + shown.length),
        );
        return at + 1 + shown.length;
      }
    }
  }

  private scanHexEscape(at: number, digits: number): number {
    let i = at + 2;
    const end = i + digits;
    while (i < end && /[0-9a-fA-F]/.test(this.text[i] ?? '')) i++;
    if (i < end) {
      this.diagnostics.push(
        diagnostic('invalid-escape', `Invalid escape sequence: expected ${digits} hexadecimal digits.`, at, i),
      );
      return i;
    }
    const cp = parseInt(this.text.slice(at + 2, end), 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      this.diagnostics.push(diagnostic('invalid-escape', `Invalid escape sequence: U+${cp.toString(16).toUpperCase()} is not a Unicode character.`, at, end));
    }
    return i;
  }

  /** `${` or `%{`, with an optional strip marker, switches to an interpolation. */
  private tryTemplateOpen(start: number): boolean {
    const c = this.code(start);
    if ((c !== C.Dollar && c !== C.Percent) || this.code(start + 1) !== C.LBrace) return false;
    this.modes.push({ type: 'normal', braces: 0, interpolation: true });
    this.push(c === C.Dollar ? T.Interp : T.Control, start, start + 2);
    if (this.code(this.pos) === C.Tilde) this.push(T.Strip, this.pos, this.pos + 1);
    return true;
  }

  private scanHeredoc(mode: Extract<Mode, { type: 'heredoc' }>): void {
    const start = this.pos;
    if (mode.atLineStart) {
      mode.atLineStart = false;
      const close = this.closingMarkerEnd(start, mode.marker);
      if (close >= 0) {
        this.modes.pop();
        return this.push(T.CHeredoc, start, close);
      }
    }
    if (this.tryTemplateOpen(start)) return;
    let i = start;
    const len = this.text.length;
    while (i < len) {
      const d = this.code(i);
      if (d === C.LF) {
        i++;
        mode.atLineStart = true;
        break;
      }
      if (d === C.CR && this.code(i + 1) !== C.LF) {
        this.diagnostics.push(diagnostic('unexpected-character', 'A carriage return must be followed by a line feed.', i, i + 1));
      }
      if ((d === C.Dollar || d === C.Percent) && this.code(i + 1) === C.LBrace) break;
      if ((d === C.Dollar || d === C.Percent) && this.code(i + 1) === d && this.code(i + 2) === C.LBrace) {
        i += 3;
        continue;
      }
      i++;
    }
    this.push(T.Literal, start, i);
  }

  /**
   * A closing marker is a line holding only optional indentation, the marker and optional trailing
   * blanks, ended by a newline (HCL requires the newline, even at the end of the file). Returns the offset after the
   * marker, or -1.
   */
  private closingMarkerEnd(lineStart: number, marker: string): number {
    let i = lineStart;
    while (this.code(i) === C.Space || this.code(i) === C.Tab) i++;
    if (!this.text.startsWith(marker, i)) return -1;
    let end = i + marker.length;
    while (this.code(end) === C.Space || this.code(end) === C.Tab) end++;
    const after = this.code(end);
    if (after === C.LF || (after === C.CR && this.code(end + 1) === C.LF)) return end;
    return -1;
  }
}
