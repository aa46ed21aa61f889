/**
 * Values as HCL source text: what promotion and `set` write when a value has no source of its own
 * to copy (a value built from leaves, a JSON file's value going into a .tfvars file), and the
 * check that a text reads back as the value it was meant to be.
 */
import { TfsyncError } from '../errors.js';
import { evaluate, type JsonValue } from './evaluate.js';
import { parse } from './parser.js';
import { scan, T } from './scanner.js';
import { quoteString } from './template-text.js';

/** A collection is written on one line when that line is no wider than this. */
const INLINE_WIDTH = 80;
const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Bare, these keys parse as literals rather than names; quoted, they are plainly strings. */
const KEYWORDS = new Set(['null', 'true', 'false']);

/**
 * A JSON value (in the official parser's JSON form) as HCL source that evaluates back to it.
 * Collections go on one line when short, else one item a line with two-space indentation.
 */
export function formatValue(value: JsonValue): string {
  return format(value, '');
}

function format(value: JsonValue, indent: string): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a JSON number: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return formatString(value);
  const inner = indent + '  ';
  if (Array.isArray(value)) return layout('[', ']', value.map((v) => format(v, inner)), ',', indent);
  const items = Object.entries(value).map(([k, v]) => `${formatKey(k)} = ${format(v, inner)}`);
  return layout('{', '}', items, '', indent);
}

function layout(open: string, close: string, items: string[], separator: string, indent: string): string {
  if (items.length === 0) return open + close;
  const pad = open === '{' ? ' ' : '';
  const oneLine = `${open}${pad}${items.join(', ')}${pad}${close}`;
  if (!oneLine.includes('\n') && indent.length + oneLine.length <= INLINE_WIDTH) return oneLine;
  const inner = indent + '  ';
  return `${open}\n${items.map((item) => `${inner}${item}${separator}\n`).join('')}${indent}${close}`;
}

function formatKey(key: string): string {
  return BARE_KEY.test(key) && !KEYWORDS.has(key) ? key : formatString(key);
}

function formatString(s: string): string {
  if (!/[$%]\{/.test(s)) return quoteString(s);
  const template = `"${templateBody(s)}"`;
  if (valueOf(template) === JSON.stringify(s)) return template;
  throw new TfsyncError(`cannot write ${JSON.stringify(s)} as HCL: its \${ or %{ is not a valid template`, { code: 'unwritable-value' });
}

/**
 * In the JSON form a string is a template: `${...}` and `%{...}` are template syntax, and a literal
 * `${` or `%{` is written `$${` or `%%{` (see escapeTemplateMarkers). Written as a quoted template,
 * its literal text needs backslash escapes and its template sequences must stay as they are (a
 * `"` inside `${upper("a")}` is not escaped). The string is scanned as a heredoc body, which takes
 * literal text raw, to tell the two apart.
 */
function templateBody(s: string): string {
  let marker = 'EOT';
  while (s.includes(marker)) marker += '_';
  const heredoc = `<<${marker}\n${s}\n${marker}\n`;
  const bodyStart = marker.length + 3;
  const bodyEnd = bodyStart + s.length;
  const { tokens } = scan(heredoc);
  let out = '';
  let depth = 0;
  for (let i = 0; i < tokens.count; i++) {
    const start = Math.max(tokens.start(i), bodyStart);
    const end = Math.min(tokens.end(i), bodyEnd);
    if (start >= end) continue;
    const kind = tokens.kind(i);
    const piece = heredoc.slice(start, end);
    if (kind === T.Interp || kind === T.Control) depth++;
    else if (kind === T.InterpEnd) depth--;
    // quoteString doubles the `$${` escapes a literal already has; undoing exactly that keeps them.
    out += depth === 0 && kind === T.Literal ? quoteString(piece).slice(1, -1).replace(/([$%])\1\{/g, '$1{') : piece;
  }
  return out;
}

/** The JSON text of an expression's value, or undefined if it does not parse. */
export function valueOf(exprText: string): string | undefined {
  const file = parse(`x = ${exprText}\n`, { tfvars: true });
  const item = file.body.items[0];
  if (file.diagnostics.length > 0 || item?.type !== 'attribute') return undefined;
  return JSON.stringify(evaluate(item.expr, file.text));
}
