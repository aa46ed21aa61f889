/**
 * Promotion inside values: the part of plan.ts for a variable that is promoted leaf by leaf, because
 * entries with key paths classify it in parts (`tags.*` but not `tags.Environment`), or because
 * `--var databases.account_api.engine_version` or a group's key path asks for some leaves only.
 *
 * Each selected piece (classifiedUnits: a syncable leaf, or a whole object no entry reaches inside)
 * is a change of its own with its `path`: `create` where the file lacks it, `update` where it holds
 * another value, `noop` where the same. A piece SRC lacks and DST has is a kept override (never
 * pruned: tfsync does not delete single keys). A file that does not set the variable at all gets
 * it, made of the value it sees today (the shared file's, else the default, else `{}`) with the
 * promoted leaves set: its effective value changes in those leaves only. rewrite.ts turns a
 * variable's leaf changes into one edit of its value (path-edits.ts), comments inside kept.
 */
import { TfsyncError } from '../errors.js';
import type { JsonValue } from '../hcl/evaluate.js';
import { formatKeyPath, parseKeyPath, isPlainName, type KeyPath, type PathPart } from '../hcl/key-path.js';
import { locateInExpression, valueAt } from '../hcl/path-locate.js';
import { parseExpression } from '../hcl/parser.js';
import { formatValue } from '../hcl/format-value.js';
import { lineEnding } from '../hcl/line-ending.js';
import type { TfvarsAttribute, TfvarsDocument } from '../hcl/tfvars.js';
import { classAt, classifiedUnits, leafSensitive, type Classification } from '../model/classify.js';
import { ruleCovers, ruleReachesBelow, type PathRule } from '../model/path-rules.js';
import type { Layer, Repository } from '../model/repository.js';
import { sameValue } from './value-equality.js';
import { plainForm, writtenFor } from './value-forms.js';
import type { KeptOverride, PlannedChange, PlannedFile } from './plan.js';

/** Which parts of a variable a promotion asks for: all of its syncable parts, or those under `rules`. */
export type LeafSelection = 'all' | PathRule[];

/** What a file that lacks the variable is given to set the leaves in. */
export interface LeafBase {
  value: JsonValue;
  /** Its source in the file's syntax. */
  exprText: string;
}

/** A `--var` that names a path inside a variable (`tags.Team`), parsed; a plain name is undefined. */
export function varPath(text: string): KeyPath | undefined {
  if (isPlainName(text)) return undefined;
  const path = parseKeyPath(text);
  return path.parts.length === 0 ? undefined : path;
}

/** A rule standing for a path asked for on the command line. */
export function pathSelection(path: KeyPath): PathRule {
  return { source: formatKeyPath(path), parts: path.parts, nameGlob: false };
}

/** Whether the variable must be promoted leaf by leaf rather than as one value. */
export function isLeafWise(c: Classification, selection: LeafSelection): boolean {
  return c.paths !== undefined || selection !== 'all';
}

/** `--var NAME.path` must lead to something syncable: the leaf itself or a syncable entry under it. */
export function checkNamedPath(c: Classification, path: KeyPath, config: string): void {
  const label = formatKeyPath(path);
  if (classAt(c, path.parts) === 'syncable') return;
  if (c.paths?.some((r) => r.class === 'syncable' && ruleReachesBelow(r, path.parts))) return;
  const what = classAt(c, path.parts);
  throw new TfsyncError(`--var ${label}: ${label} is ${what === 'conflict' ? 'claimed by both lists' : what}; only syncable values are promoted`, { code: 'not-syncable',
    hint: what === 'environment-specific' ? `environment-specific values are never promoted; list ${label} under "syncable" in ${config} if it should flow` : `list ${label} (or a pattern over it) under "syncable" in ${config} to promote it`,
  });
}

export interface LeafPlanInput {
  repo: Repository;
  name: string;
  c: Classification;
  selection: LeafSelection;
  /** SRC's attribute and the layer it is in, or undefined when SRC has no value. */
  from: { attribute: TfvarsAttribute; layer: Layer } | undefined;
  file: PlannedFile;
  /**
   * The value the file's environment sees today when the file does not set the variable (general
   * form: the layer it inherits it from), in that layer's format. Absent: the classic form's rule,
   * the shared file's value for an environment's file.
   */
  inherited?: { attribute: TfvarsAttribute; format: TfvarsDocument['format'] } | null;
}

