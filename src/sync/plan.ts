/**
 * The promotion plan: which values `tfsync promote SRC DST` (and `backport`) writes where. Pure:
 * a repository and options in, data out; rewrite.ts turns the plan into edits, the shell writes.
 *
 * Semantics. The selected variables are the syncable ones known from the declarations, SRC's
 * file, the shared file and DST's file (narrowed by `--only GROUP` and `--var NAME`; naming an
 * environment-specific or unclassified variable is an error that says its class). For each one, v:
 *
 * - If SRC has a value for v, from its own file or else from the shared file, that value goes to
 *   every target file: the shared file (unless `--no-shared`, or one side is `@shared`) and DST's
 *   file. When DST is `@shared` the shared file is the only target; when SRC is `@shared`, DST's
 *   file is. DST's file gets a copy even when the shared file would give DST the same value: the
 *   seed keeps the synced features in each environment file, and this way DST's effective value
 *   equals SRC's whatever the layering. In each target the op is `create` (the file does not set
 *   v), `update` (it sets another value) or `noop` (it sets an equal one).
 * - If SRC has no value for v (it leaves v to its default, or v is not declared and SRC does not
 *   set it) while DST's file sets it, the override is reported as kept ("prod overrides X,
 *   englacial uses the default"); with `--prune` it is a `delete` from DST's file instead. (The
 *   shared file cannot be in this case: a value there would be SRC's value.)
 * - Equality is Terraform's (sameValue with the declared type: a set in any order, numbers by
 *   value): an equal value is a `noop`, and its bytes stay, so a
 *   list written over four lines that equals a one-line list is left as it is.
 * - The text written is the SRC expression's source text verbatim (a multi-line list keeps its
 *   layout), except across formats (`.tfvars.json` and native syntax), where the value is
 *   converted (value-forms.ts).
 * - Where the value goes in a file, the `Last synced` stamp, the header of a new shared file: see
 *   rewrite.ts. The stamp changes only in files that change otherwise, so promoting twice is
 *   promoting once.
 * - Environment-specific variables are never selected, so never written.
 */
import { TfsyncError } from '../errors.js';
import type { JsonValue } from '../hcl/evaluate.js';
import type { TfvarsAttribute } from '../hcl/tfvars.js';
import { formatKeyPath, type KeyPath } from '../hcl/key-path.js';
import { resolveGroup, syncsAnyPart } from '../model/classify.js';
import { checkNamedPath, isLeafWise, leafChanges, pathSelection, varPath, type LeafBase, type LeafSelection } from './leaf-plan.js';
import { classificationOf, compare, resolveLayer, type Layer, type Repository } from '../model/repository.js';
import { didYouMean } from '../model/suggest.js';
import type { TypeSpec } from '../model/type-schema.js';
import { equalityType, sameValue } from './value-equality.js';
import { writtenFor } from './value-forms.js';

export interface PromoteOptions {
  /** An environment name or `@shared`. */
  source: string;
  target: string;
  /** False for `--no-shared`: copy SRC to DST directly and leave the shared file alone. */
  shared?: boolean;
  /** `--only GROUP`, repeatable. */
  only?: readonly string[];
  /** `--var NAME`, repeatable. */
  vars?: readonly string[];
  /** `--prune`: delete from DST's file the overrides SRC does not have. */
  prune?: boolean;
}

export type ChangeOp = 'create' | 'update' | 'delete' | 'noop';

export interface PlannedChange {
  name: string;
  op: ChangeOp;
  /** The file's value before; undefined when it does not set the variable. */
  from: JsonValue | undefined;
  /** The file's value after, as its parser will read it; undefined for a delete. */
  to: JsonValue | undefined;
  sensitive: boolean;
  /** For create and update: the text to write (an expression, or JSON for a .tfvars.json). */
  exprText?: string;
  /**
   * A change of one leaf inside the variable (leaf-plan.ts); `from` and `to` are then the leaf's
   * values. Absent for a change of the whole value.
   */
  path?: KeyPath;
  /** A leaf change in a file that does not set the variable: the value it is created from. */
  base?: LeafBase;
}

