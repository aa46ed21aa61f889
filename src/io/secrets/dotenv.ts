/**
 * A dotenv file's variables, as the common dotenv readers take them: `KEY=value` lines, an optional
 * `export `, `#` comments, single quotes literal, double quotes with \n, \t, \" and \\ escapes and
 * spanning lines, unquoted values trimmed and cut at ` #`. Used for decrypted age files, so it never
 * reports what it read: a line it cannot parse makes the whole text "not dotenv" (undefined).
 */
import type { SecretRef } from '../../model/secret-ref.js';
import { SecretError } from './backend.js';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*/;

export function parseDotenv(text: string): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  const src = text.replace(/\r\n?/g, '\n');
  let at = 0;
  while (at < src.length) {
    const end = src.indexOf('\n', at) < 0 ? src.length : src.indexOf('\n', at);
    const line = src.slice(at, end);
    if (line.trim() === '' || line.trimStart().startsWith('#')) {
      at = end + 1;
      continue;
    }
    const match = LINE.exec(line);
    if (!match) return undefined;
    const name = match[1]!;
    const start = at + match[0].length;
    const quote = src[start];
    if (quote === '"' || quote === "'") {
      const value = quoted(src, start, quote);
      if (!value) return undefined;
      const rest = src.slice(value.next, src.indexOf('\n', value.next) < 0 ? src.length : src.indexOf('\n', value.next));
      if (rest.trim() !== '' && !rest.trimStart().startsWith('#')) return undefined;
      fields[name] = value.text;
      at = value.next + rest.length + 1;
    } else {
      fields[name] = line.slice(match[0].length).replace(/\s+#.*$/, '').trim();
      at = end + 1;
    }
  }
  return fields;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

/** The quoted value starting at `start` (its opening quote), and the index after its closing quote. */
function quoted(src: string, start: number, quote: string): { text: string; next: number } | undefined {
  let text = '';
  for (let i = start + 1; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === quote) return { text, next: i + 1 };
    if (quote === '"' && ch === '\\' && i + 1 < src.length) {
      const next = src[i + 1]!;
      text += ESCAPES[next] ?? `\\${next}`;
      i++;
    } else {
      text += ch;
    }
  }
  return undefined;
}

/**
 * The fields of a structured secret file (`what`: "the file", "the decrypted file"), for `#/key`:
 * a JSON object, else a dotenv file. Neither is an error that never quotes the text: JSON.parse's
 * message shows the text around the error, which is the value.
 */
export function fieldsOf(ref: SecretRef, text: string, what: string, hint?: string): unknown {
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new SecretError(ref, 'secret-backend-failed', `${what} starts like JSON but is not valid JSON`);
    }
  }
  const fields = parseDotenv(text);
  if (fields === undefined) throw new SecretError(ref, 'secret-backend-failed', `${what} is neither a JSON object nor a dotenv file (KEY=value lines), so it has no #/key to pick`, hint);
  return fields;
}
