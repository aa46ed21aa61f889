/**
 * Promotion in the general form (layers, stacks): the plan is computed on effective values, and a
 * value goes where DST gets it from. Pure, like plan.ts, whose Plan it returns (so rewrite.ts,
 * the renderers and the writer serve both forms).
 *
 * For each selected syncable variable v:
 * - SRC's value is its effective value (layered-values.ts) when a layer sets it. A computed one
 *   (a Terragrunt `dependency.x.outputs.y`) or an unknown one (git-crypt) is skipped, never copied.
 * - DST's effective value equal to it: a `noop`, whichever layers each gets it from.
 * - Otherwise it is written into the layer DST's value comes from when that layer is DST's own (its
 *   file, or its place in a file, is read by DST alone: it has `{env}`, and `{stack}` too when the
 *   repository has stacks). When DST inherits v from a layer other environments read, or from the
 *   default, or has none, v is created in DST's own layer `promoteTo` names (default: the last
 *   layer with `{env}` that DST owns). A file other environments read is changed only when it is
 *   the target by name (`promote SRC @common`).
 * - If a layer other environments read sits above DST's own and sets v, no own layer can win over
 *   it: v is skipped, with the layer to promote into by name.
 * - SRC without a value (the default) while DST's own layer overrides v: reported, and with
 *   `--prune` deleted there.
 */
import { TfsyncError } from '../errors.js';
import { ENV, STACK, type Config, type LayerSpec } from '../model/config.js';
import { effectiveValues } from '../model/layers.js';
import { winningSource } from '../model/layered-values.js';
import { classificationOf, resolveLayer, type Layer, type LayerSource, type Repository } from '../model/repository.js';
import { selectVariables, type KeptOverride, type Plan, type PlannedChange, type PlannedFile, type PromoteOptions } from './plan.js';
import { valueAt } from '../hcl/path-locate.js';
import { isLeafWise, leafChanges } from './leaf-plan.js';
import { equalityType, sameValue } from './value-equality.js';
import { writtenFor } from './value-forms.js';

