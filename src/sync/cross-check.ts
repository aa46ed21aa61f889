/**
 * The official parser as a second opinion on every file validate reads: if HashiCorp's parser
 * rejects a file tfsync reads, reads one tfsync rejects, or reads a value differently, tfsync may
 * be misreading the file, and every command that trusts its reading could do harm. The parser is
 * passed in (io/official-parser.ts's `officialValues`), so this stays free of the WASM module.
 */
import { TfsyncError } from '../errors.js';
import type { JsonValue } from '../hcl/evaluate.js';
import { stringifyJson } from '../hcl/json-text.js';
import { LineCounter } from '../hcl/line-counter.js';
import { isJsonVariablesFile, officialFormValues, parseTfvars } from '../hcl/tfvars.js';
import { TFVARS_RULE_CODES } from '../hcl/tfvars-validity.js';
import { parseVariables, type VariableDeclaration } from '../hcl/variables.js';
import { matchesAny } from '../model/patterns.js';
import type { RepositoryInput, SourceFile } from '../model/repository.js';
import { sameValue } from './value-equality.js';
import type { Finding } from './findings.js';
import { scrub, secretsOfText } from './validate-sources.js';

/** Parses native-syntax HCL to its JSON form, or throws a located TfsyncError. */
export type OfficialParse = (file: string, text: string) => Promise<Record<string, unknown>>;

const BUG_HINT = 'tfsync may be misreading this file: please report it, with a copy of the file (secrets removed)';
/** Diagnostics of rules Terraform adds on top of HCL for variables files: the official parser has no reason to agree. */
const TFVARS_ONLY = new Set(['block-in-tfvars', ...TFVARS_RULE_CODES]);

export async function crossCheck(input: RepositoryInput, parseOfficial: OfficialParse): Promise<Finding[]> {
  const variables = input.variables.map((file) => ({ file, parsed: parseVariables(file.text) }));
  const declaredSensitive = new Set(variables.flatMap(({ parsed }) => parsed.variables.filter((d) => d.sensitive).map((d) => d.name)));
  const isSensitive = (name: string) => declaredSensitive.has(name) || matchesAny(input.config.sensitive, name);
  const tfvarsFiles = [...(input.shared.text === undefined ? [] : [{ ...input.shared, text: input.shared.text }]), ...input.environments];

  // Every file is handed to the parser in this one synchronous run (each check calls it before its
  // first await): official-parser.ts counts the calls made before it loads, to choose how V8
  // compiles it (Liftoff-only up to ~2 MB, default tiering for a larger repository).
  const checks = [
    ...variables.map(async ({ file, parsed }) => {
      const official = await opinion(parseOfficial, file, tfsyncAccepts(parsed.diagnostics), isSensitive);
      if (official.findings) return official.findings;
      return compareDefaults(file, parsed.variables, official.values, isSensitive);
    }),
    // The official parser is only asked about native syntax; JSON files are read by jsonc-parser.
    ...tfvarsFiles.filter((file) => !isJsonVariablesFile(file.path)).map(async (file) => {
      const doc = parseTfvars(file.text);
      const official = await opinion(parseOfficial, file, tfsyncAccepts(doc.diagnostics), isSensitive);
      if (official.findings) return official.findings;
      const findings: Finding[] = [];
      // Blocks are an error tfsync reports (Terraform refuses them in variables files); the official parser reads them.
      const blocks = new Set(doc.diagnostics.filter((d) => d.code === 'block-in-tfvars').map((d) => doc.text.slice(d.range.start, d.range.end)));
      const names = new Set([...doc.byName.keys(), ...Object.keys(official.values)]);
      // Compared in the official parser's form: tfsync evaluates `24 * 60`, that parser keeps it.
      const oursInTheirForm = officialFormValues(file.text);
      for (const name of names) {
        if (blocks.has(name) && !doc.byName.has(name)) continue;
        const ours = oursInTheirForm.get(name);
        const theirs = Object.hasOwn(official.values, name) ? (official.values[name] as JsonValue) : undefined;
        if (sameValue(ours, theirs)) continue;
        findings.push(difference(file, name, doc.byName.get(name)?.line ?? 1, ours, theirs, isSensitive(name)));
      }
      return findings;
    }),
  ];
  return (await Promise.all(checks)).flat();
}

