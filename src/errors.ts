import type { Diagnostic, DiagnosticCode, Range } from './hcl/diagnostics.js';

/**
 * tfsync's own error codes, beside the parser's diagnostic codes (src/hcl/diagnostics.ts). Stable:
 * scripts match on them (`--json` prints them); docs/errors.md says what each means. A new kind
 * of error gets a new code; a message may change, its code does not.
 */
export const ERROR_CODES = [
  'error',
  'internal',
  'usage',
  'config-not-found',
  'config-invalid',
  'unknown-environment',
  'unknown-variable',
  'unknown-key-path',
  'not-syncable',
  'classification-conflict',
  'unknown-group',
  'invalid-assignment',
  'file-not-found',
  'file-unreadable',
  'file-not-utf8',
  'file-too-large',
  'official-parser',
  'outside-repository',
  'no-terminal',
  'no-backup',
  'verification-failed',
  'changed-on-disk',
  'file-locked',
  'read-only-file',
  'write-failed',
  'secret-ref-invalid',
  'secret-not-found',
  'secret-access-denied',
  'secret-backend-failed',
  'secret-backend-missing',
  'secret-timeout',
  'secret-not-writable',
  'secret-to-terminal',
  'command-not-found',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number] | DiagnosticCode;

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
      /** What kind of error this is, for scripts (default `error`: one not yet given a code of its own). */
      code?: ErrorCode;
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

  get code(): ErrorCode {
    return this.options.code ?? 'error';
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
  const toError = (d: Diagnostic) => new TfsyncError(d.message, { code: d.code, location: { file, text, range: d.range } });
  return new TfsyncError(first.message, {
    code: first.code,
    location: { file, text, range: first.range },
    more: rest.map(toError),
  });
}
