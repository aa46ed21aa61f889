import type { Diagnostic, Range } from './hcl/diagnostics.js';

/**
 * The one error type the core raises when it cannot go on (bad config, unknown environment,
 * a syntax error in a file it must read). It carries where the problem is, as data; the CLI entry
 * point alone turns it into `file:line:col: message`, an excerpt with a caret, and exit code 1.
 */
export interface ErrorLocation {
  /** Path as the user should see it (relative to the working directory where possible). */
  file: string;
  /** The file's text, so the renderer can compute line, column and an excerpt. */
  text: string;
  range: Range;
}

export class TfsyncError extends Error {
  override readonly name = 'TfsyncError';
  constructor(
    message: string,
    readonly options: {
      location?: ErrorLocation;
      /** A next step for the user: "did you mean prod?", "run tfsync init". */
      hint?: string;
      /** Further problems of the same kind (all syntax errors of a file, say). */
      more?: TfsyncError[];
      /**
       * Values that must never be printed (sensitive values on the excerpt's line). The renderer
       * masks them in the excerpt.
       */
      secrets?: string[];
    } = {},
  ) {
    super(message);
  }

  get location(): ErrorLocation | undefined {
    return this.options.location;
  }

  get hint(): string | undefined {
    return this.options.hint;
  }
}

/** Wraps parser diagnostics of one file as a TfsyncError (the first is the headline). */
export function syntaxError(file: string, text: string, diagnostics: Diagnostic[]): TfsyncError {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const [first, ...rest] = errors.length > 0 ? errors : diagnostics;
  if (!first) throw new Error('syntaxError needs at least one diagnostic');
  const toError = (d: Diagnostic) => new TfsyncError(d.message, { location: { file, text, range: d.range } });
  return new TfsyncError(first.message, {
    location: { file, text, range: first.range },
    more: rest.map(toError),
  });
}