/** The leaf changes and kept leaf overrides of one variable in one file. */
export function leafChanges({ repo, name, c, selection, from, file, inherited }: LeafPlanInput): { changes: PlannedChange[]; kept: KeptOverride[] } {
  const existing = file.layer.doc.byName.get(name);
  const splits = selection === 'all' ? [] : selection;
  const units = classifiedUnits(name, c, [from?.attribute.value, existing?.value], splits).filter(
    (u) => u.class === 'syncable' && (selection === 'all' || selection.some((r) => ruleCovers(r, u.path.parts))),
  );
  const changes: PlannedChange[] = [];
  const kept: KeptOverride[] = [];
  const sources = from && leafSources(from);
  let base: LeafBase | undefined;
  for (const { path } of units) {
    const sensitive = leafSensitive(c, path.parts);
    const src = valueAt(from?.attribute.value, path.parts);
    const dst = existing && valueAt(existing.value, path.parts);
    if (src === undefined) {
      if (dst !== undefined && file.role === 'target') {
        kept.push({ name, path, environment: file.layer.name, file: file.layer.file, value: dst, sensitive, sourceUsesDefault: false, pruned: false });
      }
      continue;
    }
    const leaf = { name: formatKeyPath(path), value: src, source: sources!(path.parts) } as TfvarsAttribute;
    const written = writtenFor(leaf, from!.layer.doc.format, file.layer.doc.format, file.layer.file, sensitive);
    if (dst !== undefined && sameValue(dst, written.value)) {
      changes.push({ name, path, op: 'noop', from: dst, to: dst, sensitive });
      continue;
    }
    base ??= existing ? undefined : baseFor(repo, name, file, inherited === undefined ? classicInherited(repo, name, file) : inherited);
    changes.push({ name, path, op: dst === undefined ? 'create' : 'update', from: dst, to: written.value, sensitive, exprText: written.exprText, ...(base ? { base } : {}) });
  }
  return { changes, kept };
}

/** The source text of SRC's value at a path: as written (native syntax), or its JSON. */
function leafSources(from: { attribute: TfvarsAttribute; layer: Layer }): (parts: readonly PathPart[]) => string {
  const { attribute } = from;
  if (from.layer.doc.format === 'json') return (parts) => JSON.stringify(valueAt(attribute.value, parts));
  let expr: ReturnType<typeof parseExpression>['expr'] | undefined;
  return (parts) => {
    expr ??= parseExpression(attribute.source).expr;
    const located = locateInExpression(expr, attribute.source, parts);
    if (!located.found) throw new Error(`unreachable: ${formatKeyPath({ name: attribute.name, parts: [...parts] })} has a value but no node`);
    return attribute.source.slice(located.node.start, located.node.end);
  };
}

/** Classic form: DST's file inherits the shared file's value. */
function classicInherited(repo: Repository, name: string, file: PlannedFile): LeafPlanInput['inherited'] {
  const shared = file.role === 'target' && file.layer !== repo.shared ? repo.shared.doc.byName.get(name) : undefined;
  return shared ? { attribute: shared, format: repo.shared.doc.format } : null;
}

/**
 * What a file that does not set the variable sees of it today: the value it inherits (an object),
 * else the declared default, else an empty object.
 */
function baseFor(repo: Repository, name: string, file: PlannedFile, inherited: LeafPlanInput['inherited']): LeafBase {
  const format = file.layer.doc.format;
  if (inherited && isObjectValue(inherited.attribute.value)) {
    const written = writtenFor(inherited.attribute, inherited.format, format, file.layer.file);
    return { value: written.value, exprText: written.exprText };
  }
  const declared = repo.declarations.get(name);
  const value = declared?.hasDefault && isObjectValue(declared.default) ? declared.default : {};
  if (format === 'json') {
    const plain = plainForm(value) ?? {};
    return { value: plain, exprText: JSON.stringify(plain) };
  }
  // Declarations are native syntax: their values are in the form native files are read in.
  const native = value;
  const eol = lineEnding(file.layer.doc.text);
  // An empty object written over two lines, so that the leaves go in one a line.
  return { value: native, exprText: Object.keys(native as object).length === 0 ? `{${eol}}` : formatValue(native) };
}

function isObjectValue(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}
