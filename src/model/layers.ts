/**
 * Effective values: what Terraform sees for each variable with
 * `-var-file=<shared> -var-file=<environment>`, and where each value comes from.
 */
import type { JsonValue } from '../hcl/evaluate.js';
import { syncsAnyPart, variableClass, type VariableClass } from './classify.js';
import { SHARED } from './environments.js';
import { matchesAny } from './patterns.js';
import { layeredValues } from './layered-values.js';
import { classificationOf, compare, resolveLayer, type Layer, type Repository } from './repository.js';

export interface Origin {
  /** The kind of layer: one environment's own, one every environment reads, or the declaration. */
  layer: 'environment' | 'shared' | 'default';
  file: string;
  line: number;
  /** The layer's name in tfsync.json (`shared`, `environment` for the classic form); absent for a default. */
  name?: string;
}

export interface EffectiveValue {
  name: string;
  class: VariableClass;
  sensitive: boolean;
  /** Undefined when nothing gives the variable a value. */
  value: JsonValue | undefined;
  /** Null exactly when `value` is undefined. */
  origin: Origin | null;
  /** Declared without a default and given no value: Terraform would ask for it. */
  required: boolean;
  /** Matches `external`: supplied outside files (TF_VAR_, -var, CI), never required or synced. */
  external?: boolean;
  /** No readable layer sets it, and a layer file could not be read (git-crypt): it may be set there. */
  unknown?: boolean;
  /**
   * The value is an expression tfsync does not evaluate (a Terragrunt input such as
   * `dependency.vpc.outputs.id`, `local.x`, a function call): shown by its source text, never
   * synced, never drift.
   */
  computed?: boolean;
}

/**
 * Every variable of an environment, sorted by name: the declared ones, the ones its file sets, and
 * the syncable ones the shared file sets. Each takes the first of the environment's file, the shared
 * file (syncable variables only), the declaration's default. For `@shared`, the shared file's
 * values come first and then the defaults.
 */
export function effectiveValues(repo: Repository, envName: string): EffectiveValue[] {
  const env = resolveLayer(repo, envName);
  if (env.sources) return layeredValues(repo, env.sources);
  const isShared = env.name === SHARED;
  const names = new Set<string>(repo.declarations.keys());
  for (const a of env.doc.attributes) names.add(a.name);
  if (!isShared) {
    for (const a of repo.shared.doc.attributes) if (syncsAnyPart(classificationOf(repo, a.name))) names.add(a.name);
  }
  return [...names].sort(compare).map((name) => effectiveValue(repo, env, isShared, name));
}

function effectiveValue(repo: Repository, env: Layer, isShared: boolean, name: string): EffectiveValue {
  const c = classificationOf(repo, name);
  const declaration = repo.declarations.get(name);
  const external = matchesAny(repo.config.external ?? [], name);
  const base = { name, class: variableClass(c), sensitive: c.sensitive, ...(external ? { external } : {}) };
  const own = env.doc.byName.get(name);
  if (own) return { ...base, value: own.value, origin: { layer: isShared ? 'shared' : 'environment', file: env.file, line: own.line }, required: false };
  const shared = isShared || !syncsAnyPart(c) ? undefined : repo.shared.doc.byName.get(name);
  if (shared) return { ...base, value: shared.value, origin: { layer: 'shared', file: repo.shared.file, line: shared.line }, required: false };
  if (declaration?.hasDefault) {
    const origin: Origin = { layer: 'default', file: declaration.file, line: declaration.line };
    return { ...base, value: declaration.default ?? null, origin, required: false };
  }
  return { ...base, value: undefined, origin: null, required: declaration !== undefined && !external };
}
