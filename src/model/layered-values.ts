/**
 * Effective values in the general form: what Terraform sees with the declarations' defaults and
 * then `-var-file` for each source in order, the later winning, and where each value comes from.
 */
import type { TfvarsAttribute } from '../hcl/tfvars.js';
import { syncsAnyPart, variableClass } from './classify.js';
import type { EffectiveValue, Origin } from './layers.js';
import { placeCarriers } from './config.js';
import { matchesAny } from './patterns.js';
import { classificationOf, compare, type LayerSource, type Repository } from './repository.js';

/** The source a variable's effective value comes from (the last that sets it, as `-var-file`), if any. */
export function winningSource(repo: Repository, sources: readonly LayerSource[], name: string): { source: LayerSource; attribute: TfvarsAttribute; index: number } | undefined {
  for (let i = sources.length - 1; i >= 0; i--) {
    const source = sources[i]!;
    const attribute = source.doc.byName.get(name);
    if (attribute && (!source.syncableOnly || syncsAnyPart(classificationOf(repo, name)))) return { source, attribute, index: i };
  }
  return undefined;
}

/** Every variable the sources or the declarations know, sorted by name. */
export function layeredValues(repo: Repository, sources: readonly LayerSource[]): EffectiveValue[] {
  const counts = (source: LayerSource, name: string) => !source.syncableOnly || syncsAnyPart(classificationOf(repo, name));
  // A map of environments (`"at": "environments.{env}"`) holds the values; it is none of them itself.
  const carriers = placeCarriers(repo.config);
  const names = new Set<string>([...repo.declarations.keys()].filter((n) => !carriers.has(n)));
  for (const source of sources) for (const a of source.doc.attributes) if (counts(source, a.name)) names.add(a.name);
  const unreadable = sources.some((s) => s.unreadable);
  const external = repo.config.external ?? [];
  return [...names].sort(compare).map((name): EffectiveValue => {
    const c = classificationOf(repo, name);
    const base = { name, class: variableClass(c), sensitive: c.sensitive, ...(matchesAny(external, name) ? { external: true } : {}) };
    const winner = winningSource(repo, sources, name);
    if (winner) {
      const { source, attribute: own } = winner;
      const origin: Origin = { layer: source.shared ? 'shared' : 'environment', file: source.file, line: own.line, name: source.layer };
      return { ...base, value: own.value, origin, required: false, ...(own.computed ? { computed: true } : {}) };
    }
    const declaration = repo.declarations.get(name);
    if (declaration?.hasDefault) {
      return { ...base, value: declaration.default ?? null, origin: { layer: 'default', file: declaration.file, line: declaration.line }, required: false };
    }
    if (base.external || unreadable) return { ...base, value: undefined, origin: null, required: false, ...(unreadable ? { unknown: true } : {}) };
    return { ...base, value: undefined, origin: null, required: declaration !== undefined };
  });
}