/** How a change is named to people: the variable, or the key path of the leaf. */
export function changeLabel(change: { name: string; path?: KeyPath }): string {
  return change.path ? formatKeyPath(change.path) : change.name;
}

export type FileRole = 'shared' | 'target';

export interface PlannedFile {
  role: FileRole;
  layer: Layer;
  /** One per selected variable that concerns this file, in plan order. */
  changes: PlannedChange[];
}

/** An override in DST's file that SRC has no value for. */
export interface KeptOverride {
  name: string;
  /** DST's environment name and file. */
  environment: string;
  file: string;
  value: JsonValue;
  sensitive: boolean;
  /** SRC leaves the variable to a declared default (else: nothing declares a default). */
  sourceUsesDefault: boolean;
  /** With --prune: deleted (a `delete` change), not kept. */
  pruned: boolean;
  /** A leaf inside the variable (never pruned). */
  path?: KeyPath;
}

export interface Plan {
  source: string;
  target: string;
  /** The selected variables, in plan order. */
  variables: string[];
  /** The files written to: the shared file first, then DST's. */
  files: PlannedFile[];
  /** Overrides DST has and SRC does not, kept or (with --prune) pruned. */
  overrides: KeptOverride[];
  /** General form: selected variables left alone, and why (a computed value, one a shared layer overrides). */
  skipped?: Array<{ name: string; reason: string }>;
}

export function planPromotion(repo: Repository, options: PromoteOptions): Plan {
  const source = resolveLayer(repo, options.source);
  const target = resolveLayer(repo, options.target);
  if (source.name === target.name) throw new TfsyncError(`source and target are the same (${source.name}): nothing to promote`, { code: 'usage' });
  const shared = repo.shared;

  const files: PlannedFile[] = [];
  if (target === shared) files.push({ role: 'shared', layer: shared, changes: [] });
  else {
    if (options.shared !== false && source !== shared) files.push({ role: 'shared', layer: shared, changes: [] });
    files.push({ role: 'target', layer: target, changes: [] });
  }

  const { variables, selections } = selectVariables(repo, [source, shared, target], options);
  const overrides: KeptOverride[] = [];
  for (const name of variables) {
    const c = classificationOf(repo, name);
    const sensitive = c.sensitive;
    const from = sourceValue(source, shared, name);
    const selection = selections.get(name) ?? 'all';
    if (isLeafWise(c, selection)) {
      for (const file of files) {
        const leaves = leafChanges({ repo, name, c, selection, from, file });
        file.changes.push(...leaves.changes);
        overrides.push(...leaves.kept);
      }
      continue;
    }
    for (const file of files) {
      const existing = file.layer.doc.byName.get(name);
      if (from) {
        file.changes.push(changeFor(name, sensitive, from, file.layer, existing, equalityType(repo.declarations.get(name))));
        continue;
      }
      if (!existing || file.role !== 'target') continue;
      const pruned = options.prune === true;
      const declaration = repo.declarations.get(name);
      overrides.push({
        name,
        environment: file.layer.name,
        file: file.layer.file,
        value: existing.value,
        sensitive,
        sourceUsesDefault: declaration?.hasDefault === true,
        pruned,
      });
      if (pruned) file.changes.push({ name, op: 'delete', from: existing.value, to: undefined, sensitive });
    }
  }
  return { source: source.name, target: target.name, variables, files, overrides };
}

/** Whether the plan changes any file. */
export function planChanges(plan: Plan): boolean {
  return plan.files.some((f) => f.changes.some((c) => c.op !== 'noop'));
}

/** Counts of each op over the whole plan. */
export function countOps(plan: Plan): Record<ChangeOp, number> {
  const counts: Record<ChangeOp, number> = { create: 0, update: 0, delete: 0, noop: 0 };
  for (const file of plan.files) for (const change of file.changes) counts[change.op]++;
  return counts;
}

