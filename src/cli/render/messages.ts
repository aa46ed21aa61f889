/** Small pieces of command output that are not a report: warnings, and choosing the format. */
import { TfsyncError } from '../../errors.js';
import type { CliContext } from '../command.js';
import type { Colors } from '../colors.js';
import { relativizeText } from '../../model/path-inside.js';

/** Warnings for stderr, one line each. */
export function renderWarnings(messages: readonly string[], colors: Colors): string {
  return messages.map((m) => `${colors.yellow('tfsync: warning:')} ${m}\n`).join('');
}

/** A warning callback for the writers (a lock left by a killed run), paths shown relative to cwd. */
export function warnOn(ctx: CliContext): (warning: string) => void {
  return (warning) => ctx.output.stderr(renderWarnings([relativizeText(warning, ctx.cwd)], ctx.output.colors));
}

/**
 * The output format from `--json` and `--format`: `--json` is short for `--format json`, and
 * naming two different formats is an error rather than a guess.
 */
export function chooseFormat<F extends string>(json: boolean | undefined, format: F | undefined, fallback: F): F | 'json' {
  if (json && format !== undefined && format !== 'json') {
    throw new TfsyncError(`--json and --format ${format} ask for different formats`, { code: 'usage', hint: 'give one of them' });
  }
  return json ? 'json' : (format ?? fallback);
}
