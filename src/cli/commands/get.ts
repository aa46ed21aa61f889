/**
 * `tfsync get FILE [NAME...]`: variables of any tfvars file, as written (`name = expression`) or,
 * with --json, as values. Read-only, so it never loads the official parser.
 */
import { resolve } from 'node:path';
import { syntaxError, TfsyncError } from '../../errors.js';
import { isJsonVariablesFile, parseTfvars, type TfvarsAttribute, type TfvarsDocument } from '../../hcl/tfvars.js';
import { readTextFile, type TextFile } from '../../io/read-text.js';
import { didYouMean } from '../../model/suggest.js';
import { defineCommand, EXIT_OK } from '../command.js';

export interface ReadTfvars {
  file: TextFile;
  doc: TfvarsDocument;
  json: boolean;
}

/** Reads and parses a tfvars file, refusing one with syntax errors. */
export async function readTfvars(path: string): Promise<ReadTfvars> {
  const file = await readTextFile(path);
  const json = isJsonVariablesFile(path);
  const doc = parseTfvars(file.text, { json });
  if (doc.diagnostics.some((d) => d.severity === 'error')) throw syntaxError(path, file.text, doc.diagnostics);
  return { file, doc, json };
}

export const getCommand = defineCommand({
  command: 'get <file> [names..]',
  describe: 'Print variables of a tfvars file as written (all of them, or the ones named)',
  builder: (yargs) =>
    yargs
      .positional('file', { type: 'string', demandOption: true, describe: 'A .tfvars or .tfvars.json file' })
      .positional('names', { type: 'string', array: true, describe: 'Variables to print (default: all)' })
      .option('json', { type: 'boolean', default: false, describe: 'Write one JSON document: { name: value }' }),
  run: async (args, ctx) => {
    const path = resolve(ctx.cwd, args.file);
    const { doc } = await readTfvars(path);
    const attributes = selectAttributes(doc, args.names ?? [], path);
    if (args.json) {
      // fromEntries defines own properties, so even a variable named __proto__ is kept.
      const values = Object.fromEntries(attributes.map((a) => [a.name, a.value]));
      ctx.output.stdout(`${JSON.stringify(values, null, 2)}\n`);
    } else {
      ctx.output.stdout(attributes.map((a) => `${a.name} = ${a.source}\n`).join(''));
    }
    return EXIT_OK;
  },
});

/** The named attributes in the order named (each once), or all in file order. */
function selectAttributes(doc: TfvarsDocument, names: readonly string[], path: string): TfvarsAttribute[] {
  if (names.length === 0) return doc.attributes;
  const unknown = names.filter((name) => !doc.byName.has(name));
  if (unknown.length > 0) {
    const known = doc.attributes.map((a) => a.name);
    const [first, ...rest] = unknown.map(
      (name) => new TfsyncError(`no variable "${name}" in ${path}`, { hint: didYouMean(name, known) }),
    );
    throw new TfsyncError(first!.message, { hint: first!.hint, more: rest });
  }
  return [...new Set(names)].map((name) => doc.byName.get(name)!);
}
