import { TfsyncError } from '../errors.js';
import type { Config } from './config.js';
import { compilePattern, matchesAny, type CompiledPattern } from './patterns.js';
import { didYouMean, listNames } from './suggest.js';

export type VariableClass = 'syncable' | 'environment-specific' | 'unclassified' | 'conflict';

export interface Classification {
  class: VariableClass;
  sensitive: boolean;
  /** Names of the groups with a pattern that matches, in the order tfsync.json lists them. */
  groups: string[];
  /** For a conflict: the patterns of each list that claim the name. */
  conflict?: { syncable: string[]; environmentSpecific: string[] };
}

/** The parts of the config classification reads (tests and `init` can build just these). */
export type ClassifyConfig = Pick<Config, 'syncable' | 'environmentSpecific' | 'sensitive' | 'groups'>;

/** One side of the schema: exact names looked up in a set, globs tested one by one. */
interface PatternList {
  exact: Set<string>;
  globs: CompiledPattern[];
}

function splitPatterns(patterns: readonly string[]): PatternList {
  const compiled = patterns.map(compilePattern);
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
  const groups = Object.entries(config.groups);
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
    result.set(name, entry);
  }
  return result;
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
