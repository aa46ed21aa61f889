/**
 * The JSON value of an expression, in two forms:
 * - `evaluate`: exactly as the official HCL parser (`@cdktn/hcl2json`) gives it: literals evaluated,
 *   strings unescaped, collections converted item by item, and anything that needs evaluation
 *   (references, calls, operators, conditionals, for expressions) as `"${source}"`. Matching the
 *   official parser byte for byte is what lets it serve as the test oracle.
 * - `constantValue`: the value Terraform computes for a variables file, where there is no
 *   evaluation context: operators, conditionals and parentheses on constants are evaluated as
 *   hclsyntax does (`24 * 60` is 1440; see constant-ops.ts), and integers beyond 2^53 are exact
 *   (bigint). What still needs a context (`var.x`, `upper("a")`) keeps the `"${source}"` form, and
 *   the evaluation says so (`constant: false`); tfvars-validity.ts says why Terraform refuses it.
 * Strings are in the official parser's form in both (a literal `${` is `$${`).
 */
import { PlainTemplateNode } from './syntax-nodes.js';
import type { Expression, TemplatePart } from './syntax.js';
import { binary, conditional, exactNumber, negate, not, templateText } from './constant-ops.js';
import { cookHeredocLiteral, cookTemplateLiteral, escapeTemplateMarkers } from './template-text.js';