export function planLayeredPromotion(repo: Repository, options: PromoteOptions): Plan {
  const source = resolveLayer(repo, options.source);
  const target = resolveLayer(repo, options.target);
  if (source.name === target.name) throw new TfsyncError(`source and target are the same (${source.name}): nothing to promote`, { code: 'usage' });
  const srcSources = source.sources ?? [];
  const dstSources = target.sources ?? [];
  const byName = target.name.startsWith('@');
  if (byName && dstSources.length === 0) {
    throw new TfsyncError(`${target.name}: this repository has no layer without {env} to promote into`, { code: 'no-target-layer', hint: 'promote into an environment, or add a shared layer to "layers"' });
  }
  const own = byName ? dstSources : dstSources.filter((s) => ownedBy(repo.config, s));
  const promoteTo = byName ? dstSources[dstSources.length - 1] : promoteLayer(repo.config, own);
  if (!promoteTo) throw new TfsyncError(`${target.name} has no layer of its own to write to`, { code: 'no-target-layer', hint: `add a layer with {env}${repo.config.stacks ? ' and {stack}' : ''} to "layers"` });

  const srcValues = new Map(effectiveValues(repo, source.name).map((v) => [v.name, v]));
  const dstValues = new Map(effectiveValues(repo, target.name).map((v) => [v.name, v]));
  const files = new Map<LayerSource, PlannedFile>();
  const fileOf = (s: LayerSource): PlannedFile => {
    let file = files.get(s);
    if (!file) files.set(s, (file = { role: byName ? 'shared' : 'target', layer: viewOf(s), changes: [] }));
    return file;
  };
  const views = (sources: LayerSource[]) => sources.map(viewOf);
  const { variables, selections } = selectVariables(repo, [...views(srcSources).reverse(), ...views(dstSources).reverse()], options);
  const overrides: KeptOverride[] = [];
  const skipped: NonNullable<Plan['skipped']> = [];
  for (const name of variables) {
    const c = classificationOf(repo, name);
    const sensitive = c.sensitive;
    const selection = selections.get(name) ?? 'all';
    const from = srcValues.get(name);
    const to = dstValues.get(name);
    if (from?.computed || from?.unknown) {
      skipped.push({ name, reason: from.computed ? `${source.name} sets it to an expression tfsync does not evaluate` : `${source.name}'s value is in a file tfsync cannot read` });
      continue;
    }
    const type = equalityType(repo.declarations.get(name));
    const dstWinner = winningSource(repo, dstSources, name);
    const srcWinner = from?.origin && from.origin.layer !== 'default' ? winningSource(repo, srcSources, name) : undefined;
    if (!srcWinner) {
      // SRC leaves v to its default (or nothing gives it one): DST's own override is reported.
      if (!dstWinner || !own.includes(dstWinner.source) || (from?.value !== undefined && sameValue(from.value, to?.value, type))) continue;
      // A variable promoted leaf by leaf is never deleted whole: its other leaves are not SRC's to remove.
      const pruned = options.prune === true && !isLeafWise(c, selection);
      overrides.push({ name, environment: target.name, file: dstWinner.source.file, value: dstWinner.attribute.value, sensitive, sourceUsesDefault: repo.declarations.get(name)?.hasDefault === true, pruned });
      if (pruned) fileOf(dstWinner.source).changes.push({ name, op: 'delete', from: dstWinner.attribute.value, to: undefined, sensitive });
      continue;
    }
    const into = byName ? promoteTo : dstWinner && own.includes(dstWinner.source) ? dstWinner.source : promoteTo;
    const overridden = !byName && dstWinner !== undefined && dstSources.indexOf(into) < dstWinner.index;
    const overriddenReason = () => `${dstWinner!.source.file} (layer "${dstWinner!.source.layer}", read by other environments too) sets it over ${target.name}'s own layers; promote into @${dstWinner!.source.layer} by name to change it`;
    if (isLeafWise(c, selection)) {
      // Leaf by leaf: copying the whole value would copy the leaves that are not syncable.
      const inherited = !into.doc.byName.has(name) && dstWinner && dstWinner.source !== into ? { attribute: dstWinner.attribute, format: dstWinner.source.doc.format } : null;
      const file: PlannedFile = { role: byName ? 'shared' : 'target', layer: viewOf(into), changes: [] };
      const leaves = leafChanges({ repo, name, c, selection, from: { attribute: srcWinner.attribute, layer: viewOf(srcWinner.source) }, file, inherited });
      // A leaf DST already sees with SRC's value (from whichever layer) needs no write.
      const changes = leaves.changes.map((ch) => (ch.op !== 'noop' && !into.doc.byName.has(name) && to?.value !== undefined && sameValue(valueAt(to.value, ch.path!.parts), ch.to) ? { name, path: ch.path!, op: 'noop' as const, from: ch.to, to: ch.to, sensitive: ch.sensitive } : ch));
      if (overridden && changes.some((ch) => ch.op !== 'noop')) {
        skipped.push({ name, reason: overriddenReason() });
        continue;
      }
      fileOf(into).changes.push(...changes);
      overrides.push(...leaves.kept);
      continue;
    }
    const written = writtenFor(srcWinner.attribute, srcWinner.source.doc.format, into.doc.format, into.file, sensitive);
    const existing = into.doc.byName.get(name);
    const effectiveSame = !byName && to?.value !== undefined && !to.computed && sameValue(to.value, written.value, type);
    const noop = () => fileOf(dstWinner && own.includes(dstWinner.source) ? dstWinner.source : into).changes.push({ name, op: 'noop', from: to?.value, to: to?.value, sensitive });
    if (effectiveSame) {
      noop();
      continue;
    }
    if (overridden) {
      skipped.push({ name, reason: overriddenReason() });
      continue;
    }
    if (existing && sameValue(existing.value, written.value, type)) {
      noop();
      continue;
    }
    const change: PlannedChange = existing
      ? { name, op: 'update', from: existing.value, to: written.value, sensitive, exprText: written.exprText }
      : { name, op: 'create', from: undefined, to: written.value, sensitive, exprText: written.exprText };
    fileOf(into).changes.push(change);
  }
  const ordered = [...files.values()].sort((a, b) => dstSources.findIndex((s) => s.path === a.layer.path) - dstSources.findIndex((s) => s.path === b.layer.path));
  return { source: source.name, target: target.name, variables, files: ordered, overrides, ...(skipped.length > 0 ? { skipped } : {}) };
}

/**
 * Whether a source belongs to the environment alone: its layer names `{env}` (in its files or its
 * place), and `{stack}` too when the repository has stacks (else every stack's environment of that
 * name reads it).
 */
export function ownedBy(config: Config, source: LayerSource): boolean {
  const layer = specOf(config, source.layer);
  return !source.shared && layer !== undefined && ownLayer(config, layer);
}

/** Whether each environment (of each stack) has its own file or place of this layer. */
export function ownLayer(config: Config, layer: LayerSpec): boolean {
  const perEnv = layer.files.includes(ENV) || (layer.at ?? '').includes(ENV);
  return perEnv && (config.stacks === undefined || layer.files.includes(STACK));
}

/** The layer a value DST does not own goes into: `promoteTo`, else DST's last own layer. */
function promoteLayer(config: Config, own: LayerSource[]): LayerSource | undefined {
  if (config.promoteTo !== undefined) {
    const named = own.find((s) => s.layer === config.promoteTo);
    if (!named) throw new TfsyncError(`"promoteTo": "${config.promoteTo}" is not a layer the target environment owns alone`, { code: 'config-invalid', hint: `name a layer with {env}${config.stacks ? ' and {stack}' : ''} in ${config.path}` });
    return named;
  }
  // Several files of one layer (a `*` in its pattern) sort by name: the last wins, as in the shell.
  return own[own.length - 1];
}

function specOf(config: Config, name: string): LayerSpec | undefined {
  return config.layers?.find((l) => l.name === name);
}

function viewOf(s: LayerSource): Layer {
  return { name: s.layer, path: s.path, file: s.file, exists: s.exists, doc: s.doc };
}
