/**
 * `tfsync show ENV NAME.path`: the effective value at a key path in one environment, with the
 * line that sets it. The variable's effective value comes from one layer (layers.ts); the leaf is
 * read inside it, and its line found in that layer's file.
 */
import { TfsyncError } from '../errors.js';
import type { JsonValue } from '../hcl/evaluate.js';
import { formatKeyPath, type KeyPath } from '../hcl/key-path.js';
import { missingPartError, valueAt } from '../hcl/path-locate.js';
import { pathLine } from '../hcl/path-position.js';
import type { TfvarsDocument } from '../hcl/tfvars.js';
import { classAt, leafSensitive, type VariableClass } from './classify.js';
import type { EffectiveValue, Origin } from './layers.js';
import { classificationOf, type Layer, type Repository } from './repository.js';
import { didYouMean } from './suggest.js';

export interface LeafValue {
  /** The path as asked for, formatted. */
  path: string;
  name: string;
  /** The class of the leaf (the most specific entry that covers it). */
  class: VariableClass;
  sensitive: boolean;
  value: JsonValue;
  /** The variable's origin, with the line of the leaf in that file (a default: its declaration). */
  origin: Origin;
}

/**
 * The leaves at `paths` among an environment's effective values. A variable nothing sets, or a
 * part that does not exist, is an error naming the first missing part.
 */
export function leafValues(repo: Repository, layer: Layer, values: readonly EffectiveValue[], paths: readonly KeyPath[]): LeafValue[] {
  const byName = new Map(values.map((v) => [v.name, v]));
  return paths.map((path) => {
    const label = formatKeyPath(path);
    const effective = byName.get(path.name);
    if (!effective) {
      throw new TfsyncError(`${layer.name} has no variable "${path.name}" (in ${label})`, { code: 'unknown-variable', hint: didYouMean(path.name, [...byName.keys()]) });
    }
    if (effective.value === undefined || effective.origin === null) throw new TfsyncError(`${layer.name} gives ${path.name} no value (in ${label})`, { code: 'unknown-key-path' });
    const value = valueAt(effective.value, path.parts);
    if (value === undefined) {
      let missing = 0;
      while (valueAt(effective.value, path.parts.slice(0, missing + 1)) !== undefined) missing++;
      const parent = valueAt(effective.value, path.parts.slice(0, missing));
      const kind = Array.isArray(parent) ? 'tuple' : parent === null ? 'null' : typeof parent;
      throw missingPartError(path, missing, kind);
    }
    const c = classificationOf(repo, path.name);
    const origin = { ...effective.origin, line: leafLine(repo, layer, effective.origin, path) };
    return { path: label, name: path.name, class: classAt(c, path.parts), sensitive: leafSensitive(c, path.parts), value, origin };
  });
}

/** The line of the leaf in the file its variable's value comes from. */
function leafLine(repo: Repository, layer: Layer, origin: Origin, path: KeyPath): number {
  if (origin.layer === 'default') return origin.line;
  const docs: TfvarsDocument[] = [layer.doc, repo.shared.doc, ...(layer.sources ?? []).map((s) => s.doc)];
  const files = [layer.file, repo.shared.file, ...(layer.sources ?? []).map((s) => s.file)];
  const doc = docs[files.indexOf(origin.file)];
  const attribute = doc?.byName.get(path.name);
  return doc && attribute ? pathLine(doc, attribute, path.parts) : origin.line;
}
