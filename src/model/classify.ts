import { TfsyncError } from '../errors.js';
import type { Config } from './config.js';
import type { JsonValue } from '../hcl/evaluate.js';
import type { PathPart } from '../hcl/key-path.js';
import {
  type ClassRule, compareRules, decidingRule, hasPathSteps, parsePathPattern, type PathPattern, type PathRule, ruleCovers, ruleOf, ruleReachesBelow,
  rulesOverlap, type Unit, unitsOf,
} from './path-rules.js';
import { compilePattern, matchesAny, type CompiledPattern } from './patterns.js';
import { didYouMean, listNames } from './suggest.js';

export type VariableClass = 'syncable' | 'environment-specific' | 'unclassified' | 'conflict';

export interface Classification {
  class: VariableClass;
  sensitive: boolean;
  /** Names of the groups with a pattern that matches, in the order tfsync.json lists them. */
  groups: string[];
  /** For a conflict: the patterns of each list that claim the name (or, with key paths, a path in it). */
  conflict?: { syncable: string[]; environmentSpecific: string[] };
  /**
   * The `syncable` and `environmentSpecific` entries with key paths into this variable
   * (`tags.*`, `node_pools.*.image`): they decide the values they cover, over `class`, which
   * decides the rest (path-rules.ts). Absent when no such entry matches the name.
   */
  paths?: ClassRule[];
  /** Group entries with key paths into this variable, by group (`groups` lists whole-variable ones). */
  groupPaths?: Array<PathRule & { group: string }>;
  /**
   * `sensitive` entries with key paths: only the values they cover are secret. `sensitive` is then
   * true as well, so that whatever prints the whole value masks it all; per-leaf outputs ask
   * leafSensitive.
   */
  sensitivePaths?: PathRule[];
}

/**
 * The class a variable is listed under (sections, `class` in JSON): syncable when any part of it
 * is, since that part is promoted and checked; the parts decide the rest (classAt).
 */
export function variableClass(c: Classification): VariableClass {
  return c.class !== 'conflict' && syncsAnyPart(c) ? 'syncable' : c.class;
}

/** Whether any part of the variable is syncable: it takes part in promotion and check. */
export function syncsAnyPart(c: Classification): boolean {
  return c.class === 'syncable' || (c.paths?.some((r) => r.class === 'syncable') ?? false);
}

/** The class of the value at `parts` inside the variable (the whole variable for none). */
export function classAt(c: Classification, parts: readonly PathPart[]): VariableClass {
  return (c.paths && decidingRule(c.paths, parts)?.class) ?? c.class;
}

/** Whether the value at `parts` is secret, or holds a secret inside it. */
export function leafSensitive(c: Classification, parts: readonly PathPart[]): boolean {
  if (!c.sensitive) return false;
  if (!c.sensitivePaths) return true;
  return c.sensitivePaths.some((r) => ruleCovers(r, parts) || ruleReachesBelow(r, parts));
}

/**
 * The pieces of a variable its classification decides, over the values given (one per side being
 * compared or promoted): split where an entry with a key path reaches, and at `splits`.
 */
export function classifiedUnits(name: string, c: Classification, values: ReadonlyArray<JsonValue | undefined>, splits: readonly PathRule[] = []): Unit[] {
  const root = c.class === 'syncable' || c.class === 'environment-specific' ? c.class : 'unclassified';
  return unitsOf(name, root, c.paths ?? [], values, [...splits, ...(c.sensitivePaths ?? [])]);
}

/** The parts of the config classification reads (tests and `init` can build just these). */
export type ClassifyConfig = Pick<Config, 'syncable' | 'environmentSpecific' | 'sensitive' | 'groups'>;

/** One side of the schema: exact names looked up in a set, globs tested one by one. */
interface PatternList {
  exact: Set<string>;
  globs: CompiledPattern[];
}

function splitPatterns(patterns: readonly string[]): PatternList {
  const compiled = patterns.filter((p) => !hasPathSteps(p)).map(compilePattern);
  return { exact: new Set(compiled.filter((p) => p.exact).map((p) => p.source)), globs: compiled.filter((p) => !p.exact) };
}

/**
 * Classifies every name against the schema. An exact name beats a glob, because writing the full
 * name is the way to carve one variable out of a broad pattern (`*_size` environment-specific,
 * `dask_worker_size` syncable). Anything else claimed by both lists is a conflict, which callers
 * must refuse to guess about.
 */
