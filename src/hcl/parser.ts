/**
 * A recursive-descent parser for the HCL native syntax, over the scanner's tokens. It builds the
 * concrete syntax tree of syntax.ts and never throws: errors become diagnostics, and the parser
 * recovers at the next line so that one mistake does not hide the rest of the file.
 *
 * The grammar is layered: token-cursor.ts (position, trivia, errors) ← expression-parser.ts ←
 * template-parser.ts ← body-parser.ts (attributes and blocks).
 */
import { BodyParser, type ParseOptions } from './body-parser.js';
import type { Diagnostic } from './diagnostics.js';
import { scan } from './scanner.js';
import type { Expression, SyntaxFile } from './syntax.js';

export type { ParseOptions } from './body-parser.js';
export { MAX_NESTING } from './token-cursor.js';

export function parse(text: string, options: ParseOptions = {}): SyntaxFile {
  const scanned = scan(text);
  const parser = new BodyParser(text, scanned.tokens, options);
  const body = parser.parseBody(false);
  const diagnostics = mergeDiagnostics(scanned.diagnostics, parser.diagnostics);
  return {
    text,
    tokens: scanned.tokens,
    body,
    diagnostics,
    // Built on first use: reading a value needs no line numbers.
    get lines() {
      return parser.lines;
    },
  };
}

/** One expression on its own, such as a value's source text; offsets are into `text`. */
export function parseExpression(text: string): { expr: Expression; diagnostics: Diagnostic[] } {
  const scanned = scan(text);
  const parser = new BodyParser(text, scanned.tokens, {});
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