/** SRC's attribute for a variable: its own file's, else (for an environment) the shared file's. */
function sourceValue(source: Layer, shared: Layer, name: string): { attribute: TfvarsAttribute; layer: Layer } | undefined {
  const own = source.doc.byName.get(name);
  if (own) return { attribute: own, layer: source };
  const fromShared = source === shared ? undefined : shared.doc.byName.get(name);
  return fromShared ? { attribute: fromShared, layer: shared } : undefined;
}

function changeFor(
  name: string,
  sensitive: boolean,
  from: { attribute: TfvarsAttribute; layer: Layer },
  layer: Layer,
  existing: TfvarsAttribute | undefined,
  type: TypeSpec | undefined,
): PlannedChange {
  const written = writtenFor(from.attribute, from.layer.doc.format, layer.doc.format, layer.file, sensitive);
  if (!existing) return { name, op: 'create', from: undefined, to: written.value, sensitive, exprText: written.exprText };
  if (sameValue(existing.value, written.value, type)) return { name, op: 'noop', from: existing.value, to: existing.value, sensitive };
  return { name, op: 'update', from: existing.value, to: written.value, sensitive, exprText: written.exprText };
}

/**
 * The syncable variables of the layers and the declarations, in the order the layers list them
 * (SRC's file first, so created attributes keep SRC's order), then the declared ones by name;
 * narrowed to the groups and names asked for.
 */
export function selectVariables(repo: Repository, layers: Layer[], options: PromoteOptions): { variables: string[]; selections: Map<string, LeafSelection> } {
  const ordered: string[] = [];
  const seen = new Set<string>();
  const add = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    if (syncsAnyPart(classificationOf(repo, name))) ordered.push(name);
  };
  for (const layer of layers) for (const a of layer.doc.attributes) add(a.name);
  for (const name of [...repo.declarations.keys()].sort(compare)) add(name);

  const only = options.only ?? [];
  const vars = options.vars ?? [];
  const selections = new Map<string, LeafSelection>();
  if (only.length === 0 && vars.length === 0) return { variables: ordered, selections };
  // A variable asked for whole is 'all'; asked for in parts (a group's or --var's key paths), those parts.
  const select = (name: string, rule?: ReturnType<typeof pathSelection>) => {
    const current = selections.get(name);
    if (current === 'all') return;
    selections.set(name, rule ? [...(current ?? []), rule] : 'all');
  };
  for (const groupName of only) {
    const group = resolveGroup(repo.config, groupName);
    for (const name of ordered) {
      const c = classificationOf(repo, name);
      if (c.groups.includes(group.name)) select(name);
      for (const rule of c.groupPaths ?? []) if (rule.group === group.name) select(name, rule);
    }
  }
  for (const text of vars) {
    const path = varPath(text);
    checkNamedVariable(repo, path?.name ?? text, text);
    if (path) checkNamedPath(classificationOf(repo, path.name), path, repo.config.path);
    select(path?.name ?? text, path && pathSelection(path));
  }
  return { variables: ordered.filter((name) => selections.has(name)), selections };
}

/** `--var NAME` (or `--var NAME.path`, as `text`) must name a syncable variable the repository knows. */
function checkNamedVariable(repo: Repository, name: string, text = name): void {
  const c = repo.classification.get(name);
  if (!c) {
    const known = [...repo.classification.keys()];
    throw new TfsyncError(`--var ${name}: unknown variable "${name}" (no variables file declares it and no file sets it)`, {
      code: 'unknown-variable',
      hint: didYouMean(name, known),
    });
  }
  if (c.class === 'syncable' || (text !== name && c.class !== 'conflict') || syncsAnyPart(c)) return;
  if (c.class === 'environment-specific') {
    throw new TfsyncError(`--var ${name}: "${name}" is environment-specific; environment-specific variables are never promoted`, {
      code: 'not-syncable',
      hint: `if it should flow between environments, list it under "syncable" in ${repo.config.path}`,
    });
  }
  throw new TfsyncError(`--var ${name}: "${name}" is ${c.class === 'conflict' ? 'claimed by both lists' : 'unclassified'}; only syncable variables are promoted`, {
    code: 'not-syncable',
    hint: `list it under "syncable" in ${repo.config.path} to promote it`,
  });
}