export function classify(
  names: Iterable<string>,
  config: ClassifyConfig,
  declaredSensitive: ReadonlySet<string> = new Set(),
): Map<string, Classification> {
  const syncable = splitPatterns(config.syncable);
  const specific = splitPatterns(config.environmentSpecific);
  const groups = Object.entries(config.groups).map(([group, patterns]) => [group, patterns.filter((p) => !hasPathSteps(p))] as const);
  const deep = deepEntries(config);
  const result = new Map<string, Classification>();
  for (const name of names) {
    if (result.has(name)) continue;
    const entry: Classification = {
      class: 'unclassified',
      sensitive: declaredSensitive.has(name) || matchesAny(config.sensitive, name),
      groups: groups.filter(([, patterns]) => matchesAny(patterns, name)).map(([group]) => group),
    };
    const exactSyncable = syncable.exact.has(name);
    const exactSpecific = specific.exact.has(name);
    if (exactSyncable && exactSpecific) {
      entry.class = 'conflict';
      entry.conflict = { syncable: [name], environmentSpecific: [name] };
    } else if (exactSyncable) {
      entry.class = 'syncable';
    } else if (exactSpecific) {
      entry.class = 'environment-specific';
    } else {
      const bySyncable = syncable.globs.filter((p) => p.test(name)).map((p) => p.source);
      const bySpecific = specific.globs.filter((p) => p.test(name)).map((p) => p.source);
      if (bySyncable.length > 0 && bySpecific.length > 0) {
        entry.class = 'conflict';
        entry.conflict = { syncable: bySyncable, environmentSpecific: bySpecific };
      } else if (bySyncable.length > 0) {
        entry.class = 'syncable';
      } else if (bySpecific.length > 0) {
        entry.class = 'environment-specific';
      }
    }
    if (deep) addPathRules(entry, name, deep);
    result.set(name, entry);
  }
  return result;
}

interface DeepEntries {
  classes: Array<{ pattern: PathPattern; class: ClassRule['class'] }>;
  groups: Array<{ pattern: PathPattern; group: string }>;
  sensitive: PathPattern[];
}

/** The entries with key paths, parsed once per classify call; undefined when there are none. */
function deepEntries(config: ClassifyConfig): DeepEntries | undefined {
  const pick = (patterns: readonly string[]) => patterns.filter(hasPathSteps).map(parsePathPattern);
  const classes = [
    ...pick(config.syncable).map((pattern) => ({ pattern, class: 'syncable' as const })),
    ...pick(config.environmentSpecific).map((pattern) => ({ pattern, class: 'environment-specific' as const })),
  ];
  const groups = Object.entries(config.groups).flatMap(([group, patterns]) => pick(patterns).map((pattern) => ({ pattern, group })));
  const sensitive = pick(config.sensitive);
  return classes.length + groups.length + sensitive.length === 0 ? undefined : { classes, groups, sensitive };
}

/**
 * The entries with key paths that match the name, and the conflicts among them: a syncable and an
 * environment-specific entry that tie in specificity and can cover the same path (`a.*.c` and
 * `a.b.*`) leave that path's class a guess.
 */
function addPathRules(entry: Classification, name: string, deep: DeepEntries): void {
  const paths = deep.classes.filter((e) => e.pattern.name.test(name)).map((e): ClassRule => ({ ...ruleOf(e.pattern), class: e.class }));
  if (paths.length > 0) {
    entry.paths = paths.sort((a, b) => compareRules(b, a));
    const clashes = paths.filter((s) => s.class === 'syncable').flatMap((s) =>
      paths.filter((e) => e.class === 'environment-specific' && compareRules(s, e) === 0 && rulesOverlap(s, e)).map((e) => [s, e] as const),
    );
    if (clashes.length > 0 && entry.class !== 'conflict') {
      entry.class = 'conflict';
      entry.conflict = { syncable: [...new Set(clashes.map(([s]) => s.source))], environmentSpecific: [...new Set(clashes.map(([, e]) => e.source))] };
    }
  }
  const groupPaths = deep.groups.filter((g) => g.pattern.name.test(name)).map((g) => ({ ...ruleOf(g.pattern), group: g.group }));
  if (groupPaths.length > 0) entry.groupPaths = groupPaths;
  if (!entry.sensitive) {
    const sensitivePaths = deep.sensitive.filter((p) => p.name.test(name)).map(ruleOf);
    if (sensitivePaths.length > 0) {
      entry.sensitive = true;
      entry.sensitivePaths = sensitivePaths;
    }
  }
}

export interface Group {
  name: string;
  patterns: string[];
}

/** The group `--only NAME` refers to, or an error that names the known groups. */
export function resolveGroup(config: Pick<Config, 'groups'>, groupName: string): Group {
  // Own properties only: a group called "constructor" must not find Object.prototype's.
  if (Object.hasOwn(config.groups, groupName)) return { name: groupName, patterns: config.groups[groupName]! };
  const known = Object.keys(config.groups);
  if (known.length === 0) {
    throw new TfsyncError(`unknown group "${groupName}": tfsync.json defines no groups`, {
      code: 'unknown-group',
      hint: 'name sets of variables under "groups" in tfsync.json',
    });
  }
  throw new TfsyncError(`unknown group "${groupName}" (known groups: ${listNames(known)})`, {
    code: 'unknown-group',
    hint: didYouMean(groupName, known),
  });
}
