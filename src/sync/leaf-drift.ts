/**
 * Drift inside a value, per key path: an environment whose 40-entry `tags` differs from the
 * shared one in one entry drifts at `tags.Owner`, not in the whole map. Only the pieces its
 * classification calls syncable count (`tags.*` without `tags.Environment`); a sensitive leaf is
 * marked so that renderers mask just it.
 */
import type { JsonValue } from '../hcl/evaluate.js';
import type { KeyPath } from '../hcl/key-path.js';
import { valueAt } from '../hcl/path-locate.js';
import { classifiedUnits, leafSensitive, type Classification } from '../model/classify.js';
import { leafDifferences } from './leaf-diff.js';
import { sameValue } from './value-equality.js';

export interface LeafDrift {
  path: KeyPath;
  sensitive: boolean;
  /** Undefined where that side has no value at the path. */
  shared: JsonValue | undefined;
  value: JsonValue | undefined;
}

/**
 * The syncable leaves where `value` differs from `shared`, in key order; empty when they agree
 * there. A variable that is one value (not a map, or maps that differ as a whole) is one leaf with
 * no steps.
 */
export function driftLeaves(name: string, c: Classification, shared: JsonValue | undefined, value: JsonValue | undefined): LeafDrift[] {
  if (sameValue(shared, value)) return [];
  const partial = c.paths !== undefined || c.sensitivePaths !== undefined;
  const units = partial ? classifiedUnits(name, c, [shared, value]).filter((u) => u.class === 'syncable') : [{ path: { name, parts: [] } }];
  const out: LeafDrift[] = [];
  for (const unit of units) {
    const prefix = unit.path.parts;
    const a = valueAt(shared, prefix);
    const b = valueAt(value, prefix);
    if (sameValue(a, b)) continue;
    for (const d of leafDifferences(name, [a, b], ['shared', 'value'])) {
      const parts = [...prefix, ...d.path.parts];
      out.push({ path: { name, parts }, sensitive: leafSensitive(c, parts), shared: d.values[0], value: d.values[1] });
    }
  }
  return out;
}
