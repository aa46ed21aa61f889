/**
 * Environments side by side: every variable's effective value in each, whether they agree, and the
 * variables grouped into the sections users act on (syncable ones can be promoted, the others not).
 */
import type { JsonValue } from '../hcl/evaluate.js';
import { classAt, type Classification, type VariableClass } from '../model/classify.js';
import { ruleReachesBelow } from '../model/path-rules.js';
import { effectiveValues, type EffectiveValue, type Origin } from '../model/layers.js';
import { classificationOf, compare, resolveLayer, type Repository } from '../model/repository.js';
import { TfsyncError } from '../errors.js';
import { leafDifferences, type LeafDifference } from './leaf-diff.js';
import type { TypeSpec } from '../model/type-schema.js';
import { equalityType, sameValue } from './value-equality.js';
import type { SecretComparison } from './secret-compare.js';

/** With two environments A and B: `only-A` when A has a value and B none. */
export type DiffStatus = 'same' | 'different' | `only-${string}`;

export interface DiffValue {
  value: JsonValue | undefined;
  origin: Origin | null;
  required: boolean;
}

export interface DiffVariable {
  name: string;
  class: VariableClass;
  sensitive: boolean;
  status: DiffStatus;
  /** One entry per environment, in the order the environments were given. */
  values: Record<string, DiffValue>;
  /**
   * Where the values differ, leaf by leaf (empty when they are the same). For a variable that
   * entries with key paths classify in parts, each leaf has its own `class`, and only syncable
   * leaves make the variable count as differing in its section.
   */
  paths: Array<LeafDifference & { class?: VariableClass }>;
}

export type SectionName = 'syncable' | 'environment-specific' | 'unclassified';

export interface DiffSection {
  name: SectionName;
  /** All of the section's variables, sorted by name. */
  variables: DiffVariable[];
  differ: number;
  identical: number;
}

export interface EnvironmentDiff {
  environments: string[];
  /** The stack compared (general form with `stacks`). */
  stack?: string;
  /** Every variable of any of the environments, sorted by name. */
  variables: DiffVariable[];
  /** Always the three sections, in this order: syncable, environment-specific, unclassified. */
  sections: DiffSection[];
  /** Sensitive variables with references, compared by keyed fingerprint (secret-compare.ts); set by the shell. */
  secrets?: SecretComparison[];
}

export const SECTION_ORDER: readonly SectionName[] = ['syncable', 'environment-specific', 'unclassified'];

export function diffEnvironments(repo: Repository, envNames: readonly string[]): EnvironmentDiff {
  if (envNames.length < 2) throw new TfsyncError('diff needs at least two environments', { code: 'usage' });
  const repeated = envNames.find((name, i) => envNames.indexOf(name) !== i);
  if (repeated !== undefined) throw new TfsyncError(`environment "${repeated}" is named twice`, { code: 'usage' });
  // Resolve every name before any work, so a typo in the third name is reported as such.
  const environments = envNames.map((name) => resolveLayer(repo, name).name);
  const perEnv = environments.map((env) => new Map(effectiveValues(repo, env).map((v) => [v.name, v])));
  const names = new Set<string>();
  for (const values of perEnv) for (const name of values.keys()) names.add(name);

  const variables = [...names].sort(compare).map((name) => {
    const found = perEnv.map((values) => values.get(name));
    const known = found.find((v): v is EffectiveValue => v !== undefined)!;
    const entries = found.map((v) => ({ value: v?.value, origin: v?.origin ?? null, required: v?.required ?? false }));
    const type = equalityType(repo.declarations.get(name));
    const status = statusOf(environments, entries, type);
    return {
      name,
      class: known.class,
      sensitive: known.sensitive,
      status,
      values: Object.fromEntries(environments.map((env, i) => [env, entries[i]!])),
      paths: status === 'same' ? [] : classifiedLeaves(classificationOf(repo, name), leafDifferences(name, entries.map((e) => e.value), environments, type)),
    };
  });
  return { environments, ...(repo.stack !== undefined ? { stack: repo.stack } : {}), variables, sections: sectionsOf(variables) };
}

/** Each leaf's class, for a variable classified in parts: a leaf holding a syncable entry counts as syncable. */
function classifiedLeaves(c: Classification, leaves: LeafDifference[]): DiffVariable['paths'] {
  if (!c.paths) return leaves;
  return leaves.map((leaf) => {
    const below = c.paths!.some((r) => r.class === 'syncable' && ruleReachesBelow(r, leaf.path.parts));
    return { ...leaf, class: below ? 'syncable' : classAt(c, leaf.path.parts) };
  });
}

/** Whether the variable differs where it matters for promotion: not only in leaves of another class. */
export function differsWhereSyncable(v: DiffVariable): boolean {
  return v.status !== 'same' && !(v.paths.length > 0 && v.paths.every((p) => p.class !== undefined && p.class !== v.class));
}

function statusOf(environments: string[], entries: DiffValue[], type: TypeSpec | undefined): DiffStatus {
  if (entries.length === 2) {
    const [a, b] = entries as [DiffValue, DiffValue];
    if (a.value !== undefined && b.value === undefined) return `only-${environments[0]!}`;
    if (a.value === undefined && b.value !== undefined) return `only-${environments[1]!}`;
  }
  const first = entries[0]!.value;
  return entries.every((e) => sameValue(e.value, first, type)) ? 'same' : 'different';
}

function sectionsOf(variables: DiffVariable[]): DiffSection[] {
  return SECTION_ORDER.map((name) => {
    const members = variables.filter((v) => sectionOf(v.class) === name);
    const identical = members.filter((v) => v.status === 'same').length;
    return { name, variables: members, differ: members.length - identical, identical };
  });
}

/** Conflicting variables are never synced, so they sit with the unclassified ones. */
export function sectionOf(c: VariableClass): SectionName {
  return c === 'syncable' || c === 'environment-specific' ? c : 'unclassified';
}

/** How many syncable variables differ in a syncable part (a map may differ only in its environment-specific keys). */
export function syncableDifferences(diff: EnvironmentDiff): number {
  return diff.sections.find((s) => s.name === 'syncable')!.variables.filter(differsWhereSyncable).length;
}

/** Whether promoting would change something: a syncable variable differs. */
export function hasSyncableDifferences(diff: EnvironmentDiff): boolean {
  return syncableDifferences(diff) > 0 || (diff.secrets ?? []).some((s) => s.syncable && (s.status === 'differs' || s.status === 'missing'));
}
