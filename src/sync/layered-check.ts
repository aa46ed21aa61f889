/**
 * Drift in the general form (layers, stacks): an environment's effective value of each syncable
 * variable, whichever of its layers gives it, against `@shared`'s (the layers without `{env}`, then
 * the declarations' defaults). The classic form keeps check.ts's DriftChecker, which is built for
 * 200 environments of one file each; here an environment reads several files, so the comparison is
 * on effective values (layers.ts), and a value's origin names the layer file and line it comes from.
 *
 * Set-but-unknown values (a git-crypt layer, an external variable, a Terragrunt input that is an
 * expression) are neither drift nor missing: tfsync cannot know them.
 */
import { SHARED } from '../model/environments.js';
import { pathLines } from '../hcl/path-position.js';
import { syncsAnyPart } from '../model/classify.js';
import { effectiveValues, type EffectiveValue, type Origin } from '../model/layers.js';
import { winningSource } from '../model/layered-values.js';
import { matchesAny } from '../model/patterns.js';
import { classificationOf, compare, type Layer, type Repository } from '../model/repository.js';
import { driftLeaves } from './leaf-drift.js';
import type { CheckValue, EnvironmentCheck } from './check.js';
import { equalityType, sameValue } from './value-equality.js';

export class LayeredDriftChecker {
  private readonly reference: Map<string, EffectiveValue>;
  /** The syncable names every environment is checked on: declared, or set by a shared layer. */
  private readonly names: string[];
  /** Every syncable name met, for the summary's "nothing is syncable". */
  readonly syncable = new Set<string>();

  constructor(private readonly repo: Repository) {
    const reference = effectiveValues(repo, SHARED);
    this.reference = new Map(reference.map((v) => [v.name, v]));
    this.names = reference.filter((v) => v.class === 'syncable' && !v.external).map((v) => v.name);
  }

  /**
   * Only the syncable names, each looked up in the environment's layers from the top (as
   * effectiveValues would, without building every variable's record: 500 environments of 200
   * variables made that most of check's time).
   */
  check(layer: Layer): EnvironmentCheck {
    // The heading names the environment's most specific file that exists (an optional one may not).
    const sources = layer.sources ?? [];
    const own = [...sources].reverse().find((s) => !s.shared && s.exists);
    const stack = this.repo.stack !== undefined ? { stack: this.repo.stack } : {};
    const result: EnvironmentCheck = { environment: layer.name, file: own?.file ?? layer.file, drift: [], missing: [], ...stack };
    const names = new Set(this.names);
    const external = this.repo.config.external ?? [];
    for (const s of sources) {
      if (s.shared) continue;
      for (const a of s.doc.attributes) if (!names.has(a.name) && syncsAnyPart(classificationOf(this.repo, a.name)) && !matchesAny(external, a.name)) names.add(a.name);
    }
    const unreadable = sources.some((s) => s.unreadable);
    for (const name of [...names].sort(compare)) {
      this.syncable.add(name);
      const ref = this.reference.get(name);
      const winner = winningSource(this.repo, sources, name);
      const sensitive = classificationOf(this.repo, name).sensitive;
      if (!winner) {
        const declaration = this.repo.declarations.get(name);
        // Nothing sets it: missing when declared without a default (unless a layer could not be read).
        if (declaration && !declaration.hasDefault && !unreadable) result.missing.push({ name, sensitive, declaration: { file: declaration.file, line: declaration.line } });
        continue;
      }
      // A value the environment inherits from a shared layer is the reference itself; computed ones cannot be compared.
      if (winner.source.shared || winner.attribute.computed || ref?.computed || ref?.unknown) continue;
      const value = winner.attribute.value;
      if (ref?.value !== undefined && sameValue(value, ref.value, equalityType(this.repo.declarations.get(name)))) continue;
      const shared: CheckValue = ref && ref.value !== undefined ? { value: ref.value, origin: ref.origin } : { value: undefined, origin: null };
      const origin: Origin = { layer: 'environment', file: winner.source.file, line: winner.attribute.line, name: winner.source.layer };
      // Leaf by leaf, only the syncable ones (a map may be syncable in parts).
      const leaves = driftLeaves(name, classificationOf(this.repo, name), shared.value, value);
      if (leaves.length === 0) continue;
      const whole = leaves.length === 1 && leaves[0]!.path.parts.length === 0;
      const line = pathLines(winner.source.doc, winner.attribute);
      result.drift.push({
        name,
        sensitive,
        shared,
        value: { value, origin },
        leaves: whole ? [] : leaves.map((leaf) => ({ ...leaf, line: line(leaf.path.parts) })),
      });
    }
    return result;
  }
}
