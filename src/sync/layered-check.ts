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
import { effectiveValues, type EffectiveValue } from '../model/layers.js';
import type { PathPart } from '../hcl/key-path.js';
import { pathLine } from '../hcl/path-position.js';
import { classificationOf, type Layer, type Repository } from '../model/repository.js';
import { driftLeaves } from './leaf-drift.js';
import type { CheckValue, EnvironmentCheck } from './check.js';
import { sameValue } from './value-equality.js';

export class LayeredDriftChecker {
  private readonly reference: Map<string, EffectiveValue>;
  /** Every syncable name met, for the summary's "nothing is syncable". */
  readonly syncable = new Set<string>();

  constructor(private readonly repo: Repository) {
    this.reference = new Map(effectiveValues(repo, SHARED).map((v) => [v.name, v]));
  }

  check(layer: Layer): EnvironmentCheck {
    // The heading names the environment's most specific file that exists (an optional one may not).
    const own = [...(layer.sources ?? [])].reverse().find((s) => !s.shared && s.exists);
    const stack = this.repo.stack !== undefined ? { stack: this.repo.stack } : {};
    const result: EnvironmentCheck = { environment: layer.name, file: own?.file ?? layer.file, drift: [], missing: [], ...stack };
    for (const v of effectiveValues(this.repo, layer.name)) {
      if (v.class !== 'syncable') continue;
      this.syncable.add(v.name);
      if (v.external || v.unknown || v.computed) continue;
      const ref = this.reference.get(v.name);
      if (v.value === undefined) {
        const declaration = this.repo.declarations.get(v.name);
        if (v.required && declaration) result.missing.push({ name: v.name, sensitive: v.sensitive, declaration: { file: declaration.file, line: declaration.line } });
        continue;
      }
      // A value the environment inherits from a shared layer or the default is the reference itself.
      if (v.origin?.layer !== 'environment' || (ref && !ref.computed && !ref.unknown && sameValue(v.value, ref.value))) continue;
      if (ref?.computed || ref?.unknown) continue;
      const shared: CheckValue = ref && ref.value !== undefined ? { value: ref.value, origin: ref.origin } : { value: undefined, origin: null };
      // Leaf by leaf, only the syncable ones (a map may be syncable in parts).
      const leaves = driftLeaves(v.name, classificationOf(this.repo, v.name), shared.value, v.value);
      if (leaves.length === 0) continue;
      const whole = leaves.length === 1 && leaves[0]!.path.parts.length === 0;
      const source = layer.sources?.find((s) => s.file === v.origin!.file);
      const attribute = source?.doc.byName.get(v.name);
      const line = (parts: PathPart[]) => (source && attribute ? pathLine(source.doc, attribute, parts) : v.origin!.line);
      result.drift.push({
        name: v.name,
        sensitive: v.sensitive,
        shared,
        value: { value: v.value, origin: v.origin },
        leaves: whole ? [] : leaves.map((leaf) => ({ ...leaf, line: line(leaf.path.parts) })),
      });
    }
    return result;
  }
}
