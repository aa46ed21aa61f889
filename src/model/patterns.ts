/**
 * Globs over variable names, as written in tfsync.json: `*` matches any run of characters
 * (including none), `?` exactly one, and every other character only itself. Names are not paths,
 * so there are no separators, classes or braces to worry about.
 */

export interface CompiledPattern {
  readonly source: string;
  /** True when the pattern has no wildcard: an exact name, which beats any glob. */
  readonly exact: boolean;
  test(name: string): boolean;
}

// Compiled patterns are cached: the same handful of patterns is tested against every variable of
// every environment, and building a RegExp costs far more than testing one.
const cache = new Map<string, CompiledPattern>();

export function isExactPattern(pattern: string): boolean {
  return !pattern.includes('*') && !pattern.includes('?');
}

export function compilePattern(pattern: string): CompiledPattern {
  let compiled = cache.get(pattern);
  if (compiled) return compiled;
  if (isExactPattern(pattern)) {
    compiled = { source: pattern, exact: true, test: (name) => name === pattern };
  } else {
    const regex = new RegExp(`^${globToRegexSource(pattern)}$`, 'su');
    compiled = { source: pattern, exact: false, test: (name) => regex.test(name) };
  }
  cache.set(pattern, compiled);
  return compiled;
}

export function matches(pattern: string, name: string): boolean {
  return compilePattern(pattern).test(name);
}

/** The patterns (in their given order) that match the name. */
export function matchingPatterns(patterns: readonly string[], name: string): string[] {
  return patterns.filter((p) => matches(p, name));
}

export function matchesAny(patterns: readonly string[], name: string): boolean {
  return patterns.some((p) => matches(p, name));
}

/**
 * A naive translation (`*` to `.*`) backtracks polynomially: `*a*a*a*a*b` against a long run of
 * `a`s takes seconds. Between two stars sits a fixed-length segment, and taking its leftmost
 * occurrence is always right (a later one only leaves less text for the rest), so each middle
 * segment is matched inside a lookahead, which JavaScript never backtracks into, and consumed by
 * a backreference. That keeps matching at O(name × pattern).
 */
function globToRegexSource(pattern: string): string {
  const [first = '', ...rest] = pattern.split(/\*+/).map(segmentSource);
  const last = rest.pop();
  if (last === undefined) return first;
  const middle = rest.map((segment, i) => `(?=(.*?${segment}))\\${i + 1}`).join('');
  return `${first}${middle}.*${last}`;
}

function segmentSource(segment: string): string {
  let source = '';
  // By code point, so that `?` (`.` under the `u` flag) matches one character even outside the BMP.
  for (const ch of segment) {
    // Only syntax characters may be escaped under the `u` flag (`\-` would be a SyntaxError).
    source += ch === '?' ? '.' : ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  return source;
}
