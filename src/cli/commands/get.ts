/**
 * `tfsync get FILE [NAME...]`: variables of any tfvars file, as written (`name = expression`) or,
 * with --json, as values. Read-only, so it never loads the official parser.
 *
 * It works without a tfsync.json, but when one governs the file (`--config`, or the nearest one
 * in the file's folder or a parent) its sensitive variables print as `(sensitive)`, as in every
 * other command, unless `--show-sensitive`.
 */
import { resolve } from 'node:path';
import { syntaxError, TfsyncError } from '../../errors.js';
import type { JsonValue } from '../../hcl/evaluate.js';
import { formatKeyPath, parseKeyPath } from '../../hcl/key-path.js';
import { readPath } from '../../hcl/path-locate.js';
import { isJsonVariablesFile, parseTfvars, type TfvarsAttribute, type TfvarsDocument } from '../../hcl/tfvars.js';
import { stringifyJson } from '../../hcl/json-text.js';
import { isSyntaxError, TFVARS_RULE_CODES } from '../../hcl/tfvars-validity.js';
import type { FileSystem } from '../../io/file-system.js';
import { readTextFile, type TextFile } from '../../io/read-text.js';
import { NOTHING_SENSITIVE, sensitivityForFile, type Sensitivity } from '../../io/sensitivity.js';
import { secretsOfText, withSecretsOfText } from '../../model/secrets.js';
import { didYouMean } from '../../model/suggest.js';
import { SENSITIVE_TEXT } from '../../sync/mask.js';
import { defineCommand, EXIT_OK, type CliContext } from '../command.js';
import { renderWarnings } from '../render/messages.js';

export interface ReadTfvars {
  file: TextFile;
  doc: TfvarsDocument;
  json: boolean;
}

/**
 * Reads and parses a tfvars file, refusing one with syntax errors (or not UTF-8) with an error
 * whose excerpt masks the values of the sensitive names. A value Terraform refuses in a variables
 * file (a reference, a call) is an error too, unless `computed` allows it (get prints any file).
 */
export async function readTfvars(
  path: string,
  { fs, isSensitive = NOTHING_SENSITIVE, computed = false }: { fs?: FileSystem; isSensitive?: Sensitivity; computed?: boolean } = {},
): Promise<ReadTfvars> {
  const file = await readTextFile(path, fs).catch((err: unknown) => Promise.reject(withSecretsOfText(err, isSensitive)));
  const json = isJsonVariablesFile(path);
  const doc = parseTfvars(file.text, { json });
  if (doc.diagnostics.some(computed ? isSyntaxError : (d) => d.severity === 'error')) {
    const error = syntaxError(path, file.text, doc.diagnostics);
    throw new TfsyncError(error.message, { ...error.options, secrets: secretsOfText(file.text, isSensitive) });
  }
  return { file, doc, json };
}

/** Which names of a file get and set must not print: none with --show-sensitive. */
export function fileSensitivity(path: string, args: { config?: string; showSensitive?: boolean }, ctx: CliContext): Promise<Sensitivity> {
  if (args.showSensitive === true) return Promise.resolve(NOTHING_SENSITIVE);
  return sensitivityForFile(path, { cwd: ctx.cwd, config: args.config, fs: ctx.fs });
}