/** A bigint only for an integer beyond 2^53 (in constantValue's form), so that it stays exact. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

/** Sets a key on a plain object, `__proto__` included (plain assignment would drop it). */
export function setProperty(target: { [key: string]: JsonValue }, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export function evaluate(expr: Expression, text: string): JsonValue {
  return new Evaluator(text, false).value(expr);
}

export interface ConstantValue {
  value: JsonValue;
  /** False when a part needs an evaluation context and was kept as `"${source}"`. */
  constant: boolean;
}

export function constantValue(expr: Expression, text: string): ConstantValue {
  const evaluator = new Evaluator(text, true);
  const value = evaluator.value(expr);
  return { value, constant: evaluator.computed === 0 };
}

class Evaluator {
  /** How many parts were kept as `"${source}"` (or template directives as written). */
  computed = 0;

  constructor(
    private readonly text: string,
    /** constantValue's form: operators on constants evaluated, big integers exact. */
    private readonly fold: boolean,
  ) {}

  private source(node: { start: number; end: number }): string {
    return this.text.slice(node.start, node.end);
  }

  private wrap(expr: Expression): string {
    this.computed++;
    return '${' + this.source(expr) + '}';
  }

  /** The constant value of `expr`, or undefined when a part of it needs a context. */
  private known(expr: Expression): JsonValue | undefined {
    const before = this.computed;
    const value = this.value(expr);
    return this.computed === before ? value : undefined;
  }

  /** constantValue's form of operators, parentheses and conditionals: evaluated when their operands are constants. */
  private folded(expr: Expression): JsonValue | undefined {
    const before = this.computed;
    let result: JsonValue | undefined;
    switch (expr.type) {
      case 'parens':
        result = this.known(expr.inner);
        break;
      case 'unary': {
        const operand = this.known(expr.operand);
        if (operand !== undefined) result = expr.operator === '-' ? negate(operand) : not(operand);
        break;
      }
      case 'binary': {
        const left = this.known(expr.left);
        const right = this.known(expr.right);
        if (left !== undefined && right !== undefined) result = binary(expr.operator, left, right);
        break;
      }
      case 'conditional': {
        const condition = this.known(expr.condition);
        const whenTrue = this.known(expr.whenTrue);
        const whenFalse = this.known(expr.whenFalse);
        if (condition !== undefined && whenTrue !== undefined && whenFalse !== undefined) result = conditional(condition, whenTrue, whenFalse);
        break;
      }
    }
    // The parts were evaluated only to look: the whole expression is kept (and counted) instead.
    this.computed = before;
    return result;
  }

  value(expr: Expression): JsonValue {
    switch (expr.type) {
      case 'literal':
        if (typeof expr.value !== 'number') return expr.value;
        if (!Number.isFinite(expr.value)) return null;
        return this.fold ? exactNumber(expr.value, () => exactDecimal(this.source(expr))) : expr.value;
      case 'unary':
        if (this.fold) return this.folded(expr) ?? this.wrap(expr);
        return this.unary(expr);
      case 'parens':
      case 'binary':
      case 'conditional':
        return (this.fold ? this.folded(expr) : undefined) ?? this.wrap(expr);
      case 'template':
      case 'heredoc': {
        if (expr instanceof PlainTemplateNode) return this.plainText(expr);
        const only = expr.parts.length === 1 ? expr.parts[0]! : undefined;
        if (expr.type === 'template' && only?.type === 'interpolation') return this.value(only.expr);
        return this.template(expr);
      }
      case 'tuple':
        return expr.items.map((item) => this.value(item));
      case 'object': {
        const out: { [key: string]: JsonValue } = {};
        for (const item of expr.items) setProperty(out, this.key(item.key), this.value(item.value));
        return out;
      }
      default:
        return this.wrap(expr);
    }
  }

  /** `-1` and `!true` are evaluated; `-x` or `-(1)` stay expressions. */
  private unary(expr: Expression & { type: 'unary' }): JsonValue {
    const operand = expr.operand;
    if (operand.type === 'literal') {
      if (expr.operator === '-' && typeof operand.value === 'number') {
        const v = -operand.value;
        return Number.isFinite(v) ? v : null;
      }
      if (expr.operator === '!' && typeof operand.value === 'boolean') return !operand.value;
    }
    return this.wrap(expr);
  }

  private key(key: Expression): string {
    // A bare name is its own text, keywords included: `{ null = 1 }` has the key "null".
    if (key.type === 'traversal' || (key.type === 'literal' && typeof key.value !== 'number')) return this.source(key);
    return this.stringPart(key);
  }

  /** An expression inside a string: literals become text, anything else `${source}`. */
  private stringPart(expr: Expression): string {
    if (expr.type === 'literal') return typeof expr.value === 'number' ? exactDecimal(this.source(expr)) : String(expr.value);
    if (this.fold && (expr.type === 'unary' || expr.type === 'binary' || expr.type === 'parens' || expr.type === 'conditional')) {
      const folded = this.folded(expr);
      const text = folded === undefined ? undefined : templateText(folded);
      if (text !== undefined) return text;
    }
    if (expr.type === 'template') {
      if (expr instanceof PlainTemplateNode) return this.plainText(expr);
      const only = expr.parts.length === 1 ? expr.parts[0]! : undefined;
      if (only?.type === 'interpolation') return this.stringPart(only.expr);
      return this.template(expr);
    }
    if (expr.type === 'heredoc') return this.template(expr);
    if (expr.type === 'conditional') {
      // The official parser writes a conditional inside a string as a template directive.
      this.computed++;
      const whenFalse = this.stringPart(expr.whenFalse);
      const elseBranch = whenFalse ? `%{else}${whenFalse}` : '';
      return `%{if ${this.source(expr.condition)}}${this.stringPart(expr.whenTrue)}${elseBranch}%{endif}`;
    }
    return this.wrap(expr);
  }

  /** Most strings: text between quotes, nothing to interpolate (read without making `parts`). */
  private plainText(expr: PlainTemplateNode): string {
    return escapeTemplateMarkers(toNFC(cookTemplateLiteral(this.text.slice(expr.start + 1, expr.end - 1))));
  }

  private template(expr: Expression & { type: 'template' | 'heredoc' }): string {
    const heredoc = expr.type === 'heredoc';
    const parts = expr.parts;
    const literals = parts.map((part) => {
      if (part.type !== 'literal') return '';
      const raw = this.source(part);
      return toNFC(heredoc ? cookHeredocLiteral(raw) : cookTemplateLiteral(raw));
    });
    // HCL applies strip markers first, then measures indentation on what they left.
    applyStripMarkers(parts, literals);
    if (heredoc && expr.indented) flushIndentation(parts, literals);

    let out = '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part.type === 'directive' && part.keyword === 'if') {
        // The official parser drops an if directive whose branches interpolate null.
        const end = matchingEndif(parts, i);
        if (parts.slice(i, end).some(isNullInterpolation)) {
          i = end;
          continue;
        }
      }
      if (part.type === 'literal') out += escapeTemplateMarkers(literals[i]!);
      else if (part.type === 'interpolation') out += this.stringPart(part.expr);
      else {
        // Directives are kept as written: the value is not one tfsync computed.
        this.computed++;
        out += this.directive(part, parts[i + 1]);
      }
    }
    return out;
  }

  /** The official parser rebuilds directives from their parts: `%{ if c }` becomes `%{if c}`. */
  private directive(part: TemplatePart & { type: 'directive' }, next: TemplatePart | undefined): string {
    switch (part.keyword) {
      case 'if':
        return `%{if ${part.expr ? this.source(part.expr) : ''}}`;
      case 'else':
        // An empty else branch is dropped.
        return next?.type === 'directive' && next.keyword === 'endif' ? '' : '%{else}';
      case 'for': {
        const vars = part.keyVar ? `${part.keyVar}, ${part.valueVar}` : part.valueVar;
        return `%{for ${vars} in ${part.expr ? this.source(part.expr) : ''}}`;
      }
      default:
        return `%{${part.keyword}}`;
    }
  }
}