function tfsyncAccepts(diagnostics: Array<{ code: string; severity: string }>): boolean {
  return !diagnostics.some((d) => d.severity === 'error' && !TFVARS_ONLY.has(d.code));
}

/**
 * The official parser's reading of a file, or the findings when the two parsers disagree on
 * whether it parses at all. When both reject it, the syntax errors tfsync reports say enough.
 */
async function opinion(
  parseOfficial: OfficialParse,
  file: SourceFile,
  accepted: boolean,
  isSensitive: (name: string) => boolean,
): Promise<{ values: Record<string, unknown>; findings?: undefined } | { findings: Finding[] }> {
  let values: Record<string, unknown>;
  try {
    values = await parseOfficial(file.file, file.text);
  } catch (err) {
    if (!accepted) return { findings: [] };
    const errors = err instanceof TfsyncError ? [err, ...(err.options.more ?? [])] : [err];
    const secrets = secretsOfText(file.text, isSensitive);
    return {
      findings: errors.map((e) => {
        const located = e instanceof TfsyncError ? e.location : undefined;
        const position = located ? new LineCounter(located.text).position(located.range.start) : undefined;
        const message = e instanceof Error ? e.message : String(e);
        return {
          severity: 'error',
          code: 'official-parser',
          message: `the official HCL parser rejects this file, which tfsync reads: ${scrub(message, secrets)}`,
          file: file.file,
          line: position?.line ?? 1,
          ...(position ? { column: position.col } : {}),
          hint: BUG_HINT,
        } satisfies Finding;
      }),
    };
  }
  if (accepted) return { values };
  return {
    findings: [{
      severity: 'error',
      code: 'official-parser',
      message: 'the official HCL parser reads this file, which tfsync rejects',
      file: file.file,
      line: 1,
      hint: BUG_HINT,
    }],
  };
}

/** The official form of a variables file: `{ variable: { name: [ { default, type, ... } ] } }`. */
function compareDefaults(
  file: SourceFile,
  declarations: VariableDeclaration[],
  official: Record<string, unknown>,
  isSensitive: (name: string) => boolean,
): Finding[] {
  const blocks = (official.variable ?? {}) as Record<string, Array<Record<string, unknown>> | undefined>;
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const decl of declarations) {
    // A repeated declaration is reported as such; compare the first.
    if (seen.has(decl.name)) continue;
    seen.add(decl.name);
    const block = Object.hasOwn(blocks, decl.name) ? blocks[decl.name]?.[0] : undefined;
    const theirs = block && Object.hasOwn(block, 'default') ? (block.default as JsonValue) : undefined;
    const ours = decl.hasDefault ? (decl.officialDefault ?? null) : undefined;
    if (block && sameValue(ours, theirs)) continue;
    const sensitive = decl.sensitive || isSensitive(decl.name);
    findings.push(block ? difference(file, decl.name, decl.line, ours, theirs, sensitive, 'the default of ') : {
      severity: 'error',
      code: 'official-parser',
      message: `the official HCL parser finds no declaration of "${decl.name}" here`,
      file: file.file,
      line: decl.line,
      variable: decl.name,
      hint: BUG_HINT,
    });
  }
  return findings;
}

function difference(
  file: SourceFile,
  name: string,
  line: number,
  ours: JsonValue | undefined,
  theirs: JsonValue | undefined,
  sensitive: boolean,
  what = '',
): Finding {
  const details = sensitive ? '' : `: tfsync reads ${show(ours)}, the official HCL parser ${show(theirs)}`;
  return {
    severity: 'error',
    code: 'official-parser',
    message: `tfsync and the official HCL parser read ${what}"${name}" differently${details}`,
    file: file.file,
    line,
    variable: name,
    hint: BUG_HINT,
  };
}

function show(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  const text = stringifyJson(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