export const getCommand = defineCommand({
  command: 'get <file> [names..]',
  describe: 'Print variables of a tfvars file as written (all of them, or the ones named)',
  builder: (yargs) =>
    yargs
      .positional('file', { type: 'string', demandOption: true, describe: 'A .tfvars or .tfvars.json file' })
      .positional('names', { type: 'string', array: true, describe: 'Variables or key paths to print (tags.Environment, subnets[0]; default: all)' })
      .option('json', { type: 'boolean', default: false, describe: 'Write one JSON document: { name: value }' }),
  run: async (args, ctx) => {
    const path = resolve(ctx.cwd, args.file);
    const isSensitive = await fileSensitivity(path, args, ctx);
    const { doc } = await readTfvars(path, { fs: ctx.fs, isSensitive, computed: true });
    const entries = selectValues(doc, args.names ?? [], path);
    if (args.json) {
      // fromEntries defines own properties, so even a variable named __proto__ is kept.
      const values = Object.fromEntries(entries.map((e) => [e.label, isSensitive(e.name) ? SENSITIVE_TEXT : e.value]));
      ctx.output.stdout(`${stringifyJson(values, 2)}\n`);
    } else {
      ctx.output.stdout(entries.map((e) => `${e.label} = ${isSensitive(e.name) ? SENSITIVE_TEXT : e.source}\n`).join(''));
    }
    const notConstant = notConstants(doc, entries, args.file);
    if (notConstant.length > 0) ctx.output.stderr(renderWarnings(notConstant, ctx.output.colors));
    const hidden = [...new Set(entries.filter((e) => isSensitive(e.name)).map((e) => e.name))];
    if (hidden.length > 0) {
      const what = hidden.length === 1 ? `${hidden[0]} is` : `${hidden.join(', ')} are`;
      ctx.output.stderr(renderWarnings([`${what} sensitive (tfsync.json): --show-sensitive prints ${hidden.length === 1 ? 'it' : 'them'}`], ctx.output.colors));
    }
    return EXIT_OK;
  },
});

interface Selected {
  /** The variable. */
  name: string;
  /** The variable or key path, as printed. */
  label: string;
  value: JsonValue;
  source: string;
}

/**
 * The named variables or key paths in the order named (each once), or all variables in file
 * order. Unknown variables are all reported at once; a key path into a known variable fails at
 * its first part that does not exist.
 */
function selectValues(doc: TfvarsDocument, names: readonly string[], path: string): Selected[] {
  const whole = (a: TfvarsAttribute): Selected => ({ name: a.name, label: a.name, value: a.value, source: a.source });
  if (names.length === 0) return doc.attributes.map(whole);
  const paths = [...new Set(names)].map((name) => parseKeyPath(name));
  checkKnown(doc, paths.map((p) => p.name), path);
  return paths.map((keyPath) => ({ name: keyPath.name, label: formatKeyPath(keyPath), ...readPath(doc, keyPath, path) }));
}

/**
 * The printed variables whose value is not a constant, marked: Terraform refuses references and
 * calls in a variables file (other commands fail on them). With --json such a value stays in the
 * official parser's `"${...}"` form.
 */
function notConstants(doc: TfvarsDocument, entries: readonly Selected[], file: string): string[] {
  const refused = doc.diagnostics.filter((d) => TFVARS_RULE_CODES.has(d.code));
  if (refused.length === 0) return [];
  const out: string[] = [];
  for (const name of new Set(entries.map((e) => e.name))) {
    const { start, end } = doc.byName.get(name)!.valueRange;
    const first = refused.find((d) => d.range.start >= start && d.range.end <= end);
    if (!first) continue;
    const { line, col } = doc.lines.position(first.range.start);
    const rule = first.code === 'functions-not-allowed' ? 'Function calls not allowed' : 'Variables not allowed';
    out.push(`${file}:${line}:${col}: ${name} is not a constant (${rule}): Terraform refuses it in a variables file`);
  }
  return out;
}

function checkKnown(doc: TfvarsDocument, names: readonly string[], path: string): void {
  const unknown = names.filter((name) => !doc.byName.has(name));
  if (unknown.length > 0) {
    const known = doc.attributes.map((a) => a.name);
    const [first, ...rest] = unknown.map(
      (name) => new TfsyncError(`no variable "${name}" in ${path}`, { code: 'unknown-variable', hint: didYouMean(name, known) }),
    );
    throw new TfsyncError(first!.message, { code: first!.code, hint: first!.hint, more: rest });
  }
}