/** HCL normalizes string literals to NFC. Text below U+0300 (no combining marks) already is. */
function toNFC(s: string): string {
  return NOT_BELOW_U0300.test(s) ? s.normalize('NFC') : s;
}

const NOT_BELOW_U0300 = /[^\u0000-\u02ff]/;

/**
 * A number literal as the official parser writes it into a string: its exact decimal value, with
 * no exponent and no float rounding (`1.50` → "1.5", `1e3` → "1000", 20 digits stay 20 digits).
 */
export function exactDecimal(literal: string): string {
  const match = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!match) return literal;
  const digits = (match[1] ?? '') + (match[2] ?? '');
  const exponent = Number(match[3] ?? 0) - (match[2] ?? '').length;
  if (Math.abs(exponent) > 10_000) return String(Number(literal)); // no one writes these; don't build huge strings
  let whole = exponent >= 0 ? digits + '0'.repeat(exponent) : digits.slice(0, Math.max(0, digits.length + exponent));
  let fraction = exponent >= 0 ? '' : digits.slice(Math.max(0, digits.length + exponent)).padStart(-exponent, '0');
  whole = whole.replace(/^0+(?=\d)/, '') || '0';
  fraction = fraction.replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

function isNullInterpolation(part: TemplatePart): boolean {
  return part.type === 'interpolation' && part.expr.type === 'literal' && part.expr.value === null;
}

/** Index of the `%{ endif }` closing the `%{ if }` at `ifIndex` (the parser checked they pair). */
function matchingEndif(parts: TemplatePart[], ifIndex: number): number {
  let depth = 0;
  for (let i = ifIndex; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.type !== 'directive') continue;
    if (part.keyword === 'if') depth++;
    else if (part.keyword === 'endif' && --depth === 0) return i;
  }
  return parts.length - 1;
}

/**
 * `<<-` heredocs lose the indentation common to their lines, counted in characters. Blank lines do
 * not count, and a line that starts with an interpolation has no indentation at all (HCL's rule).
 */
function flushIndentation(parts: TemplatePart[], literals: string[]): void {
  let minimum = Infinity;
  let atLineStart = true;
  const adjust: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (atLineStart) {
      atLineStart = false;
      if (part.type === 'literal') {
        const lit = literals[i]!;
        const spaces = leadingSpace(lit);
        if (!(spaces === lit.length && lit.endsWith('\n'))) {
          minimum = Math.min(minimum, spaces);
          adjust.push(i);
        }
      } else {
        minimum = 0;
      }
    }
    if (part.type === 'literal' && literals[i]!.endsWith('\n')) atLineStart = true;
  }
  if (minimum === 0 || minimum === Infinity) return;
  // Every adjusted line starts with at least `minimum` white-space characters.
  for (const i of adjust) literals[i] = literals[i]!.slice(minimum);
}

/** How many white-space characters (Unicode \s, all in the BMP: one UTF-16 unit each) start a line. */
function leadingSpace(line: string): number {
  let n = 0;
  while (n < line.length && WHITE_SPACE.test(line[n]!)) n++;
  return n;
}

const WHITE_SPACE = /\s/u;

/** `${~ x}` trims white space before the sequence, `${x ~}` after it. */
function applyStripMarkers(parts: TemplatePart[], literals: string[]): void {
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.type === 'literal') continue;
    if (part.stripBefore && parts[i - 1]?.type === 'literal') literals[i - 1] = literals[i - 1]!.replace(/\s+$/u, '');
    if (part.stripAfter && parts[i + 1]?.type === 'literal') literals[i + 1] = literals[i + 1]!.replace(/^\s+/u, '');
  }
}
