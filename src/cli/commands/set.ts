/**
 * `tfsync set FILE NAME=EXPR...`: edits values of any tfvars file in place, the way `sed -i` was
 * used to, but keeping every other byte. An explicit edit of named values, so it writes without
 * asking; `--dry-run` shows the diff instead. Values that the governing tfsync.json makes
 * sensitive (see `get`) are masked in the summary, the diff and every error.
 */
import { resolve, sep } from 'node:path';
import { TfsyncError } from '../../errors.js';
import { applyEdits, type Edit } from '../../hcl/edits.js';
import { constantValue, type JsonValue } from '../../hcl/evaluate.js';
import { insertJsonAttribute, updateJsonValue } from '../../hcl/json-edits.js';
import { stringifyJson } from '../../hcl/json-text.js';
import { formatKeyPath, parseKeyPath, type KeyPath } from '../../hcl/key-path.js';
import { setPathEdits } from '../../hcl/path-edits.js';
import { readPath, valueAt, withValueAt } from '../../hcl/path-locate.js';
import { parse } from '../../hcl/parser.js';
import { findSyncedSection } from '../../hcl/synced-section.js';
import { insertAttribute, isIdentifier, updateValue } from '../../hcl/value-edits.js';
import type { Expression } from '../../hcl/syntax.js';
import { parseTfvars, type TfvarsDocument } from '../../hcl/tfvars.js';
import { nonConstantDiagnostics } from '../../hcl/tfvars-validity.js';
import { governingForFile, NOTHING_SENSITIVE, type Governing, type Sensitivity } from '../../io/sensitivity.js';
import { sameValue } from '../../sync/value-equality.js';
import { pathInside } from '../../model/path-inside.js';
import { didYouMean } from '../../model/suggest.js';
import { SENSITIVE_TEXT } from '../../sync/mask.js';
import type { FileWrite } from '../../sync/file-write.js';
import { defineCommand } from '../command.js';
import { writeFiles } from '../confirm-write.js';
import { renderWriteDiffs } from '../render/plan-diff.js';
import { readTfvars } from './get.js';

interface Assignment {
  /** The variable. */
  name: string;
  /** Where inside it: the whole variable when `path.parts` is empty. */
  path: KeyPath;
  /** The expression as typed, without surrounding white space. */
  exprText: string;
  value: JsonValue;
}

