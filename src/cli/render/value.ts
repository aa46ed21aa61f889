/**
 * Values as people read them in tfvars files: HCL-ish source rebuilt from the JSON value. Strings
 * are quoted, a string that is one whole `${...}` is shown as the expression it stands for, and
 * lists and maps too long for one line are spread over indented lines as `terraform fmt` would.
 */
import type { JsonValue } from '../../hcl/evaluate.js';
import { widest } from './lists.js';

/** Lists and maps whose one-line form is longer than this are spread over several lines. */
export const INLINE_WIDTH = 60;

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The value on one line, however long. */
export function inlineValue(value: JsonValue): string {
  return inlineWithin(value, Infinity)!;
}

/**
 * The one-line form when it is at most `width` long, else undefined. It stops as soon as the text
 * is too long: valueLines asks at every level of a nested value, and building each level's whole
 * one-line form made rendering a large map quadratic in its depth. Strings are quoted, a string that
 * is one whole `${...}` shows as its expression, maps as `{ k = v, ... }`.
 */
function inlineWithin(value: JsonValue, width: number): string | undefined {
  let out = '';
  const add = (piece: string): boolean => (out += piece).length <= width;
  const walk = (v: JsonValue): boolean => {
    if (Array.isArray(v)) {
      if (!add('[')) return false;
      for (let i = 0; i < v.length; i++) if ((i > 0 && !add(', ')) || !walk(v[i]!)) return false;
      return add(']');
    }
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      if (entries.length === 0) return add('{}');
      if (!add('{ ')) return false;
      for (let i = 0; i < entries.length; i++) {
        const [k, item] = entries[i]!;
        if ((i > 0 && !add(', ')) || !add(`${objectKey(k)} = `) || !walk(item)) return false;
      }
      return add(' }');
    }
    return add(typeof v === 'string' ? stringValue(v) : String(v));
  };
  return walk(value) ? out : undefined;
}

/** The value as lines: one when it fits in `width`, else the indented multi-line form. */
export function valueLines(value: JsonValue, width = INLINE_WIDTH): string[] {
  const inline = inlineWithin(value, width);
  if (inline !== undefined || value === null || typeof value !== 'object') return [inline ?? inlineValue(value)];
  const inner = Math.max(width - 2, 20);
  if (Array.isArray(value)) {
    if (value.length === 0) return [inlineValue(value)];
    const items = value.flatMap((item) => withSuffix(valueLines(item, inner), ','));
    return ['[', ...items.map((line) => `  ${line}`), ']'];
  }
  const entries = Object.entries(value).map(([k, v]) => [objectKey(k), v] as const);
  const keyWidth = widest(entries.map(([k]) => k.length));
  const body = entries.flatMap(([k, v]) => {
    const [first = '', ...rest] = valueLines(v, inner - keyWidth - 3);
    return [`${k.padEnd(keyWidth)} = ${first}`, ...rest];
  });
  return ['{', ...body.map((line) => `  ${line}`), '}'];
}

function withSuffix(lines: string[], suffix: string): string[] {
  return lines.map((line, i) => (i === lines.length - 1 ? line + suffix : line));
}

function objectKey(key: string): string {
  return BARE_KEY.test(key) ? key : quote(key);
}

/**
 * A string value as source. JSON values of HCL hold templates (`${` starts an interpolation,
 * `$${` is a literal `${`), so the markers are already escaped and must be left as they are; a
 * string that is a single interpolation from end to end is an expression the parser could not
 * evaluate (`var.x`, `local.tags`), shown as written, with line breaks folded.
 */
function stringValue(s: string): string {
  const expression = wholeInterpolation(s);
  if (expression !== undefined && !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(expression)) {
    return foldLines(expression.trim());
  }
  return quote(s);
}

/** An expression written over several lines, on one: `merge(\n  a,\n)` becomes `merge(a)`. */
function foldLines(source: string): string {
  return source
    .replace(/([([])[ \t]*\r?\n\s*/g, '$1')
    .replace(/,?[ \t]*\r?\n\s*([)\]])/g, '$1')
    .replace(/[ \t]*\r?\n\s*/g, ' ');
}

/** Quoted with HCL escapes; every control character escaped so that none reaches a terminal. */
function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * The text inside `${...}` when the whole string is one interpolation, else undefined. Braces are
 * counted outside quoted strings, and quoted strings may hold templates of their own, so
 * `${join(",", ["${a}}"])}` is one interpolation while `${a}-${b}` is not.
 */
export function wholeInterpolation(s: string): string | undefined {
  if (!s.startsWith('${') || !s.endsWith('}')) return undefined;
  // A stack of contexts: 'e' inside an expression (with its open brace count), 's' inside a string.
  const stack: Array<{ kind: 'e'; depth: number } | { kind: 's' }> = [{ kind: 'e', depth: 0 }];
  for (let i = 2; i < s.length; i++) {
    const top = stack[stack.length - 1]!;
    const c = s[i];
    if (top.kind === 's') {
      if (c === '\\') i++;
      else if (c === '"') stack.pop();
      else if ((c === '$' || c === '%') && s[i + 1] === '{') {
        stack.push({ kind: 'e', depth: 0 });
        i++;
      }
      continue;
    }
    if (c === '"') stack.push({ kind: 's' });
    else if (c === '{') top.depth++;
    else if (c === '}') {
      if (top.depth > 0) top.depth--;
      else {
        stack.pop();
        if (stack.length === 0) return i === s.length - 1 ? s.slice(2, -1) : undefined;
      }
    }
  }
  return undefined;
}
