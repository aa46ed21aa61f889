/**
 * Templates: quoted strings and heredocs, with their `${ ... }` interpolations and `%{ ... }`
 * directives. The scanner has already split them into literal text and sequences; here the
 * sequences get their expressions, and directives are checked to pair up.
 */
import { T } from './scanner.js';
import { DirectiveNode, HeredocNode, InterpolationNode, leaf, PlainTemplateNode, TemplateNode } from './syntax-nodes.js';
import type { DirectivePart, Expression, TemplateExpr, TemplatePart } from './syntax.js';
import { ExpressionParser } from './expression-parser.js';

const DIRECTIVES = new Set(['if', 'else', 'endif', 'for', 'endfor']);

export abstract class TemplateParser extends ExpressionParser {
  protected parseTemplate(): TemplateExpr {
    const open = this.next();
    if (this.kinds[open + 1] === T.Literal && this.kinds[open + 2] === T.CQuote) {
      this.consume();
      return new PlainTemplateNode(this.start(open), this.end(this.consume()));
    }
    const start = this.start(open);
    const parts = this.parseTemplateParts(T.CQuote);
    if (!this.failed) {
      if (this.kinds[this.i] === T.CQuote) this.consume();
      else this.fail('unterminated-string', 'Unterminated string: no closing quote was found.', this.i);
    }
    return new TemplateNode(start, this.lastEnd(), parts);
  }

  protected parseHeredoc(): Expression {
    const open = this.next();
    const opener = this.textAt(open);
    const indented = opener.charCodeAt(2) === 45; // <<-
    const marker = opener.slice(indented ? 3 : 2).trimEnd();
    const parts = this.parseTemplateParts(T.CHeredoc);
    if (!this.failed) {
      if (this.kinds[this.i] === T.CHeredoc) this.consume();
      else this.fail('unterminated-heredoc', `Unterminated heredoc: no closing "${marker}" line was found.`, this.i);
    }
    return new HeredocNode(this.start(open), this.lastEnd(), marker, indented, parts);
  }

  /** The parts up to the closing quote or marker (`end`), which is left for the caller. */
  private parseTemplateParts(end: number): TemplatePart[] {
    // Text in one piece (a one-line heredoc): an array built by push reserves 17 slots, so this
    // case gets an array of exactly one.
    if (this.kinds[this.i] === T.Literal && this.kinds[this.i + 1] === end) {
      const at = this.consume();
      return [leaf('literal', this.start(at), this.end(at))];
    }
    const parts: TemplatePart[] = [];
    let directives = false;
    while (!this.failed) {
      const kind = this.kinds[this.i];
      if (kind === T.Literal) {
        const at = this.consume();
        parts.push(leaf('literal', this.start(at), this.end(at)));
      } else if (kind === T.Interp || kind === T.Control) {
        directives ||= kind === T.Control;
        const part = this.parseTemplateSequence();
        if (part) parts.push(part);
      } else {
        // The closing quote or marker, or where the scanner gave up (an unterminated string).
        break;
      }
    }
    if (directives) this.checkDirectives(parts);
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
    const start = this.start(open);
    const part: InterpolationNode | DirectiveNode | undefined =
      this.kinds[open] === T.Interp
        ? new InterpolationNode(start, start, this.parseExpression(), stripBefore)
        : this.parseDirective(start, stripBefore);
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
    part.end = this.end(close);
    return part;
  }

  private parseDirective(start: number, stripBefore: boolean): DirectiveNode | undefined {
    const at = this.next();
    const keyword = this.textAt(at);
    if (this.kinds[at] !== T.Ident || !DIRECTIVES.has(keyword)) {
      this.fail('expected-name', `Expected a template directive (if, else, endif, for, endfor), but found ${this.describe(at)}.`, at);
      return undefined;
    }
    const part = new DirectiveNode(start, start, keyword as DirectivePart['keyword'], stripBefore);
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
