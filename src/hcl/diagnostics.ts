/**
 * Diagnostics are data: the parser collects them instead of throwing, and the shell decides how
 * to show them. Ranges are offsets into the text; line and column come from a LineCounter on demand.
 */
export interface Range {
  /** Offset of the first character. */
  start: number;
  /** Offset just past the last character (start === end for a point). */
  end: number;
}

export type DiagnosticCode =
  | 'unexpected-character'
  | 'unterminated-string'
  | 'unterminated-heredoc'
  | 'unterminated-comment'
  | 'invalid-escape'
  | 'expected-expression'
  | 'expected-equals'
  | 'expected-newline'
  | 'expected-closing'
  | 'expected-separator'
  | 'expected-name'
  | 'duplicate-attribute'
  | 'place-not-object'
  | 'block-in-tfvars'
  | 'variables-not-allowed'
  | 'functions-not-allowed'
  | 'invalid-json'
  | 'not-an-object'
  | 'too-deep';

export interface Diagnostic {
  code: DiagnosticCode;
  message: string;
  range: Range;
  severity: 'error' | 'warning';
}

export function diagnostic(code: DiagnosticCode, message: string, start: number, end = start): Diagnostic {
  return { code, message, range: { start, end }, severity: 'error' };
}