export const setCommand = defineCommand({
  command: 'set <file> <assignments..>',
  describe: 'Set variables in a tfvars file in place: NAME=EXPR, EXPR in HCL (quote strings: name=\'"value"\')',
  builder: (yargs) =>
    yargs
      .positional('file', { type: 'string', demandOption: true, describe: 'A .tfvars or .tfvars.json file' })
      .positional('assignments', { type: 'string', array: true, demandOption: true, describe: 'NAME=EXPR, one or more' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Print the diff and write nothing' })
      .option('create', { type: 'boolean', default: false, describe: 'Add a variable no declaration of the governing tfsync.json has' }),
  run: async (args, ctx) => {
    const path = resolve(ctx.cwd, args.file);
    const governing = await governingForFile(path, { cwd: ctx.cwd, config: args.config, fs: ctx.fs });
    const isSensitive = args.showSensitive === true ? NOTHING_SENSITIVE : (governing?.isSensitive ?? NOTHING_SENSITIVE);
    // Other attributes of the file are its own business (set edits any file, as sed did); the
    // values typed here must be constants, as Terraform wants them (parseAssignment).
    const { doc, json } = await readTfvars(path, { fs: ctx.fs, isSensitive, computed: true });
    const assignments = parseAssignments(args.assignments, json, isSensitive);
    if (governing && !args.create) refuseUndeclared(assignments, doc, governing);
    const show = (name: string, value: JsonValue) => (isSensitive(name) ? SENSITIVE_TEXT : stringifyJson(value));

    const expected = new Map(doc.attributes.map((a) => [a.name, a.value]));
    const changed: Assignment[] = [];
    const summary: string[] = [];
    for (const assignment of assignments) {
      const label = formatKeyPath(assignment.path);
      const old = currentValue(doc, assignment, path);
      if (old !== undefined && sameValue(old, assignment.value)) {
        summary.push(`set ${label}: ${show(assignment.name, old)} (unchanged)\n`);
        continue;
      }
      changed.push(assignment);
      expected.set(assignment.name, withValueAt(expected.get(assignment.name), assignment.path.parts, assignment.value));
      summary.push(`set ${label}: ${old !== undefined ? show(assignment.name, old) : '(unset)'} → ${show(assignment.name, assignment.value)}\n`);
    }
    const name = displayName(ctx.cwd, path);
    const changedSensitive = new Set(changed.filter((a) => isSensitive(a.name) && doc.byName.has(a.name)).map((a) => a.name));
    const writes: FileWrite[] =
      changed.length === 0 ? [] : [{ path, file: name, before: doc.text, after: applyAssignments(doc, changed, name), check: { kind: 'values', json, expected }, changedSensitive }];
    // An explicit edit of named values: written without asking; --dry-run shows the diff instead.
    const { code } = await writeFiles(ctx, writes, {
      command: 'set',
      dryRun: args.dryRun,
      yes: true,
      isSensitive,
      show: async (pending) => {
        if (args.dryRun && pending.length > 0) ctx.output.stdout(await renderWriteDiffs(pending, { colors: ctx.output.colors, isSensitive, showSensitive: false }));
        ctx.output.stderr(summary.join(''));
      },
    });
    return code;
  },
});

/**
 * A new variable in a file a tfsync.json governs must be one its variables files declare: a
 * misspelt name would otherwise be appended silently (Terraform only warns about it, and the
 * variable the user meant keeps its old value). `--create` adds it anyway.
 */
function refuseUndeclared(assignments: readonly Assignment[], doc: TfvarsDocument, governing: Governing): void {
  const known = [...governing.declared];
  const errors = assignments
    .filter((a) => !doc.byName.has(a.name) && !governing.declared.has(a.name))
    .map((a) => new TfsyncError(`set: no variable "${a.name}" is declared in ${governing.variablesFiles}`, { code: 'unknown-variable',
      hint: `${didYouMean(a.name, known) ?? 'declare it first'}; --create sets it anyway`,
    }));
  const [first, ...rest] = errors;
  if (first) throw new TfsyncError(first.message, { code: first.code, hint: first.hint, more: rest });
}

/** The value an assignment replaces, if the file has one there (a missing parent is an error). */
function currentValue(doc: TfvarsDocument, { name, path }: Assignment, file: string): JsonValue | undefined {
  if (!doc.byName.has(name)) {
    if (path.parts.length > 0) throw new TfsyncError(`set: no variable "${name}" in ${file}, so ${formatKeyPath(path)} has no parent`, { code: 'unknown-key-path' });
    return undefined;
  }
  const parent = { name, parts: path.parts.slice(0, -1) };
  readPath(doc, parent, file, path);
  return valueAt(doc.byName.get(name)!.value, path.parts);
}

/**
 * One assignment at a time, re-reading the text in between: edits are computed from the current
 * tree (a first item turns `{}` into a multi-line object, two keys may go into one object), so
 * they compose only in sequence. Existing attributes are updated where they stand; new ones go to
 * the synced section or the end.
 */
function applyAssignments(doc: TfvarsDocument, assignments: Assignment[], file: string): string {
  const json = doc.format === 'json';
  let current = doc;
  for (const { name, path, exprText, value } of assignments) {
    let edits: Edit[];
    if (current.byName.has(name)) {
      if (path.parts.length > 0) edits = setPathEdits(current, path, { exprText, value }, { file });
      else edits = json ? updateJsonValue(current, name, value) : updateValue(current, name, exprText);
    } else {
      edits = json ? insertJsonAttribute(current, name, value) : insertAttribute(current, name, exprText, { after: findSyncedSection(current)?.insertAt });
    }
    current = parseTfvars(applyEdits(current.text, edits), { json });
  }
  return current.text;
}

/** Parses every NAME=EXPR argument on its own, so an error points into the argument. */
function parseAssignments(args: readonly string[], json: boolean, isSensitive: Sensitivity): Assignment[] {
  const seen = new Set<string>();
  return args.map((arg, i) => {
    const assignment = parseAssignment(arg, `argument ${i + 1}`, json, isSensitive);
    const label = formatKeyPath(assignment.path);
    if (seen.has(label)) throw new TfsyncError(`set: ${label} is given twice`, { code: 'invalid-assignment' });
    seen.add(label);
    return assignment;
  });
}

function parseAssignment(arg: string, label: string, json: boolean, isSensitive: Sensitivity): Assignment {
  const eq = assignmentEquals(arg);
  const hint = `quote the whole argument for the shell; strings need HCL quotes inside it: image_tag='"2025.02.01"'`;
  if (eq < 0) throw new TfsyncError(`set: expected NAME=EXPR, got "${arg}"`, { code: 'invalid-assignment', hint });
  const target = arg.slice(0, eq).trim();
  // The value is not echoed: whether it is a secret cannot be told without a valid name.
  if (!/[.[]/.test(target) && !isIdentifier(target)) throw new TfsyncError(`set: "${target}" is not a valid variable name`, { code: 'invalid-assignment', hint });
  const path = isIdentifier(target) ? { name: target, parts: [] } : parseTargetPath(target, hint);
  const name = path.name;

  // A CI log keeps what an error prints: a sensitive value typed on the command line is masked too.
  const secrets = isSensitive(name) ? [arg.slice(eq + 1).trim()] : [];
  const fail = (message: string, start: number, end = start) =>
    new TfsyncError(`set: ${name}=EXPR: ${message}`, { code: 'invalid-assignment', location: { file: label, text: arg, range: { start, end } }, hint, secrets });
  // The value, as an attribute; a final newline lets a heredoc end on the last line. Offsets into
  // it are offsets into the argument, so errors point into what was typed.
  const parsed = parse(`${'x'.padEnd(eq, ' ')}${arg.slice(eq)}\n`, { tfvars: true });
  const error = parsed.diagnostics.find((d) => d.severity === 'error');
  if (error) throw fail(error.message, Math.min(error.range.start, arg.length), Math.min(error.range.end, arg.length));
  const [item, extra] = parsed.body.items;
  if (item?.type !== 'attribute') throw fail('expected an expression', arg.length);
  const { start, end } = item.expr.range;
  if (extra) throw fail('expected one expression; found more after it', extra.range.start);
  const rest = arg.slice(end);
  if (rest.trim() !== '') throw fail('expected the end of the value (comments are not part of it)', arg.length - rest.trimStart().length);

  const { value, constant } = constantValue(item.expr, parsed.text);
  const refused = constant ? undefined : nonConstantDiagnostics(item.expr, parsed.text)[0];
  if (refused) {
    // `region=us-east-1` is a reference to HCL (names may hold dashes): the user meant a string.
    const typed = arg.slice(start, end);
    const quoted = BARE_WORD.test(typed) ? `did you mean ${target}="${typed}"? (quote it for the shell: ${target}='"${typed}"')` : undefined;
    throw new TfsyncError(`set: ${name}=EXPR: ${refused.message}`, { code: refused.code,
      location: { file: label, text: arg, range: refused.range },
      hint: quoted ?? 'a variables file holds constant values: quote strings, write numbers, lists and maps as literals',
      secrets,
    });
  }
  if (!json) return { name, path, exprText: arg.slice(start, end), value };
  const computed = constant ? undefined : firstComputed(item.expr);
  if (computed) {
    throw fail(
      `a .tfvars.json file holds values only, and ${arg.slice(computed.range.start, computed.range.end)} must be computed`,
      computed.range.start,
      computed.range.end,
    );
  }
  return { name, path, exprText: arg.slice(start, end), value: literalValue(value) };
}

/** Text that was meant as a string: no spaces, quotes or brackets (`us-east-1`, `t3.large`, `v1.2/x`). */
const BARE_WORD = /^[^\s"'()[\]{},=<>!?:*+%&|]+$/u;

/** The `=` that ends the NAME or key path: the first one outside a quoted key. */
function assignmentEquals(arg: string): number {
  for (let i = 0; i < arg.length; i++) {
    if (arg[i] === '"') {
      for (i++; i < arg.length && arg[i] !== '"'; i++) if (arg[i] === '\\') i++;
    } else if (arg[i] === '=') return i;
  }
  return -1;
}

function parseTargetPath(target: string, hint: string): KeyPath {
  try {
    return parseKeyPath(target);
  } catch (err) {
    throw err instanceof TfsyncError ? new TfsyncError(`set: ${err.message}`, { code: err.code, hint }) : err;
  }
}

/** The first part of an expression that is not a literal value, if any. */
function firstComputed(expr: Expression): Expression | undefined {
  switch (expr.type) {
    case 'literal':
      return undefined;
    case 'unary': {
      const operand = expr.operand.type === 'literal' ? expr.operand.value : undefined;
      const literal = expr.operator === '-' ? typeof operand === 'number' : typeof operand === 'boolean';
      return literal ? undefined : expr;
    }
    case 'template':
    case 'heredoc':
      return expr.parts.some((part) => part.type !== 'literal') ? expr : undefined;
    case 'tuple':
      return expr.items.map(firstComputed).find(Boolean);
    case 'object':
      return expr.items.map((item) => (item.key.type === 'traversal' ? undefined : firstComputed(item.key)) ?? firstComputed(item.value)).find(Boolean);
    default:
      return expr;
  }
}

/**
 * A literal's value as a JSON file holds it. The JSON form writes a literal `${` as `$${` (it is
 * a template there), but Terraform reads the strings of a `.tfvars.json` as they are.
 */
function literalValue(value: JsonValue): JsonValue {
  const unescape = (s: string) => s.replace(/([$%])\1\{/g, '$1{');
  if (typeof value === 'string') return unescape(value);
  if (Array.isArray(value)) return value.map(literalValue);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [unescape(k), literalValue(v)]));
}

/** The path in diff headers: relative to the working directory, with forward slashes. */
function displayName(cwd: string, path: string): string {
  return pathInside(cwd, path) ?? path.split(sep).join('/');
}
