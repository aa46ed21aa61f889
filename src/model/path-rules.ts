/**
 * Config entries that reach inside a variable: `node_pools.*.image`, `tags.*`, `tags.Environment`.
 * An entry is a name pattern (patterns.ts: `*` and `?` over variable names) followed by key-path
 * steps (key-path.ts, with `*` for any one key or index). An entry without steps names whole
 * variables, as it always has.
 *
 * Which entry decides a value (docs/key-paths.md): of the entries that cover its path (each step
 * matches, and an entry shorter than the path covers everything under it), the most specific one:
 * longer beats shorter, then fewer wildcards beat more (an exact name counts as no wildcard, a name
 * pattern as one). Two entries of different classes that tie are a conflict.
 */
import { TfsyncError } from '../errors.js';
import type { JsonValue } from '../hcl/evaluate.js';
import { parseKeyPath, type KeyPath, type PathPart } from '../hcl/key-path.js';
import { compilePattern, isExactPattern, type CompiledPattern } from './patterns.js';

export interface PathPattern {
  /** The entry as tfsync.json writes it. */
  source: string;
  name: CompiledPattern;
  /** The steps inside the variable; empty for an entry naming whole variables. */
  parts: PathPart[];
}

/** Whether an entry has key-path steps (a variable name never holds `.` or `[`). */
export function hasPathSteps(entry: string): boolean {
  return /[.[]/.test(entry);
}

const cache = new Map<string, PathPattern>();

/**
 * Parses an entry; a bad key path is a TfsyncError whose `column` (1-based, in the entry) says
 * where it goes wrong, so that config.ts can point into tfsync.json.
 */
export function parsePathPattern(entry: string): PathPattern {
  let parsed = cache.get(entry);
  if (parsed) return parsed;
  const cut = entry.search(/[.[]/);
  const name = cut < 0 ? entry : entry.slice(0, cut);
  if (cut === 0) throw new PatternError(entry, 1, `expected a variable name or pattern before "${entry[0]}"`);
  let steps: PathPart[] = [];
  if (cut > 0) {
    try {
      // The steps are parsed after a stand-in name, so the grammar stays key-path.ts's.
      steps = parseKeyPath(`x${entry.slice(cut)}`, { globs: true }).parts;
    } catch (error) {
      const found = error instanceof TfsyncError ? /at column (\d+): (.*)$/s.exec(error.message) : null;
      if (!found) throw error;
      throw new PatternError(entry, Number(found[1]) - 1 + cut, found[2]!);
    }
  }
  parsed = { source: entry, name: compilePattern(name), parts: steps };
  cache.set(entry, parsed);
  return parsed;
}

export class PatternError extends TfsyncError {
  constructor(
    entry: string,
    readonly column: number,
    reason: string,
  ) {
    super(`invalid key path "${entry}" at column ${column}: ${reason}`, {
      hint: 'entries look like name_*, tags.*, tags."cost-center" or node_pools.*.image',
    });
  }
}

/** A rule of one variable: an entry with steps whose name pattern matches the variable's name. */
export interface PathRule {
  source: string;
  parts: PathPart[];
  /** The entry's name is a pattern rather than an exact name (one wildcard in specificity). */
  nameGlob: boolean;
}

export type RuleClass = 'syncable' | 'environment-specific';

export type ClassRule = PathRule & { class: RuleClass };

export function ruleOf(pattern: PathPattern): PathRule {
  return { source: pattern.source, parts: pattern.parts, nameGlob: !isExactPattern(pattern.name.source) };
}

/** `[length, -wildcards]`: compare lexicographically, greater is more specific. */
export function ruleSpecificity(rule: PathRule): [number, number] {
  const globs = rule.parts.filter((p) => p.kind === 'any').length + (rule.nameGlob ? 1 : 0);
  return [rule.parts.length, -globs];
}

export function compareRules(a: PathRule, b: PathRule): number {
  const [la, ga] = ruleSpecificity(a);
  const [lb, gb] = ruleSpecificity(b);
  return la - lb || ga - gb;
}

function partMatches(pattern: PathPart, part: PathPart): boolean {
  if (pattern.kind === 'any') return true;
  if (pattern.kind === 'index') return part.kind === 'index' && part.index === pattern.index;
  return part.kind === 'key' && part.key === pattern.key;
}

/** Whether the rule covers the value at `parts` (a shorter rule covers everything under it). */
export function ruleCovers(rule: PathRule, parts: readonly PathPart[]): boolean {
  return rule.parts.length <= parts.length && rule.parts.every((p, i) => partMatches(p, parts[i]!));
}

/** Whether the rule names something strictly inside the value at `parts`. */
export function ruleReachesBelow(rule: PathRule, parts: readonly PathPart[]): boolean {
  return rule.parts.length > parts.length && parts.every((p, i) => partMatches(rule.parts[i]!, p));
}

/** Whether two rules of the same length can cover one path (each step could match the same key). */
export function rulesOverlap(a: PathRule, b: PathRule): boolean {
  if (a.parts.length !== b.parts.length) return false;
  return a.parts.every((p, i) => {
    const q = b.parts[i]!;
    if (p.kind === 'any' || q.kind === 'any') return true;
    if (p.kind === 'key' && q.kind === 'key') return p.key === q.key;
    return p.kind === 'index' && q.kind === 'index' && p.index === q.index;
  });
}

/** The most specific rule covering `parts`, or undefined when none does. */
export function decidingRule<R extends PathRule>(rules: readonly R[], parts: readonly PathPart[]): R | undefined {
  let best: R | undefined;
  for (const rule of rules) if (ruleCovers(rule, parts) && (!best || compareRules(rule, best) > 0)) best = rule;
  return best;
}

/** One piece of a variable that a single class decides: promoted, checked and compared as a whole. */
export interface Unit {
  path: KeyPath;
  class: RuleClass | 'unclassified';
}

/**
 * Splits a variable into the pieces its rules decide: a value goes whole when no rule reaches
 * inside it, else into its keys (the union of the keys of every value given, in the order met).
 * Only objects split: a list of another length is another list, not the same items moved, and a
 * value that is not an object in every side that has it is one piece.
 * `rootClass` decides where no rule with steps covers; `splits` are further paths to split at
 * (a `--var a.b.c`, a group's entries) without a class of their own.
 */
export function unitsOf(
  name: string,
  rootClass: Unit['class'],
  rules: readonly ClassRule[],
  values: ReadonlyArray<JsonValue | undefined>,
  splits: readonly PathRule[] = [],
): Unit[] {
  const out: Unit[] = [];
  const walk = (parts: PathPart[], here: ReadonlyArray<JsonValue | undefined>) => {
    const present = here.filter((v) => v !== undefined);
    const inside = rules.some((r) => ruleReachesBelow(r, parts)) || splits.some((r) => ruleReachesBelow(r, parts));
    if (inside && present.length > 0 && present.every(isObject)) {
      const keys = new Set<string>();
      for (const v of present) for (const key of Object.keys(v)) keys.add(key);
      for (const key of keys) walk([...parts, { kind: 'key', key }], here.map((v) => (isObject(v) && Object.hasOwn(v, key) ? v[key] : undefined)));
      return;
    }
    out.push({ path: { name, parts }, class: decidingRule(rules, parts)?.class ?? rootClass });
  };
  walk([], values);
  return out;
}

export function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Whether an entry (with or without steps) is about the variable `name`. */
export function entryMatchesName(entry: string, name: string): boolean {
  return hasPathSteps(entry) ? parsePathPattern(entry).name.test(name) : compilePattern(entry).test(name);
}

/** Entries with key paths (`tags.*`) must parse; `external` names whole variables only. */
export function checkKeyPathEntries(
  raw: { syncable?: string[]; environmentSpecific?: string[]; sensitive?: string[]; groups?: Record<string, string[]>; external?: string[] },
  fail: (segments: string[], message: string, hint?: string) => never,
): void {
  const lists: Array<[string[], string[] | undefined]> = [
    [['syncable'], raw.syncable],
    [['environmentSpecific'], raw.environmentSpecific],
    [['sensitive'], raw.sensitive],
    ...Object.entries(raw.groups ?? {}).map(([group, list]): [string[], string[]] => [['groups', group], list]),
  ];
  for (const [segments, list] of lists) {
    (list ?? []).forEach((entry, i) => {
      if (!hasPathSteps(entry)) return;
      try {
        parsePathPattern(entry);
      } catch (error) {
        if (error instanceof TfsyncError) fail([...segments, String(i)], error.message.replace(/^invalid key path "(?:[^"\\]|\\.)*"/, 'is not a valid key path'), error.hint);
        throw error;
      }
    });
  }
  (raw.external ?? []).forEach((entry, i) => {
    if (hasPathSteps(entry)) fail(['external', String(i)], 'names a key path: external values are whole variables', 'write the variable\'s name or a name pattern');
  });
}
