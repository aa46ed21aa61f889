/**
 * Bodies: attributes and blocks, line by line, with what an in-place edit needs around each
 * attribute (the whole lines it occupies, its line comment and the comments above it). Errors are
 * recovered from at the next line on which the brackets balance, so one mistake does not hide the
 * rest of the file.
 */
import { diagnostic, type Diagnostic, type Range } from './diagnostics.js';
import { LineCounter } from './line-counter.js';
import { T } from './scanner.js';
import type { Attribute, Block, Body, BodyItem, Expression, TemplateExpr } from './syntax.js';
import { cookTemplateLiteral } from './template-text.js';
import type { Tokens } from './scanner.js';
import { TemplateParser } from './template-parser.js';

export interface ParseOptions {
  /** A variables file: blocks are not allowed (Terraform rejects them). */
  tfvars?: boolean;
  /**
   * Receives each top-level attribute as soon as it is parsed; it is then not kept in the body.
   * A caller that needs only values evaluates it there and lets the expression tree go, so a large
   * file is never held as one tree (that retention, not parsing, dominated loading large repos).
   *
   * Handed-over attributes are not checked for names set twice: the caller keeps the names, and
   * finds those once the whole file is read (see tfvars.ts, and duplicateAttribute below). Looking
   * names up while parsing was a fifth of the time of reading a large file: a map that grows while
   * its keys and values are still young keeps the garbage collector busy.
   */
  onAttribute?: (attribute: Attribute) => void;
}

/** The diagnostic for an attribute whose name an earlier one, on `earlierLine`, already set. */
export function duplicateAttribute(name: string, nameRange: Range, earlierLine: number): Diagnostic {
  const message = `Attribute "${name}" is set twice; it was already set on line ${earlierLine}.`;
  return diagnostic('duplicate-attribute', message, nameRange.start, nameRange.end);
}

export class BodyParser extends TemplateParser {
  private lineCounter?: LineCounter;

  constructor(
    text: string,
    tokens: Tokens,
    private readonly options: ParseOptions,
  ) {
    super(text, tokens);
  }

  get lines(): LineCounter {
    return (this.lineCounter ??= new LineCounter(this.text));
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
        if (handOff) {
          handOff(item);
          continue;
        }
        const earlier = seen.get(item.name);
        if (earlier === undefined) seen.set(item.name, item.nameRange.start);
        else this.diagnostics.push(duplicateAttribute(item.name, item.nameRange, this.lines.line(earlier)));
        items.push(item);
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
      range: { start: nameStart, end: expr.end },
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
    return label.parts.map((p) => (p.type === 'literal' ? cookTemplateLiteral(this.text.slice(p.start, p.end)) : '')).join('');
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
}
