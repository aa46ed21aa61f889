/**
 * What an error message about a file must not show: the values of its sensitive variables. Used
 * where a file could not be parsed (or decoded), so the parser's reading of it cannot be trusted:
 * the text is searched for lines that look like an assignment to a sensitive name, and the value
 * is followed over the lines it continues on (a multi-line object, a list, a heredoc).
 */
import { TfsyncError } from '../errors.js';

/** `name = ...` (native syntax) or `"name": ...` (JSON), with its indentation. */
const ASSIGNMENT = /^([ \t]*)(?:"([^"]*)"[ \t]*:|([A-Za-z_][\w-]*)[ \t]*=(?!=))[ \t]*(.*)$/;
const HEREDOC = /^<<-?([A-Za-z_][\w-]*)/;

/**
 * The pieces of `text` that show a sensitive value: for each assignment to a sensitive name, the
 * value as it stands on the first line, and each further line the value spans (trimmed). The
 * renderer masks them wherever they occur in an excerpt, and `scrub` in messages.
 */
export function secretsOfText(text: string, isSensitive: (name: string) => boolean): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const secrets: string[] = [];
  const add = (piece: string) => {
    const trimmed = piece.trim();
    // A line of brackets or commas alone gives nothing away, and masking it would hide every `}`.
    if (/[\p{L}\p{N}]/u.test(trimmed)) secrets.push(trimmed);
  };
  for (let i = 0; i < lines.length; i++) {
    const match = ASSIGNMENT.exec(lines[i]!);
    if (!match) continue;
    const name = match[2] ?? match[3]!;
    if (!isSensitive(name)) continue;
    const indent = match[1]!.length;
    const value = match[4]!;
    add(value);
    const heredoc = HEREDOC.exec(value)?.[1];
    if (heredoc !== undefined) {
      // To the closing marker (or the end of the file, when it is missing).
      for (i++; i < lines.length; i++) {
        add(lines[i]!);
        if (lines[i]!.trim() === heredoc) break;
      }
      continue;
    }
    let depth = bracketDepth(value);
    // An unbalanced value goes on until its brackets close, or until a line that is plainly the
    // next attribute (no deeper indented than this one), which is where a parser would resume too.
    for (let j = i + 1; depth > 0 && j < lines.length; j++) {
      const next = ASSIGNMENT.exec(lines[j]!);
      if (next && next[1]!.length <= indent) break;
      add(lines[j]!);
      depth += bracketDepth(lines[j]!);
      i = j;
    }
  }
  return secrets;
}

/** Opening minus closing brackets on a line, outside quoted strings and comments: a rough count. */
function bracketDepth(line: string): number {
  let depth = 0;
  let quoted = false;
  for (let k = 0; k < line.length; k++) {
    const c = line[k];
    if (quoted) {
      if (c === '\\') k++;
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '#' || (c === '/' && line[k + 1] === '/')) break;
    else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
  }
  return depth;
}

/**
 * A message with every quoted fragment that occurs in a secret replaced: `found "hunter2"` becomes
 * `found "(sensitive)"`. Fragments are matched rather than whole secrets because a parser names
 * a single token of the line it could not read.
 */
export function scrub(message: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return message;
  return message.replace(/"((?:[^"\\]|\\.)*)"/g, (quoted, inner: string) => {
    const raw = unquote(inner);
    return raw.trim() !== '' && /[\p{L}\p{N}]/u.test(raw) && secrets.some((s) => s.includes(raw)) ? '"(sensitive)"' : quoted;
  });
}

function unquote(inner: string): string {
  try {
    return JSON.parse(`"${inner}"`) as string;
  } catch {
    return inner;
  }
}

/**
 * The error with the secrets of the text it quotes added, so that its excerpt and message mask
 * them: for errors raised before a file could be parsed (invalid UTF-8, a NUL byte) or by a parser
 * that gave up. Anything else is returned as it is.
 */
export function withSecretsOfText(err: unknown, isSensitive: (name: string) => boolean): unknown {
  if (!(err instanceof TfsyncError) || err.location === undefined) return err;
  const found = secretsOfText(err.location.text, isSensitive);
  if (found.length === 0) return err;
  return new TfsyncError(err.message, { ...err.options, secrets: [...(err.options.secrets ?? []), ...found] });
}

/** `variable "name" {` at the start of a line. */
const VARIABLE_BLOCK = /^[ \t]*variable[ \t]+"([^"]*)"[ \t]*\{/;

/**
 * The secrets of a variables (.tf) file that does not parse: the `default` of each variable
 * block that is sensitive (by name, or by a `sensitive = true` line in it), as secretsOfText
 * finds a value. A block runs to the next `variable` line, or to a `}` at the start of a line.
 */
export function secretsOfVariables(text: string, isSensitive: (name: string) => boolean): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const secrets: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const name = VARIABLE_BLOCK.exec(lines[i]!)?.[1];
    if (name === undefined) continue;
    let end = i + 1;
    while (end < lines.length && !VARIABLE_BLOCK.test(lines[end]!) && !lines[end - 1]!.startsWith('}')) end++;
    const block = lines.slice(i, end).join('\n');
    if (isSensitive(name) || /^[ \t]*sensitive[ \t]*=[ \t]*true\b/m.test(block)) {
      for (const secret of secretsOfText(block, (key) => key === 'default')) secrets.push(secret);
    }
    i = end - 1;
  }
  return secrets;
}
