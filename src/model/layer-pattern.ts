/**
 * Layer file patterns (`terraform/variables/{env}/{stack}.tfvars`, `accounts/app-{env}/x.hcl`):
 * `{env}` and `{stack}` stand for names and may appear any number of times, also inside a path
 * segment, every occurrence standing for the same name; `*` matches within one segment. Patterns
 * and paths here are relative to the config folder, with `/` separators.
 */
import { ENV, STACK } from './config.js';

export interface PatternNames {
  env?: string;
  stack?: string;
}

export interface LayerPattern {
  readonly source: string;
  readonly hasEnv: boolean;
  readonly hasStack: boolean;
  /** The names a path stands for, or undefined when it does not fit (unequal repeats included). */
  match(path: string): PatternNames | undefined;
  /** The pattern with the given names put in; placeholders not given stay as they are. */
  fill(names: PatternNames): string;
  /** A glob listing every candidate: each placeholder left becomes `*` (match() then sorts them out). */
  glob(names?: PatternNames): string;
}

const TOKEN = /\{env\}|\{stack\}|\*/g;

export function compileLayerPattern(source: string): LayerPattern {
  let regex = '';
  let last = 0;
  const seen = new Set<string>();
  for (const m of source.matchAll(TOKEN)) {
    regex += escape(source.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0] === '*') {
      regex += '[^/]*';
      continue;
    }
    const group = m[0] === ENV ? 'env' : 'stack';
    // A backreference, not a second group: `{env}/{env}.tfvars` fits `prod/prod.tfvars` only.
    regex += seen.has(group) ? `\\k<${group}>` : `(?<${group}>[^/]+)`;
    seen.add(group);
  }
  regex += escape(source.slice(last));
  const compiled = new RegExp(`^${regex}$`, 'u');
  const fill = (names: PatternNames) =>
    source.replace(/\{env\}|\{stack\}/g, (token) => (token === ENV ? names.env : names.stack) ?? token);
  return {
    source,
    hasEnv: source.includes(ENV),
    hasStack: source.includes(STACK),
    match(path) {
      const m = compiled.exec(path);
      if (!m) return undefined;
      const { env, stack } = m.groups ?? {};
      return { ...(env !== undefined ? { env } : {}), ...(stack !== undefined ? { stack } : {}) };
    },
    fill,
    glob: (names = {}) =>
      source
        .split(/(\{env\}|\{stack\}|\*)/)
        .map((part, i) => {
          if (i % 2 === 0) return escapeGlob(part);
          const name = part === ENV ? names.env : part === STACK ? names.stack : undefined;
          return name === undefined ? '*' : escapeGlob(name);
        })
        .join(''),
  };
}

function escape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** Glob syntax in literal text is escaped, so a folder called `a(b)` is matched as itself. */
function escapeGlob(text: string): string {
  return text.replace(/[()[\]{}!?+@*\\]/g, '\\$&');
}
