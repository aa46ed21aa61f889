/**
 * Key paths: one grammar, everywhere a value inside a variable is named (get, set, diff, check,
 * show, config patterns). `tags.Environment`, `tags."cost-center"`, `subnets[0]`, and in patterns
 * the glob `*` for any one key or index (`node_pools.*.image`, `subnets[*]`).
 *
 *   path    := name step*
 *   name    := identifier | quoted
 *   step    := "." (identifier | quoted | "*") | "[" (digits | quoted | "*") "]"
 *   quoted  := a JSON string literal
 */
import { TfsyncError } from '../errors.js';

export type PathPart =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'any' };

export interface KeyPath {
  /** The variable the path starts at. */
  name: string;
  /** The steps inside its value; empty for the whole variable. */
  parts: PathPart[];
}

const IDENTIFIER = /^[\p{ID_Start}_][\p{ID_Continue}-]*/u;
const BARE_KEY = /^[\p{ID_Start}_][\p{ID_Continue}-]*$/u;

export interface ParseKeyPathOptions {
  /** Whether `*` is allowed (config patterns). */
  globs?: boolean;
}

/** Parses a key path; a bad one is an error pointing at the column where it goes wrong. */
export function parseKeyPath(text: string, options: ParseKeyPathOptions = {}): KeyPath {
  let at = 0;
  const fail = (message: string): never => {
    throw new TfsyncError(`invalid key path "${text}" at column ${at + 1}: ${message}`, {
      code: 'unknown-key-path',
      hint: 'key paths look like tags.Environment, tags."cost-center" or subnets[0]',
    });
  };
  const quoted = (): string => {
    const match = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(at));
    if (!match) return fail('unterminated quoted key');
    let key: string;
    try {
      key = JSON.parse(match[0]) as string;
    } catch {
      return fail('invalid escape in quoted key');
    }
    at += match[0].length;
    return key;
  };
  const word = (what: string): string => {
    if (text[at] === '"') return quoted();
    const match = IDENTIFIER.exec(text.slice(at));
    if (!match) return fail(`expected ${what}`);
    at += match[0].length;
    return match[0];
  };
  const glob = (): boolean => {
    if (text[at] !== '*') return false;
    if (!options.globs) fail('"*" is allowed only in tfsync.json patterns');
    at++;
    return true;
  };

  const name = word('a variable name');
  const parts: PathPart[] = [];
  while (at < text.length) {
    const c = text[at];
    if (c === '.') {
      at++;
      parts.push(glob() ? { kind: 'any' } : { kind: 'key', key: word('a key after "."') });
    } else if (c === '[') {
      at++;
      if (glob()) parts.push({ kind: 'any' });
      else if (text[at] === '"') parts.push({ kind: 'key', key: quoted() });
      else {
        const digits = /^\d+/.exec(text.slice(at));
        if (!digits) fail('expected an index, a quoted key or "*" inside [ ]');
        at += digits![0].length;
        parts.push({ kind: 'index', index: Number(digits![0]) });
      }
      if (text[at] !== ']') fail('expected "]"');
      at++;
    } else {
      fail('expected "." or "["');
    }
  }
  return { name, parts };
}

/** Whether the text is a plain variable name rather than a path into one. */
export function isPlainName(text: string): boolean {
  return BARE_KEY.test(text);
}

/** The path written in the grammar above: what every output and error shows. */
export function formatKeyPath(path: KeyPath): string {
  return formatKey(path.name, '') + path.parts.map(formatPart).join('');
}

export function formatPart(part: PathPart): string {
  if (part.kind === 'index') return `[${part.index}]`;
  if (part.kind === 'any') return '.*';
  return formatKey(part.key, '.');
}

function formatKey(key: string, dot: string): string {
  return BARE_KEY.test(key) ? `${dot}${key}` : `${dot}${JSON.stringify(key)}`;
}

/** The path one step further in: `child(tags, "Environment")` is `tags.Environment`. */
export function childPath(path: KeyPath, part: PathPart): KeyPath {
  return { name: path.name, parts: [...path.parts, part] };
}

/**
 * Whether a pattern covers a path: each of its steps matches (a `*` any key or index), and a
 * pattern shorter than the path covers everything under it (`tags` covers `tags.Environment`).
 */
export function patternCovers(pattern: KeyPath, path: KeyPath): boolean {
  if (pattern.name !== path.name || pattern.parts.length > path.parts.length) return false;
  return pattern.parts.every((p, i) => partMatches(p, path.parts[i]!));
}

function partMatches(pattern: PathPart, part: PathPart): boolean {
  if (pattern.kind === 'any') return true;
  if (pattern.kind === 'index') return part.kind === 'index' && part.index === pattern.index;
  return part.kind === 'key' && part.key === pattern.key;
}

/**
 * How specific a pattern is, to let the most specific of several covering patterns win: longer
 * first, then the one with fewer globs. Compare with `compareSpecificity`.
 */
export function specificity(pattern: KeyPath): [number, number] {
  return [pattern.parts.length, -pattern.parts.filter((p) => p.kind === 'any').length];
}

export function compareSpecificity(a: KeyPath, b: KeyPath): number {
  const [la, ga] = specificity(a);
  const [lb, gb] = specificity(b);
  return la - lb || ga - gb;
}
